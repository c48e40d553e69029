# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import format_amount

from odoo.addons.portal.controllers.portal import CustomerPortal


class BreakfixCapPortal(CustomerPortal):
    """/my/breakfix/cap: the customer's monthly cap and this month's spend;
    the customer's people raise it (never lower it: that is the shop's to
    agree)."""

    def _breakfix_customer(self):
        return request.env.user.partner_id.commercial_partner_id.sudo()

    def _breakfix_cap_page(self, error=None, saved=False):
        customer = self._breakfix_customer()
        company = request.env.company
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="breakfix_cap",
            customer=customer,
            cap=customer.breakfix_monthly_cap,
            spend=customer._breakfix_month_spend(company),
            currency=company.currency_id,
            error=error,
            saved=saved,
        )
        return request.render("breakfix_billing.portal_my_breakfix_cap", values)

    @http.route(
        "/my/breakfix/cap", type="http", auth="user", methods=["GET"], website=True
    )
    def portal_my_breakfix_cap(self, **kw):
        return self._breakfix_cap_page()

    @http.route(
        "/my/breakfix/cap",
        type="http",
        auth="user",
        methods=["POST"],
        csrf=True,
        website=True,
    )
    def portal_my_breakfix_cap_raise(self, cap=None, **kw):
        customer = self._breakfix_customer()
        try:
            new_cap = float(cap or "")
        except ValueError:
            new_cap = None
        current = customer.breakfix_monthly_cap
        if (
            new_cap is None
            or not math.isfinite(new_cap)
            or new_cap <= 0
            or (current and new_cap <= current)
        ):
            return self._breakfix_cap_page(
                error=request.env._(
                    "Type an amount above the current cap: the shop lowers it with you."
                )
                if current
                else request.env._("Type the amount of your monthly cap.")
            )
        try:
            # a refused cap writes nothing
            with request.env.cr.savepoint():
                customer.breakfix_monthly_cap = new_cap
            customer.message_post(
                body=request.env._(
                    "%(user)s raised the monthly cap to %(cap)s from the portal.",
                    user=request.env.user.name,
                    cap=format_amount(
                        request.env, new_cap, request.env.company.currency_id
                    ),
                ),
                author_id=request.env.user.partner_id.id,
            )
        except ValidationError as error:
            return self._breakfix_cap_page(error=error.args[0])
        return self._breakfix_cap_page(saved=True)
