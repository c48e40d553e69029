# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from decimal import Decimal
from typing import NamedTuple

from odoo import Command, models
from odoo.exceptions import UserError

from .. import pricing


class InvoicedAmounts(NamedTuple):
    """What a ticket's customer invoices charge (``Decimal``): the work
    before any not-to-exceed adjustment, the adjustments (0 or negative),
    and the adjustments by tax key."""

    work: Decimal
    adjusted: Decimal
    adjusted_by_taxes: dict


class HelpdeskTicketCharges(models.Model):
    """The charges of a ticket on its invoices: which are due, what the invoices
    already charge, and the invoice line of each (product, taxes)."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _breakfix_prepare_invoice_line_vals(self, line):
        """Invoice line values for one charge of the pricing result."""
        product, uom = self._breakfix_charge_product(line)
        vals = {
            "product_id": product.id,
            "product_uom_id": uom.id,
            "name": line.label,
            "quantity": float(line.quantity),
            "price_unit": float(line.price_unit),
            "breakfix_ticket_id": self.id,
            "breakfix_kind": line.kind,
            "breakfix_date": line.local_date,
        }
        if line.kind == pricing.KIND_LABOUR:
            vals["breakfix_timesheet_ids"] = [Command.link(line.source_key)]
        elif line.kind == pricing.KIND_MATERIAL:
            vals["breakfix_material_ids"] = [Command.link(line.source_key)]
        if line.tax_key is not None:
            vals["tax_ids"] = [Command.set(list(line.tax_key))]
        return vals

    def _breakfix_charge_product(self, line):
        """The product and unit of measure that invoice a charge; checked."""
        # not env.ref(): it checks that the record exists, a query per line
        xmlid_to_res_id = self.env["ir.model.data"]._xmlid_to_res_id
        hours = self.env["uom.uom"].browse(
            xmlid_to_res_id("uom.product_uom_hour", raise_if_not_found=True)
        )
        if line.kind in (pricing.KIND_LABOUR, pricing.KIND_MINIMUM):
            product, uom = (
                self.env["breakfix.work.type"].browse(line.work_type_key).product_id,
                hours,
            )
        elif line.kind == pricing.KIND_MATERIAL:
            material = self.env["helpdesk.ticket.material"].browse(line.source_key)
            product, uom = material.product_id, material.product_uom_id
        else:
            product = self.env["product.product"].browse(
                xmlid_to_res_id(
                    "breakfix_billing."
                    + {
                        pricing.KIND_CALLOUT: "product_breakfix_callout",
                        pricing.KIND_TRIP: "product_breakfix_trip",
                        pricing.KIND_ESTIMATE: "product_breakfix_not_to_exceed",
                    }[line.kind],
                    raise_if_not_found=True,
                )
            )
            uom = product.uom_id
        if product.company_id and product.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "Product “%(product)s” belongs to %(product_company)s, ticket "
                    "%(ticket)s to %(company)s.",
                    product=product.display_name,
                    product_company=product.company_id.name,
                    ticket=self.number,
                    company=self.company_id.name,
                )
            )
        accounts = product.with_company(self.company_id)._get_product_accounts()
        if not accounts["income"]:
            raise UserError(
                self.env._(
                    "Product “%(product)s” has no income account (nor has its "
                    "category): ticket %(ticket)s cannot be invoiced.",
                    product=product.display_name,
                    ticket=self.number,
                )
            )
        return product, uom

    def _breakfix_lines_to_invoice(self, result):
        """The charges of the ticket's next invoice: the billable charges of
        ``result`` not invoiced yet, and the not-to-exceed adjustment that
        keeps the invoices within the estimate (or gives back what earlier
        ones took off too much), one line per tax set."""
        due = self._breakfix_charges_due(result)
        invoiced = self._breakfix_invoiced_amounts()
        adjustment = self._breakfix_not_to_exceed_line(result, due, invoiced)
        if not adjustment:
            return due
        if adjustment.amount < 0:
            # taken off the lines it adjusts, under their taxes
            weights = self._breakfix_amounts_by_taxes(due)
        else:
            # gives back the earlier adjustments, under theirs
            weights = {
                key: -amount for key, amount in invoiced.adjusted_by_taxes.items()
            }
        return [*due, *pricing.split_by_taxes(result.rules, adjustment, weights)]

    def _breakfix_invoiced_amounts(self):
        """What the ticket's customer invoices charge, as the pricing made it.

        Amounts are quantity × unit price, not the subtotals (tax-included
        prices make those differ); credit notes count for nothing: they
        settle a charge, they make no room under the estimate.
        """
        self.ensure_one()
        digits = self.breakfix_currency_id.decimal_places
        work = adjusted = pricing.ZERO
        adjusted_by_taxes = {}
        for line in self.sudo().breakfix_invoice_line_ids:
            if not line._breakfix_is_charging():
                continue
            amount = pricing.quantize(
                pricing.to_decimal(line.quantity) * pricing.to_decimal(line.price_unit),
                digits,
            )
            if line.breakfix_kind == pricing.KIND_ESTIMATE:
                adjusted += amount
                key = tuple(sorted(line.tax_ids.ids))
                adjusted_by_taxes[key] = (
                    adjusted_by_taxes.get(key, pricing.ZERO) + amount
                )
            else:
                work += amount
        return InvoicedAmounts(work, adjusted, adjusted_by_taxes)

    def _breakfix_amounts_by_taxes(self, lines):
        """``{tax key: amount}`` of the charges ``lines`` by the taxes their
        invoice lines get, as Odoo gives them: the product's taxes for the
        company (else its income account's), mapped by the customer's fiscal
        position. A tax key is the sorted tuple of the taxes' ids."""
        company = self.company_id
        fiscal_position = self._breakfix_fiscal_position()
        company_domain = self.env["account.tax"]._check_company_domain(company)
        amounts = {}
        for line in lines:
            product = self._breakfix_charge_product(line)[0]
            taxes = product.taxes_id.filtered_domain(company_domain)
            if not taxes:
                accounts = product.with_company(company)._get_product_accounts()
                taxes = fiscal_position.map_account(accounts["income"]).tax_ids
                taxes = taxes.filtered(lambda tax: tax.type_tax_use == "sale")
            taxes = taxes._filter_taxes_by_company(company)
            if taxes and fiscal_position:
                taxes = fiscal_position.map_tax(taxes)
            key = tuple(sorted(taxes.ids))
            amounts[key] = amounts.get(key, pricing.ZERO) + line.amount
        return amounts

    def _breakfix_charges_due(self, result):
        """The billable charges of ``result`` not invoiced yet.

        Time entries and parts are invoiced once; the call-out fee and the
        minimum charge once per ticket; a trip fee once per day.
        """
        self.ensure_one()
        # technicians see what is left to invoice, not the invoices themselves
        ticket = self.sudo()
        charging = ticket.breakfix_invoice_line_ids.filtered(
            lambda line: line._breakfix_is_charging()
        )
        invoiced_kinds = set(charging.mapped("breakfix_kind"))
        invoiced_days = set(
            charging.filtered(lambda line: line.breakfix_kind == "trip").mapped(
                "breakfix_date"
            )
        )
        invoiced_entries = set(
            ticket.timesheet_ids.filtered("breakfix_invoice_line_ids").ids
        )
        invoiced_parts = set(
            ticket.breakfix_material_ids.filtered("invoice_line_id").ids
        )
        due = []
        for line in result.lines:
            if not line.billable:
                continue
            if line.kind == pricing.KIND_LABOUR and line.source_key in invoiced_entries:
                continue
            if line.kind == pricing.KIND_MATERIAL and line.source_key in invoiced_parts:
                continue
            if line.kind in (pricing.KIND_CALLOUT, pricing.KIND_MINIMUM) and (
                line.kind in invoiced_kinds
            ):
                continue
            if line.kind == pricing.KIND_TRIP and line.local_date in invoiced_days:
                continue
            due.append(line)
        return due
