# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class BreakfixPrepaidPortal(CustomerPortal):
    """/my/prepaid: the customer's prepaid blocks (bought, used, left,
    expiry) and each draw (ticket, date, quantity)."""

    def _breakfix_portal_blocks(self):
        """The visitor's blocks, as the visitor: the record rules keep them
        to its commercial partner's confirmed blocks."""
        Block = request.env["breakfix.prepaid.block"]
        if not Block.has_access("read"):
            return Block
        return Block.search([], order="state, date_to asc nulls last, id")

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "breakfix_prepaid_count" in counters:
            values["breakfix_prepaid_count"] = len(self._breakfix_portal_blocks())
        return values

    @http.route("/my/prepaid", type="http", auth="user", website=True)
    def portal_my_prepaid_blocks(self, **kw):
        blocks = self._breakfix_portal_blocks()
        values = self._prepare_portal_layout_values()
        # a draw names its ticket, which the visitor may not read (another
        # contact's ticket of the same customer): its number and title only
        tickets = blocks.usage_ids.ticket_id.sudo()
        values.update(
            page_name="breakfix_prepaid",
            blocks=blocks,
            state_labels=dict(
                blocks._fields["state"]._description_selection(request.env)
            ),
            ticket_names={ticket.id: ticket.display_name for ticket in tickets},
        )
        return request.render("breakfix_billing.portal_my_prepaid_blocks", values)
