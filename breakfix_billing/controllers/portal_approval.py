# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class BreakfixApprovalPortal(CustomerPortal):
    """The customer answers a ticket's approval request on its portal page:
    plain form posts, CSRF-checked; only a person of the ticket's customer,
    or whoever holds the link's access token, answers, and only once."""

    def _breakfix_answerable_ticket(self, ticket_id, access_token):
        """The ticket (as superuser) the visitor may answer, else 404; 403
        when the request was answered already."""
        try:
            ticket = self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        if not ticket._breakfix_may_answer(request.env.user, access_token):
            raise NotFound()
        if ticket.breakfix_approval_state != "requested":
            raise Forbidden()
        return ticket

    def _breakfix_answer_author(self, ticket):
        user = request.env.user
        return ticket.partner_id if user._is_public() else user.partner_id

    def _breakfix_back_to_ticket(self, ticket, access_token, error=None):
        """Back to the ticket's page, at its approval, saying what went
        wrong if anything did."""
        query = {"access_token": access_token} if access_token else {}
        if error:
            query["breakfix_error"] = error
        suffix = f"?{urlencode(query)}" if query else ""
        return request.redirect(f"{ticket.access_url}{suffix}#breakfix_approval")

    @http.route(
        "/my/ticket/<int:ticket_id>/breakfix/accept",
        type="http",
        auth="public",
        methods=["POST"],
    )
    def portal_breakfix_accept(
        self,
        ticket_id,
        name=None,
        signature=None,
        po=None,
        amount=None,
        access_token=None,
        **kw,
    ):
        ticket = self._breakfix_answerable_ticket(ticket_id, access_token)
        try:
            shown = float(amount) if amount else None
        except ValueError:
            shown = -1.0
        try:
            # a refused answer writes nothing
            with request.env.cr.savepoint():
                ticket.with_context(lang=request.env.lang)._breakfix_approve(
                    name,
                    signature,
                    po=po,
                    ip=request.httprequest.remote_addr,
                    author=self._breakfix_answer_author(ticket),
                    amount=shown,
                )
        except UserError as error:
            return self._breakfix_back_to_ticket(ticket, access_token, error.args[0])
        return self._breakfix_back_to_ticket(ticket, access_token)

    @http.route(
        "/my/ticket/<int:ticket_id>/breakfix/decline",
        type="http",
        auth="public",
        methods=["POST"],
    )
    def portal_breakfix_decline(self, ticket_id, reason=None, access_token=None, **kw):
        ticket = self._breakfix_answerable_ticket(ticket_id, access_token)
        try:
            with request.env.cr.savepoint():
                ticket.with_context(lang=request.env.lang)._breakfix_decline(
                    reason,
                    ip=request.httprequest.remote_addr,
                    author=self._breakfix_answer_author(ticket),
                )
        except UserError as error:
            return self._breakfix_back_to_ticket(ticket, access_token, error.args[0])
        return self._breakfix_back_to_ticket(ticket, access_token)
