# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a ticket's next invoice charges (docs/pricing.md §7–§9), on the pure
pricing package: the kinds' table, charges due after earlier invoices,
invoiced amounts and the adjustment's lines."""

from datetime import date
from decimal import Decimal as D

from odoo.tests import BaseCase, tagged

from ..pricing import ChargeLine, Invoiced, InvoicedLine, PricingRules, invoicing, kinds

MONDAY, TUESDAY = date(2026, 3, 2), date(2026, 3, 3)


def charge(kind, amount, billable=True, **kwargs):
    return ChargeLine(
        kind=kind,
        label=kind,
        quantity=D(1),
        price_unit=D(amount),
        amount=D(amount),
        billable=billable,
        **kwargs,
    )


@tagged("post_install", "-at_install")
class TestChargeKinds(BaseCase):
    def test_the_table_gives_the_order_and_the_rules(self):
        self.assertEqual(
            kinds.LINE_ORDER,
            (
                kinds.KIND_CALLOUT,
                kinds.KIND_LABOUR,
                kinds.KIND_MINIMUM,
                kinds.KIND_TRIP,
                kinds.KIND_MILEAGE,
                kinds.KIND_MATERIAL,
                kinds.KIND_ESTIMATE,
                kinds.KIND_PREPAID,
            ),
        )
        self.assertEqual(kinds.HOUR_KINDS, (kinds.KIND_LABOUR, kinds.KIND_MINIMUM))
        self.assertEqual(
            kinds.FEE_KINDS,
            (
                kinds.KIND_CALLOUT,
                kinds.KIND_MINIMUM,
                kinds.KIND_TRIP,
                kinds.KIND_MILEAGE,
                kinds.KIND_ESTIMATE,
                kinds.KIND_PREPAID,
            ),
        )
        # worked out for each draft, not priced: no ticket field of their own
        self.assertEqual(kinds.PRICED_KINDS, kinds.LINE_ORDER[:-2])
        self.assertEqual(
            kinds.kind_selection(),
            [
                ("callout", "Call-out fee"),
                ("labour", "Labour"),
                ("minimum", "Minimum charge"),
                ("trip", "Trip fee"),
                ("mileage", "Mileage"),
                ("material", "Part"),
                ("estimate", "Not-to-exceed adjustment"),
                ("prepaid", "Prepaid draw"),
            ],
        )


@tagged("post_install", "-at_install")
class TestChargesDue(BaseCase):
    lines = (
        charge(kinds.KIND_CALLOUT, 95),
        charge(kinds.KIND_LABOUR, 150, source_key=11, local_date=MONDAY),
        charge(kinds.KIND_LABOUR, 75, source_key=12, local_date=TUESDAY),
        charge(
            kinds.KIND_LABOUR, 60, billable=False, source_key=13, local_date=TUESDAY
        ),
        charge(kinds.KIND_MINIMUM, 25),
        charge(kinds.KIND_TRIP, 40, local_date=MONDAY),
        charge(kinds.KIND_TRIP, 40, local_date=TUESDAY),
        charge(kinds.KIND_MATERIAL, "45.50", source_key=21),
        charge(kinds.KIND_MATERIAL, "12.00", source_key=22),
    )

    def _due(self, invoiced):
        return [
            (line.kind, line.amount)
            for line in invoicing.charges_due(self.lines, invoiced)
        ]

    def test_nothing_invoiced_yet_all_billable_charges_are_due(self):
        self.assertEqual(
            self._due(Invoiced()),
            [
                (kinds.KIND_CALLOUT, D(95)),
                (kinds.KIND_LABOUR, D(150)),
                (kinds.KIND_LABOUR, D(75)),
                (kinds.KIND_MINIMUM, D(25)),
                (kinds.KIND_TRIP, D(40)),
                (kinds.KIND_TRIP, D(40)),
                (kinds.KIND_MATERIAL, D("45.50")),
                (kinds.KIND_MATERIAL, D("12.00")),
            ],
        )

    def test_each_kind_is_invoiced_once_by_its_rule(self):
        # an earlier invoice charged the call-out fee, the minimum, Monday's
        # trip, entry 11 and part 21: only the rest is due
        invoiced = Invoiced(
            kinds=frozenset(
                {
                    kinds.KIND_CALLOUT,
                    kinds.KIND_MINIMUM,
                    kinds.KIND_TRIP,
                    kinds.KIND_LABOUR,
                }
            ),
            days=frozenset({(kinds.KIND_TRIP, MONDAY), (kinds.KIND_LABOUR, MONDAY)}),
            sources={
                kinds.SOURCE_ENTRY: frozenset({11}),
                kinds.SOURCE_PART: frozenset({21}),
            },
        )
        due = invoicing.charges_due(self.lines, invoiced)
        self.assertEqual(
            [(line.kind, line.source_key or line.local_date) for line in due],
            [
                (kinds.KIND_LABOUR, 12),
                (kinds.KIND_TRIP, TUESDAY),
                (kinds.KIND_MATERIAL, 22),
            ],
        )
        self.assertEqual(sum(line.amount for line in due), D("127.00"))


