# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .constants import MANAGERS

# closed stages of helpdesk_mgmt whose tickets are not billed
UNBILLED_STAGES = (
    "helpdesk_mgmt.helpdesk_ticket_stage_cancelled",
    "helpdesk_mgmt.helpdesk_ticket_stage_rejected",
)


class HelpdeskTicketStage(models.Model):
    _name = "helpdesk.ticket.stage"
    _inherit = ["helpdesk.ticket.stage", "breakfix.field.access"]

    # Which stages bill is the billing managers' call.
    _breakfix_field_writers = {"breakfix_draft_invoice": MANAGERS}

    breakfix_draft_invoice = fields.Boolean(
        string="Draft Break/fix Invoices",
        compute="_compute_breakfix_draft_invoice",
        store=True,
        readonly=False,
        help="A ticket reaching this closed stage has its invoice drafted (if "
        "its team drafts on close), and the daily run drafts what its tickets "
        "still have to invoice. Untick it for stages such as Cancelled, whose "
        "tickets are not billed.",
    )

    @api.depends("closed")
    def _compute_breakfix_draft_invoice(self):
        for stage in self:
            stage.breakfix_draft_invoice = stage.closed

    @api.model
    def _breakfix_untick_unbilled_stages(self):
        """helpdesk_mgmt's Cancelled and Rejected stages draft no invoice."""
        for xmlid in UNBILLED_STAGES:
            stage = self.env.ref(xmlid, raise_if_not_found=False)
            if stage:
                stage.breakfix_draft_invoice = False
