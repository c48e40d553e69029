# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..models.constants import STAFF


class BreakfixApprovalRequest(models.TransientModel):
    """Ask the ticket's customer to approve the estimate, or, once the work
    has reached it, a new amount with a reason (SPEC §11)."""

    _name = "breakfix.approval.request"
    _inherit = ["breakfix.field.access"]
    _description = "Ask a Customer to Approve a Ticket's Amount"

    # whoever may ask (the ticket's own checks apply when it is sent)
    _breakfix_field_writers = {"ticket_id": STAFF, "amount": STAFF, "reason": STAFF}

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, readonly=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="ticket_id.breakfix_currency_id")
    partner_id = fields.Many2one(
        related="ticket_id.partner_id", string="Customer Contact"
    )
    needs_new_amount = fields.Boolean(compute="_compute_needs_new_amount")
    amount = fields.Monetary(
        string="Amount to Approve",
        currency_field="currency_id",
        compute="_compute_amount",
        store=True,
        readonly=False,
        help="Untaxed. Approved, it becomes the ticket's estimate.",
    )
    reason = fields.Text(
        string="Why",
        help="Why the work needs this amount, as the customer reads it.",
    )

    @api.depends("ticket_id")
    def _compute_needs_new_amount(self):
        for wizard in self:
            wizard.needs_new_amount = wizard.ticket_id._breakfix_needs_new_amount()

    @api.depends("ticket_id")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = wizard.ticket_id._breakfix_approval_default_amount()

    def action_send(self):
        self.ensure_one()
        self.ticket_id._breakfix_request_approval(self.amount, self.reason)
        return {"type": "ir.actions.act_window_close"}
