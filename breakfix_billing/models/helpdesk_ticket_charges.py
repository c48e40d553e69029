# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, models
from odoo.exceptions import UserError

from .. import pricing


class HelpdeskTicketCharges(models.Model):
    """The charges of a ticket on its invoices: which are due, what the invoices
    already charge, and the invoice line of each (product, taxes).

    The rules are docs/pricing.md §7–§9, applied by the pricing package
    (``pricing.invoicing``, by the kinds of ``pricing.kinds``); this file
    reads the ticket's invoice lines for it and turns its charges into
    invoice lines.
    """

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    # What a kind's ``source`` is on the ticket: {source: (the ticket's field
    # of those records, their field linking them to the invoice line that
    # invoices them, the invoice line's field linking them)}.
    _breakfix_charge_sources = {
        pricing.SOURCE_ENTRY: (
            "timesheet_ids",
            "breakfix_invoice_line_ids",
            "breakfix_timesheet_ids",
        ),
        pricing.SOURCE_PART: (
            "breakfix_material_ids",
            "invoice_line_id",
            "breakfix_material_ids",
        ),
    }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _breakfix_get_invoiceable_charges(
        self, result=None, rules_by_card=None, prepaid=None
    ):
        """The charges (``pricing.ChargeLine``) of the ticket's next invoice:
        the billable charges of the pricing ``result`` not invoiced yet, and
        the not-to-exceed adjustment that keeps the invoices within the
        estimate (or gives back what earlier ones took off too much), one
        line per tax set.

        Without ``result``, the ticket is priced here, its labels in its
        customer's language (``rules_by_card`` as ``_breakfix_price`` takes
        it); a ticket that cannot be priced raises ``UserError`` saying why.

        With ``prepaid`` (a drafting run's ``PrepaidBatch``), the customer's
        prepaid blocks pay what they may: their negative lines follow, and
        the draws are kept in ``prepaid.draws[ticket]``.
        """
        self.ensure_one()
        if result is None:
            if not self._breakfix_is_billable():
                return []
            ticket = self._breakfix_in_customer_lang()
            try:
                result = ticket._breakfix_pricing_result(
                    rules_by_card=rules_by_card, reviewed_only=True
                )
            except pricing.PricingError as error:
                raise UserError(error.translated(self.env._)) from error
            return ticket._breakfix_get_invoiceable_charges(result, prepaid=prepaid)
        due = self._breakfix_charges_due(result)
        if due and self.team_id.breakfix_invoice_show_no_charge:
            # what was given free rides along with what is charged
            due = pricing.with_no_charge_lines(
                result.rules,
                result.lines,
                due,
                self._breakfix_invoiced(),
                translate=self.env._,
            )
        invoiced = self._breakfix_invoiced_amounts()
        adjustment = self._breakfix_not_to_exceed_line(result, due, invoiced)
        lines = pricing.lines_to_invoice(
            result.rules,
            due,
            adjustment,
            invoiced,
            due_by_taxes=lambda: self._breakfix_amounts_by_taxes(due),
        )
        if prepaid is not None and lines:
            lines, prepaid.draws[self] = self._breakfix_draw_prepaid(
                result, lines, prepaid
            )
            prepaid.rules[self] = result.rules
        return lines

    def _breakfix_in_customer_lang(self):
        """The ticket in its customer's language: its invoices' labels."""
        return self.with_context(lang=self.partner_id.lang or self.env.lang)

    def _breakfix_prepare_invoice_line(self, charge, **optional_values):
        """The values of the invoice line of one ``charge``; other addons add
        theirs by keyword, as ``sale`` lines do."""
        self.ensure_one()
        product, uom = self._breakfix_charge_product(charge)
        vals = {
            "product_id": product.id,
            "product_uom_id": uom.id,
            "name": self._breakfix_invoice_line_label(charge),
            "quantity": float(charge.quantity),
            "price_unit": float(charge.price_unit),
            "breakfix_ticket_id": self.id,
            "breakfix_kind": charge.kind,
            "breakfix_date": charge.local_date,
        }
        source = pricing.KINDS[charge.kind].source
        if source:
            link_field = self._breakfix_charge_sources[source][2]
            vals[link_field] = [Command.link(charge.source_key)]
        if charge.tax_key is not None:
            vals["tax_ids"] = [Command.set(list(charge.tax_key))]
        vals.update(optional_values)
        return vals

    def _breakfix_invoice_line_label(self, charge):
        """The label of a charge's invoice line: a time entry's pricing trace
        goes on its own line under its work type, so that the invoice form
        shows a short name and the trace stays readable below it."""
        if pricing.KINDS[charge.kind].source != pricing.SOURCE_ENTRY:
            return charge.label
        work_type = self.env["breakfix.work.type"].browse(charge.work_type_key)
        return f"{work_type.name}\n{charge.label}"

    def _breakfix_charge_product(self, charge):
        """The product and unit of measure that invoice a charge; checked."""
        kind = pricing.KINDS[charge.kind]
        # not env.ref(): it checks that the record exists, a query per line
        xmlid_to_res_id = self.env["ir.model.data"]._xmlid_to_res_id
        if kind.product == pricing.PRODUCT_OF_WORK_TYPE:
            work_type = self.env["breakfix.work.type"].browse(charge.work_type_key)
            product = work_type.product_id
            uom = self.env["uom.uom"].browse(
                xmlid_to_res_id("uom.product_uom_hour", raise_if_not_found=True)
            )
        elif kind.product == pricing.PRODUCT_OF_PART:
            material = self.env["helpdesk.ticket.material"].browse(charge.source_key)
            product, uom = material.product_id, material.product_uom_id
        else:
            product = self.env["product.product"].browse(
                xmlid_to_res_id(
                    f"breakfix_billing.{kind.product}", raise_if_not_found=True
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

    def _breakfix_charge_kind_labels(self):
        """``{kind: label}`` of the charge kinds, in the user's language."""
        field = self.env["account.move.line"]._fields["breakfix_kind"]
        return dict(field._description_selection(self.env))

    def _breakfix_charging_lines(self):
        """The ticket's invoice lines that still charge its work."""
        self.ensure_one()
        # technicians see what is left to invoice, not the invoices themselves
        return self.sudo().breakfix_invoice_line_ids.filtered(
            lambda line: line._breakfix_is_charging()
        )

    def _breakfix_invoiced(self):
        """What the ticket's invoices charge already (``pricing.Invoiced``)."""
        self.ensure_one()
        ticket = self.sudo()
        charging = self._breakfix_charging_lines()
        return pricing.Invoiced(
            kinds=frozenset(charging.mapped("breakfix_kind")),
            days=frozenset(
                (line.breakfix_kind, line.breakfix_date) for line in charging
            ),
            sources={
                source: frozenset(ticket[records_field].filtered(link_field).ids)
                for source, (
                    records_field,
                    link_field,
                    _line_field,
                ) in self._breakfix_charge_sources.items()
            },
        )

    def _breakfix_charges_due(self, result):
        """The billable charges of ``result`` not invoiced yet."""
        return pricing.charges_due(result.lines, self._breakfix_invoiced())

    def _breakfix_invoiced_amounts(self):
        """What the ticket's customer invoices charge, as the pricing made it
        (``pricing.InvoicedAmounts``); credit notes count for nothing: they
        settle a charge, they make no room under the estimate."""
        return pricing.invoiced_amounts(
            [
                pricing.InvoicedLine(
                    kind=line.breakfix_kind,
                    quantity=line.quantity,
                    price_unit=line.price_unit,
                    tax_key=tuple(sorted(line.tax_ids.ids)),
                )
                for line in self._breakfix_charging_lines()
            ],
            self.breakfix_currency_id.decimal_places,
        )

    def _breakfix_amounts_by_taxes(self, charges):
        """``{tax key: amount}`` of the ``charges`` by the taxes their invoice
        lines get (``_breakfix_charge_tax_key``)."""
        tax_key_of = self._breakfix_charge_tax_keys()
        amounts = {}
        for charge in charges:
            key = tax_key_of(charge)
            amounts[key] = amounts.get(key, pricing.ZERO) + charge.amount
        return amounts

    def _breakfix_charge_tax_keys(self):
        """A function giving a charge the tax key of its invoice line, as Odoo
        gives it: the charge's own taxes if it says (an adjustment), else its
        product's taxes for the company (else its income account's), mapped
        by the customer's fiscal position. A tax key is the sorted tuple of
        the taxes' ids."""
        company = self.company_id
        fiscal_position = self._breakfix_fiscal_position()
        company_domain = self.env["account.tax"]._check_company_domain(company)

        def tax_key_of(charge):
            if charge.tax_key is not None:
                return tuple(charge.tax_key)
            product = self._breakfix_charge_product(charge)[0]
            taxes = product.taxes_id.filtered_domain(company_domain)
            if not taxes:
                accounts = product.with_company(company)._get_product_accounts()
                taxes = fiscal_position.map_account(accounts["income"]).tax_ids
                taxes = taxes.filtered(lambda tax: tax.type_tax_use == "sale")
            taxes = taxes._filter_taxes_by_company(company)
            if taxes and fiscal_position:
                taxes = fiscal_position.map_tax(taxes)
            return tuple(sorted(taxes.ids))

        return tax_key_of