@tagged("post_install", "-at_install")
class TestInvoicedAmounts(BaseCase):
    def test_work_and_adjustments_by_taxes(self):
        amounts = invoicing.invoiced_amounts(
            [
                InvoicedLine(
                    kinds.KIND_LABOUR, quantity=1.25, price_unit=95.0, tax_key=(1,)
                ),
                InvoicedLine(
                    kinds.KIND_MATERIAL, quantity=3, price_unit=12.345, tax_key=(1,)
                ),
                InvoicedLine(kinds.KIND_ESTIMATE, quantity=1, price_unit=-72.38),
                InvoicedLine(
                    kinds.KIND_ESTIMATE, quantity=1, price_unit=-35.29, tax_key=(2,)
                ),
            ],
            currency_digits=2,
        )
        # 118.75 + 37.04 (37.035 rounded half up)
        self.assertEqual(amounts.work, D("155.79"))
        self.assertEqual(amounts.adjusted, D("-107.67"))
        self.assertEqual(
            amounts.adjusted_by_taxes, {(): D("-72.38"), (2,): D("-35.29")}
        )

    def test_nothing_invoiced(self):
        amounts = invoicing.invoiced_amounts([], currency_digits=2)
        self.assertEqual((amounts.work, amounts.adjusted), (D(0), D(0)))
        self.assertEqual(amounts.adjusted_by_taxes, {})


@tagged("post_install", "-at_install")
class TestLinesToInvoice(BaseCase):
    rules = PricingRules(name="Standard rates")

    def test_an_excess_is_split_over_the_taxes_of_the_due_work(self):
        due = [
            charge(kinds.KIND_LABOUR, 400, source_key=1),
            charge(kinds.KIND_MATERIAL, 200),
        ]
        invoiced = invoicing.invoiced_amounts([], currency_digits=2)
        adjustment = invoicing.not_to_exceed_line(
            self.rules, estimate=D(500), work=D(600), adjusted=D(0), due=D(600)
        )
        lines = invoicing.lines_to_invoice(
            self.rules,
            due,
            adjustment,
            invoiced,
            due_by_taxes=lambda: {(1,): D(400), (2,): D(200)},
        )
        self.assertEqual(
            [(line.kind, line.amount, line.tax_key) for line in lines],
            [
                (kinds.KIND_LABOUR, D(400), None),
                (kinds.KIND_MATERIAL, D(200), None),
                (kinds.KIND_ESTIMATE, D("-66.67"), (1,)),
                (kinds.KIND_ESTIMATE, D("-33.33"), (2,)),
            ],
        )

    def test_a_reversal_follows_the_taxes_of_the_earlier_adjustments(self):
        invoiced = invoicing.invoiced_amounts(
            [
                InvoicedLine(
                    kinds.KIND_LABOUR, quantity=1, price_unit=650.0, tax_key=(1,)
                ),
                InvoicedLine(
                    kinds.KIND_ESTIMATE, quantity=1, price_unit=-100.0, tax_key=(1,)
                ),
                InvoicedLine(
                    kinds.KIND_ESTIMATE, quantity=1, price_unit=-50.0, tax_key=(2,)
                ),
            ],
            currency_digits=2,
        )
        adjustment = invoicing.not_to_exceed_line(
            self.rules,
            estimate=D(500),
            work=invoiced.work,
            adjusted=invoiced.adjusted,
            due=D(0),
            approved=True,
        )

        def due_by_taxes():
            raise AssertionError("a reversal does not read the due lines' taxes")

        lines = invoicing.lines_to_invoice(
            self.rules, [], adjustment, invoiced, due_by_taxes
        )
        self.assertEqual(
            [(line.amount, line.tax_key) for line in lines],
            [(D(100), (1,)), (D(50), (2,))],
        )

    def test_no_adjustment_the_due_lines_only(self):
        due = [charge(kinds.KIND_CALLOUT, 95)]
        self.assertIs(
            invoicing.lines_to_invoice(self.rules, due, None, None, due_by_taxes=None),
            due,
        )
