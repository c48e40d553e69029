# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .constants import PRICE_GROUPS


class HelpdeskTicketReview(models.Model):
    """What of a ticket waits for a billing manager's review (SPEC §12)."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    breakfix_review_count = fields.Integer(
        string="Waiting for Review",
        compute="_compute_breakfix_review_count",
        help="Time entries and parts not invoiced yet that a billing manager "
        "has to approve before they are invoiced.",
        groups=PRICE_GROUPS,
    )

    @api.depends(
        "team_id.breakfix_require_review",
        "timesheet_ids.breakfix_review_state",
        "breakfix_material_ids.breakfix_review_state",
    )
    def _compute_breakfix_review_count(self):
        for ticket in self:
            ticket.breakfix_review_count = (
                len(ticket.sudo()._breakfix_waiting_review())
                if ticket.team_id.breakfix_require_review
                else 0
            )

    def _breakfix_waiting_review(self):
        """The ticket's work not invoiced yet and not approved."""
        self.ensure_one()
        entries = self.timesheet_ids.filtered(
            lambda line: (
                line.breakfix_review_state == "to_review"
                and not line.breakfix_invoice_line_ids
            )
        )
        parts = self.breakfix_material_ids.filtered(
            lambda part: (
                part.breakfix_review_state == "to_review" and not part.invoice_line_id
            )
        )
        return [*entries, *parts]

    def action_breakfix_view_review(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "breakfix_billing.breakfix_review_timesheet_action"
        )
        action["domain"] = [
            ("ticket_id", "=", self.id),
            ("breakfix_invoice_line_ids", "=", False),
        ]
        action["context"] = {"search_default_to_review": 1}
        return action
