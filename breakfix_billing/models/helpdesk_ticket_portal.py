# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .. import pricing


class HelpdeskTicketPortal(models.Model):
    """The charges of a ticket as its customer sees them on the portal."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _breakfix_portal_shows_charges(self, user):
        """Whether ``user`` sees the charges of this ticket on the portal:
        only the people of the ticket's customer do (not the followers from
        elsewhere, who may see the ticket itself)."""
        self.ensure_one()
        customer = self.sudo().partner_id.commercial_partner_id
        return bool(
            customer
            and not user._is_public()
            and user.partner_id.commercial_partner_id == customer
        )

    def _breakfix_portal_charges(self):
        """The charges of the ticket as its customer sees them on the portal.

        Read as superuser, on a ticket the portal user was checked to see
        (``_breakfix_portal_shows_charges``): the posted invoices and credit
        notes of the ticket's customer with their lines and the pricing
        trace in their labels; when the team shows them, the charges not on
        a posted invoice yet (draft invoices and work still to invoice).
        Never costs nor internal notes: only what the customer's invoices
        say. The invoices of a former customer of the ticket (moved to
        another one after invoicing) are not this customer's: left out. An
        invoice is linked (without access token) only when the user may
        read it.
        """
        self.ensure_one()
        user = self.env.user
        ticket = self.sudo()
        kinds = ticket._breakfix_charge_kind_labels()
        currency = ticket.breakfix_currency_id
        customer = ticket.partner_id.commercial_partner_id
        lines = ticket.breakfix_invoice_line_ids.filtered(
            lambda line: (
                line.display_type == "product"
                and line.move_id.move_type in ("out_invoice", "out_refund")
                and line.move_id.commercial_partner_id == customer
            )
        )
        invoices = []
        invoiced = billed_hours = 0.0
        for move in lines.move_id.filtered(lambda move: move.state == "posted").sorted(
            lambda move: (move.invoice_date, move.id)
        ):
            charges = [
                ticket._breakfix_portal_invoice_line_charge(kinds, line)
                for line in move.invoice_line_ids & lines
            ]
            amount = sum(charge["amount"] for charge in charges)
            invoiced += amount
            billed_hours += sum(charge["hours"] for charge in charges)
            invoices.append(
                {
                    "invoice": move,
                    "url": move.access_url
                    if move.with_user(user).has_access("read")
                    else False,
                    "charges": charges,
                    "amount": amount,
                    "currency": move.currency_id,
                }
            )
        pending = []
        if ticket.team_id.breakfix_portal_show_draft:
            pending = [
                ticket._breakfix_portal_invoice_line_charge(kinds, line)
                for line in lines.filtered(lambda line: line.parent_state == "draft")
            ]
            result, _error = ticket._breakfix_price()
            if result is not None:
                pending += [
                    ticket._breakfix_portal_charge(
                        kinds,
                        line.kind,
                        line.label,
                        line.quantity,
                        line.price_unit,
                        line.amount,
                    )
                    for line in ticket._breakfix_get_invoiceable_charges(result)
                ]
        pending_amount = sum(charge["amount"] for charge in pending)
        return {
            "currency": currency,
            "invoices": invoices,
            "pending": pending,
            "show_pending": ticket.team_id.breakfix_portal_show_draft,
            "amount_invoiced": invoiced,
            "amount_pending": pending_amount,
            "billed_hours": billed_hours + sum(charge["hours"] for charge in pending),
        }

    def _breakfix_portal_invoice_line_charge(self, kinds, line):
        """A charge as an invoice line of the ticket says it (credit notes
        negative)."""
        return self._breakfix_portal_charge(
            kinds,
            line.breakfix_kind,
            line.name,
            line.quantity,
            line.price_unit,
            line.price_subtotal,
            -1 if line.move_id.move_type == "out_refund" else 1,
        )

    def _breakfix_portal_charge(
        self, kinds, kind, label, quantity, price_unit, amount, sign=1
    ):
        hours = quantity if kind in pricing.HOUR_KINDS else 0
        return {
            "kind": kinds.get(kind, ""),
            "label": label,
            "quantity": float(quantity) * sign,
            "price_unit": float(price_unit),
            "amount": float(amount) * sign,
            "hours": float(hours) * sign,
        }
