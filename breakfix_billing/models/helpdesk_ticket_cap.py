# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .constants import PRICE_GROUPS


class HelpdeskTicketCap(models.Model):
    """The customer's monthly cap seen from its tickets (SPEC §11): checked
    when work is logged, a banner and a warning once it is reached."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    breakfix_cap_reached = fields.Boolean(
        string="Monthly Cap Reached",
        compute="_compute_breakfix_cap_reached",
        groups=PRICE_GROUPS,
    )

    @api.depends("partner_id", "company_id")
    def _compute_breakfix_cap_reached(self):
        for ticket in self:
            ticket.breakfix_cap_reached = bool(
                ticket.partner_id
            ) and ticket.partner_id._breakfix_cap_reached(ticket.company_id)

    @api.onchange("timesheet_ids")
    def _onchange_breakfix_cap_warning(self):
        if self.breakfix_cap_reached:
            return {
                "warning": {
                    "title": self.env._("Monthly cap"),
                    "message": self.env._(
                        "%(customer)s reached its monthly cap: check with a billing "
                        "manager before logging more time.",
                        customer=self.partner_id.commercial_partner_id.name,
                    ),
                }
            }

    def _breakfix_check_monthly_caps(self):
        """After the tickets' work changed: their customers' caps."""
        for company, tickets in self.sudo().grouped("company_id").items():
            tickets.partner_id.commercial_partner_id._breakfix_check_cap(company)
