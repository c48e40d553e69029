# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .. import pricing
from .constants import FINANCE_ONLY, NOBODY


class AccountMoveLine(models.Model):
    _name = "account.move.line"
    _inherit = ["account.move.line", "breakfix.field.access"]

    # Finance's credit notes and copies carry the ticket and the kind of
    # charge; the links to the work they bill are the invoicing code's alone.
    _breakfix_field_writers = {
        "breakfix_ticket_id": FINANCE_ONLY,
        "breakfix_kind": FINANCE_ONLY,
        "breakfix_date": FINANCE_ONLY,
        "breakfix_timesheet_ids": NOBODY,
        "breakfix_material_ids": NOBODY,
        "breakfix_released": NOBODY,
        "breakfix_prepaid_usage_ids": NOBODY,
    }

    # Copied to credit notes, so that they show on the ticket; the links to
    # the source lines are not: a credit note does not release them.
    breakfix_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Break/fix Ticket",
        index="btree_not_null",
        readonly=True,
    )
    breakfix_kind = fields.Selection(
        selection=pricing.kind_selection(),
        string="Break/fix Charge",
        readonly=True,
    )
    breakfix_date = fields.Date(
        string="Break/fix Day",
        readonly=True,
        help="The day of the on-site work a trip fee charges for.",
    )
    breakfix_timesheet_ids = fields.Many2many(
        comodel_name="account.analytic.line",
        relation="breakfix_timesheet_invoice_line_rel",
        column1="move_line_id",
        column2="timesheet_id",
        string="Time Entries",
        copy=False,
        readonly=True,
    )
    breakfix_material_ids = fields.One2many(
        comodel_name="helpdesk.ticket.material",
        inverse_name="invoice_line_id",
        string="Parts",
        copy=False,
        readonly=True,
    )
    breakfix_prepaid_usage_ids = fields.One2many(
        comodel_name="breakfix.prepaid.usage",
        inverse_name="invoice_line_id",
        string="Prepaid Draws",
        copy=False,
        readonly=True,
    )
    breakfix_released = fields.Boolean(
        string="Released for Re-invoicing",
        copy=False,
        readonly=True,
        help="A billing manager released the source lines of this credited "
        "charge: the ticket may invoice them again.",
    )

    @api.model
    def _breakfix_charging_domain(self):
        """The lines that still charge their ticket's work: of customer
        invoices (not credit notes), not cancelled, not released."""
        return [
            ("move_id.move_type", "=", "out_invoice"),
            ("parent_state", "!=", "cancel"),
            ("breakfix_released", "=", False),
        ]

    def _breakfix_is_charging(self):
        """Whether this line still charges its ticket's work."""
        self.ensure_one()
        return bool(self.filtered_domain(self._breakfix_charging_domain()))

    def _breakfix_release_sources(self):
        """Unlink the time entries and parts these lines invoiced, and give
        the prepaid blocks they drew the draw back."""
        lines = self.filtered(
            lambda line: line.breakfix_ticket_id or line.breakfix_prepaid_usage_ids
        )
        if not lines:
            return
        lines.sudo().breakfix_timesheet_ids = [fields.Command.clear()]
        lines.sudo().breakfix_material_ids.invoice_line_id = False
        lines.sudo().breakfix_prepaid_usage_ids.unlink()
