# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError

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
        invoiced = invoiced_tax = billed_hours = 0.0
        for move in lines.move_id.filtered(lambda move: move.state == "posted").sorted(
            lambda move: (move.invoice_date, move.id)
        ):
            move_lines = move.invoice_line_ids & lines
            charges = [
                ticket._breakfix_portal_invoice_line_charge(kinds, line)
                for line in move_lines
            ]
            amount, tax = ticket._breakfix_portal_invoice_amounts(move, move_lines)
            invoiced += amount
            invoiced_tax += tax
            billed_hours += sum(charge["hours"] for charge in charges)
            invoices.append(
                {
                    "invoice": move,
                    "url": move.access_url
                    if move.with_user(user).has_access("read")
                    else False,
                    "charges": charges,
                    "amount": amount,
                    "amount_tax": tax,
                    "amount_total": amount + tax,
                    "currency": move.currency_id,
                }
            )
        pending = []
        pending_tax = 0.0
        if ticket.team_id.breakfix_portal_show_draft:
            drafts = lines.filtered(lambda line: line.parent_state == "draft")
            pending = [
                ticket._breakfix_portal_invoice_line_charge(kinds, line)
                for line in drafts
            ]
            for move in drafts.move_id:
                pending_tax += ticket._breakfix_portal_invoice_amounts(
                    move, drafts & move.invoice_line_ids, own_amounts=False
                )[1]
            result, _error = ticket._breakfix_price()
            if result is not None:
                due = ticket._breakfix_get_invoiceable_charges(result)
                pending += [
                    ticket._breakfix_portal_charge(
                        kinds,
                        line.kind,
                        line.label,
                        line.quantity,
                        line.price_unit,
                        line.amount,
                    )
                    for line in due
                ]
                pending_tax += ticket._breakfix_portal_charges_tax(due)
        pending_amount = sum(charge["amount"] for charge in pending)
        return {
            "currency": currency,
            "invoices": invoices,
            "pending": pending,
            "show_pending": ticket.team_id.breakfix_portal_show_draft,
            "amount_invoiced": invoiced,
            "amount_invoiced_tax": invoiced_tax,
            "amount_invoiced_total": invoiced + invoiced_tax,
            "amount_pending": pending_amount,
            "amount_pending_tax": pending_tax,
            "amount_pending_total": pending_amount + pending_tax,
            "billed_hours": billed_hours + sum(charge["hours"] for charge in pending),
        }

    def _breakfix_portal_invoice_amounts(self, move, move_lines, own_amounts=True):
        """``(untaxed, taxes)`` of the ticket's ``move_lines`` on ``move``,
        credit notes negative: the invoice's own amounts when all its lines
        are the ticket's (``own_amounts``), else as Odoo computes the taxes of
        those lines on it."""
        sign = -1 if move.move_type == "out_refund" else 1
        if (
            own_amounts
            and move.invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
            )
            == move_lines
        ):
            return sign * move.amount_untaxed, sign * move.amount_tax
        base_lines = [
            move._prepare_product_base_line_for_taxes_computation(line)
            for line in move_lines
        ]
        untaxed, tax = self._breakfix_tax_totals(base_lines, move.currency_id)
        return sign * untaxed, sign * tax

    def _breakfix_portal_charges_tax(self, charges):
        """The taxes of the not-yet-invoiced ``charges`` (``pricing.ChargeLine``),
        as the ticket's invoice will compute them: the product's taxes mapped by
        the customer's fiscal position (``_breakfix_amounts_by_taxes``), or the
        taxes the line is given (a not-to-exceed adjustment's)."""
        self.ensure_one()
        AccountTax = self.env["account.tax"]
        partner = self._breakfix_invoice_partner()
        base_lines = []
        for charge in charges:
            try:
                product = self._breakfix_charge_product(charge)[0]
                tax_key = charge.tax_key
                if tax_key is None:
                    tax_key = next(iter(self._breakfix_amounts_by_taxes([charge])))
            except UserError:
                continue  # not invoiceable as it is: the ticket says why
            base_lines.append(
                AccountTax._prepare_base_line_for_taxes_computation(
                    None,
                    product_id=product,
                    tax_ids=AccountTax.browse(tax_key),
                    price_unit=float(charge.price_unit),
                    quantity=float(charge.quantity),
                    currency_id=self.breakfix_currency_id,
                    partner_id=partner,
                )
            )
        return self._breakfix_tax_totals(base_lines, self.breakfix_currency_id)[1]

    def _breakfix_tax_totals(self, base_lines, currency):
        """``(untaxed, taxes)`` of ``base_lines`` as Odoo totals an invoice."""
        AccountTax = self.env["account.tax"]
        company = self.company_id or self.env.company
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        totals = AccountTax._get_tax_totals_summary(base_lines, currency, company)
        return totals["base_amount_currency"], totals["tax_amount_currency"]

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
            # a quantity of hours: shown as hours and minutes
            "counts_hours": kind in pricing.HOUR_KINDS,
        }
