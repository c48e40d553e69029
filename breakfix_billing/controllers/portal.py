# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk


class BreakfixCustomerPortal(CustomerPortalHelpdesk):
    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        # A logged-in user asking for someone else's ticket gets "not
        # found", rather than a redirection to /my that hides the refusal; a
        # visitor who is not logged in logs in first, as before. A valid
        # access token opens the ticket (helpdesk_mgmt checks it again).
        try:
            self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError) as error:
            if request.env.user._is_public():
                return request.redirect_query(
                    "/web/login", {"redirect": request.httprequest.path}
                )
            raise NotFound() from error
        return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        values["breakfix_approval"] = ticket._breakfix_portal_approval(
            request.env.user, access_token
        )
        values["breakfix_error"] = kwargs.get("breakfix_error")
        if ticket._breakfix_portal_shows_charges(request.env.user):
            # as the visitor, who may or may not read each invoice
            values["breakfix_charges"] = ticket.with_user(
                request.env.user
            )._breakfix_portal_charges()
        return values
