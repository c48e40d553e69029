# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import drop_view_if_exists

from .. import pricing
from .constants import NOBODY

BREAKFIX_REPORT_SOURCES = [
    ("time", "Time entry"),
    ("part", "Part"),
    ("fee", "Fee"),
    ("adjustment", "Not-to-exceed adjustment"),
    ("credit", "Credit note"),
]


class BreakfixBillingReport(models.Model):
    """Break/fix billing analysis: one row per time entry, part, fee and
    credit note line.

    Time entries and parts count whether invoiced or not, at the price stored
    on them (an invoiced entry keeps its invoiced price). Call-out fees,
    minimum charges, trip fees and not-to-exceed adjustments exist only on
    invoices: they count once drafted, on invoices not cancelled. Credit
    notes (drafted or posted) take their lines off the amount billed, on
    their own date: a ticket credited in full nets to nothing billed, as in
    the comparison with a managed plan. The credit notes of an invoice
    released for re-invoicing do not count: its work counts once, as the
    time entries and parts do, and its fees no more.
    """

    _name = "breakfix.billing.report"
    _inherit = ["breakfix.field.access"]
    _description = "Break/fix Billing Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "ticket_id"
    # what the view reads: flushed before it is queried
    _depends = {
        "account.analytic.line": [
            "date", "ticket_id", "employee_id", "unit_amount",
            "breakfix_work_type_id", "breakfix_currency_id", "breakfix_billable",
            "breakfix_billed_hours", "breakfix_amount", "breakfix_no_charge_amount",
            "breakfix_invoice_line_ids",
        ],
        "helpdesk.ticket": ["partner_id", "team_id", "company_id", "breakfix_policy"],
        "res.partner": ["commercial_partner_id"],
        "breakfix.work.type": ["product_id", "billable"],
        "helpdesk.ticket.material": [
            "date", "ticket_id", "product_id", "currency_id", "billable",
            "price_subtotal", "invoice_line_id",
        ],
        "account.move.line": [
            "move_id", "product_id", "quantity", "price_subtotal", "breakfix_date",
            "breakfix_ticket_id", "breakfix_kind", "breakfix_released",
            "display_type",
        ],
        "account.move": [
            "invoice_date", "date", "currency_id", "move_type", "state",
            "reversed_entry_id",
        ],
    }  # fmt: skip

    # a view of the other models: nothing to write
    _breakfix_field_writers = dict.fromkeys(
        (
            "source",
            "date",
            "ticket_id",
            "partner_id",
            "employee_id",
            "work_type_id",
            "team_id",
            "product_id",
            "company_id",
            "currency_id",
            "invoiced",
            "hours_logged",
            "hours_billed",
            "amount_billed",
            "no_charge_amount",
        ),
        NOBODY,
    )

    source = fields.Selection(selection=BREAKFIX_REPORT_SOURCES, readonly=True)
    date = fields.Date(readonly=True)
    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    employee_id = fields.Many2one(
        comodel_name="hr.employee", string="Technician", readonly=True
    )
    work_type_id = fields.Many2one(comodel_name="breakfix.work.type", readonly=True)
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team", readonly=True)
    product_id = fields.Many2one(comodel_name="product.product", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(
        comodel_name="res.currency", string="Billing Currency", readonly=True
    )
    invoiced = fields.Boolean(readonly=True)
    hours_logged = fields.Float(
        digits="Product Unit of Measure", aggregator="sum", readonly=True
    )
    hours_billed = fields.Float(
        digits="Product Unit of Measure",
        aggregator="sum",
        readonly=True,
        help="Hours charged, after rounding (no-charge work: 0).",
    )
    amount_billed = fields.Monetary(aggregator="sum", readonly=True)
    no_charge_amount = fields.Monetary(
        string="No-charge Value",
        aggregator="sum",
        readonly=True,
        help="What the work and parts given free of charge would have cost.",
    )

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._breakfix_query(),
            )
        )

    def _breakfix_query(self):
        # Ids of the four sources interleave: 4n, 4n + 1, 4n + 2, 4n + 3.
        return SQL(
            """
            SELECT line.id * 4 AS id,
                   'time' AS source,
                   line.date AS date,
                   ticket.id AS ticket_id,
                   partner.commercial_partner_id AS partner_id,
                   line.employee_id AS employee_id,
                   line.breakfix_work_type_id AS work_type_id,
                   ticket.team_id AS team_id,
                   work_type.product_id AS product_id,
                   ticket.company_id AS company_id,
                   line.breakfix_currency_id AS currency_id,
                   EXISTS (
                       SELECT 1 FROM breakfix_timesheet_invoice_line_rel rel
                        WHERE rel.timesheet_id = line.id
                   ) AS invoiced,
                   line.unit_amount AS hours_logged,
                   CASE WHEN %(billable_ticket)s AND %(billable_entry)s
                        THEN line.breakfix_billed_hours ELSE 0 END AS hours_billed,
                   line.breakfix_amount AS amount_billed,
                   line.breakfix_no_charge_amount AS no_charge_amount
              FROM account_analytic_line line
              JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
              LEFT JOIN res_partner partner ON partner.id = ticket.partner_id
              LEFT JOIN breakfix_work_type work_type
                     ON work_type.id = line.breakfix_work_type_id
            UNION ALL
            SELECT part.id * 4 + 1,
                   'part',
                   COALESCE(part.date, part.create_date::date),
                   ticket.id,
                   partner.commercial_partner_id,
                   NULL,
                   NULL,
                   ticket.team_id,
                   part.product_id,
                   ticket.company_id,
                   part.currency_id,
                   part.invoice_line_id IS NOT NULL,
                   0,
                   0,
                   CASE WHEN part.billable AND %(billable_ticket)s
                        THEN part.price_subtotal ELSE 0 END,
                   CASE WHEN part.billable AND %(billable_ticket)s
                        THEN 0 ELSE part.price_subtotal END
              FROM helpdesk_ticket_material part
              JOIN helpdesk_ticket ticket ON ticket.id = part.ticket_id
              LEFT JOIN res_partner partner ON partner.id = ticket.partner_id
            UNION ALL
            SELECT fee.id * 4 + 2,
                   CASE WHEN fee.breakfix_kind = %(adjustment_kind)s THEN 'adjustment'
                        ELSE 'fee' END,
                   COALESCE(fee.breakfix_date, move.invoice_date, move.date),
                   ticket.id,
                   partner.commercial_partner_id,
                   NULL,
                   NULL,
                   ticket.team_id,
                   fee.product_id,
                   ticket.company_id,
                   move.currency_id,
                   TRUE,
                   0,
                   CASE WHEN fee.breakfix_kind IN %(fee_hour_kinds)s
                        THEN fee.quantity ELSE 0 END,
                   fee.price_subtotal,
                   0
              FROM account_move_line fee
              JOIN account_move move ON move.id = fee.move_id
              JOIN helpdesk_ticket ticket ON ticket.id = fee.breakfix_ticket_id
              LEFT JOIN res_partner partner ON partner.id = ticket.partner_id
             WHERE fee.breakfix_kind IN %(fee_kinds)s
               AND move.move_type = 'out_invoice'
               AND move.state != 'cancel'
               AND NOT COALESCE(fee.breakfix_released, FALSE)
            UNION ALL
            SELECT credit.id * 4 + 3,
                   'credit',
                   COALESCE(move.invoice_date, move.date),
                   ticket.id,
                   partner.commercial_partner_id,
                   NULL,
                   NULL,
                   ticket.team_id,
                   credit.product_id,
                   ticket.company_id,
                   move.currency_id,
                   TRUE,
                   0,
                   0,
                   -credit.price_subtotal,
                   0
              FROM account_move_line credit
              JOIN account_move move ON move.id = credit.move_id
              JOIN helpdesk_ticket ticket ON ticket.id = credit.breakfix_ticket_id
              LEFT JOIN res_partner partner ON partner.id = ticket.partner_id
             WHERE credit.display_type = 'product'
               AND move.move_type = 'out_refund'
               AND move.state != 'cancel'
               AND NOT EXISTS (
                   SELECT 1
                     FROM account_move_line released
                    WHERE released.move_id = move.reversed_entry_id
                      AND released.breakfix_ticket_id = credit.breakfix_ticket_id
                      AND released.breakfix_released
               )
            """,
            billable_ticket=self.env["helpdesk.ticket"]._breakfix_is_billable_sql(
                "ticket"
            ),
            billable_entry=self.env["account.analytic.line"]._breakfix_is_billable_sql(
                "line", "work_type"
            ),
            adjustment_kind=pricing.KIND_ESTIMATE,
            # the charges that come from no time entry nor part (kinds' table),
            # but the prepaid draws: the block's own invoice paid that work,
            # which still counts as billed
            fee_kinds=tuple(
                kind for kind in pricing.FEE_KINDS if kind != pricing.KIND_PREPAID
            ),
            fee_hour_kinds=tuple(
                kind for kind in pricing.HOUR_KINDS if kind in pricing.FEE_KINDS
            ),
        )
