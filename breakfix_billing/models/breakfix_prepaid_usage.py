# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .constants import NOBODY


class BreakfixPrepaidUsage(models.Model):
    """One draw of a prepaid block: what a ticket's invoice line took from it.

    Written by the addon's invoicing code only (as superuser); every change
    tells the block, which updates its state and sends its alerts.
    """

    _name = "breakfix.prepaid.usage"
    _description = "Break/fix Prepaid Block Draw"
    _inherit = ["breakfix.field.access"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _breakfix_field_writers = dict.fromkeys(
        (
            "block_id",
            "company_id",
            "ticket_id",
            "invoice_line_id",
            "quantity",
            "amount",
            "date",
        ),
        NOBODY,
    )

    block_id = fields.Many2one(
        comodel_name="breakfix.prepaid.block",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    company_id = fields.Many2one(
        related="block_id.company_id", store=True, index=True, readonly=True
    )
    currency_id = fields.Many2one(related="block_id.currency_id")
    unit = fields.Selection(related="block_id.unit")
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        readonly=True,
    )
    invoice_line_id = fields.Many2one(
        comodel_name="account.move.line",
        index="btree_not_null",
        # the draw belongs to the invoice that made it: gone with it
        ondelete="cascade",
        check_company=True,
        readonly=True,
    )
    invoice_id = fields.Many2one(related="invoice_line_id.move_id")
    quantity = fields.Float(
        string="Drawn",
        digits=(16, 2),
        readonly=True,
        help="In the block's unit: hours (billed hours × time factor), or money.",
    )
    amount = fields.Monetary(
        readonly=True, help="The untaxed amount of the charges the draw paid."
    )
    date = fields.Date(readonly=True, help="The day the draw was drafted.")
    quantity_text = fields.Char(string="Drawn (Text)", compute="_compute_quantity_text")

    @api.depends("quantity", "block_id.unit", "block_id.currency_id")
    def _compute_quantity_text(self):
        for usage in self:
            usage.quantity_text = usage.block_id._breakfix_format(usage.quantity)

    @api.model_create_multi
    def create(self, vals_list):
        usages = super().create(vals_list)
        usages.block_id._breakfix_after_usage()
        return usages

    def unlink(self):
        blocks = self.block_id
        result = super().unlink()
        blocks._breakfix_after_usage()
        return result
