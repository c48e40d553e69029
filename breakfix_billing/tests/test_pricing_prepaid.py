# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Prepaid blocks drawn down by a draft (docs/pricing.md §14), on the pure
pricing package, with exact numbers.

The charges are the engine's own (``price_ticket``): remote support at
90.00 an hour, business hours 08:00–17:00 on weekdays in Europe/Brussels
(UTC+1 in November), weekend ×2.0. Datetimes given to the engine are UTC.
2026-11-17 is a Tuesday.
"""

from dataclasses import replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from odoo.tests import BaseCase, tagged

from ..pricing import (
    UNIT_HOURS,
    UNIT_MONEY,
    BusinessCalendar,
    Invoiced,
    InvoicedLine,
    MaterialInput,
    PrepaidBlock,
    TicketInput,
    charges_due,
    invoiced_amounts,
    kinds,
    lines_to_invoice,
    not_to_exceed_line,
    prepaid_lines,
    price_ticket,
    total,
)
from .test_pricing import RATES, entry, rules

EIGHT_TO_FIVE = BusinessCalendar(
    tz="Europe/Brussels", attendances={day: ((8.0, 17.0),) for day in range(5)}
)
TUESDAY, WEDNESDAY, SATURDAY = (
    date(2026, 11, 17),
    date(2026, 11, 18),
    date(2026, 11, 21),
)
VAT = (21,)  # the tax key of 21 % VAT
UNTAXED = ()


def at(day, hour):
    """``hour`` local (Brussels, UTC+1) on ``day``, in UTC."""
    return datetime(day.year, day.month, day.day, hour - 1)


def card(**kwargs):
    return rules(calendar=EIGHT_TO_FIVE, **kwargs)


def charges(rules_, *entries, emergency=False, materials=()):
    """The charges of a ticket's first draft."""
    result = price_ticket(
        rules_,
        RATES,
        TicketInput(emergency=emergency, entries=entries, materials=materials),
    )
    return charges_due(result.lines, Invoiced())


def hours_block(balance, key=1, name="10 h block", **kwargs):
    kwargs.setdefault("date_from", date(2026, 11, 1))
    return PrepaidBlock(key, name, UNIT_HOURS, D(balance), **kwargs)


def money_block(balance, key=2, name="Support fund", **kwargs):
    kwargs.setdefault("date_from", date(2026, 11, 1))
    return PrepaidBlock(key, name, UNIT_MONEY, D(balance), **kwargs)


def drawn(draws):
    return [(d.block.key, d.quantity, d.amount, d.balance) for d in draws]


def prepaid(lines):
    return [
        (line.amount, line.tax_key, line.source_key)
        for line in lines
        if line.kind == kinds.KIND_PREPAID
    ]


def taxes_by_kind(charge):
    """21 % on labour and fees, parts untaxed."""
    return UNTAXED if charge.kind == kinds.KIND_MATERIAL else VAT


def taxed_total(lines):
    """The invoice's total with taxes: 21 % on VAT lines, per tax set."""
    by_taxes = {}
    for line in lines:
        by_taxes[line.tax_key] = by_taxes.get(line.tax_key, D(0)) + line.amount
    return sum(
        (
            (amount * (D("1.21") if key == VAT else 1)).quantize(
                D("0.01"), ROUND_HALF_UP
            )
            for key, amount in by_taxes.items()
        ),
        D(0),
    )


@tagged("post_install", "-at_install")
class TestPrepaidDrawDown(BaseCase):
    def test_the_hours_block_of_the_spec(self):
        # docs/pricing.md §14.8: three tickets on one 10.00 h block
        rules_ = card()
        block = hours_block("10.00")
        for start, hours, expected_draw, expected_total in (
            (at(TUESDAY, 9), 3, (D("3.00"), D("270.00"), D("7.00")), D("0.00")),
            (at(SATURDAY, 9), 2, (D("4.00"), D("360.00"), D("3.00")), D("0.00")),
            (at(WEDNESDAY, 8), 5, (D("3.00"), D("270.00"), D("0.00")), D("180.00")),
        ):
            with self.subTest(start=start):
                due = charges(rules_, entry(start, hours))
                lines, draws = prepaid_lines(rules_, due, [block])
                self.assertEqual(drawn(draws), [(1, *expected_draw)])
                self.assertEqual(total(lines), expected_total)
                self.assertEqual(lines[: len(due)], due)
                block = hours_block(draws[0].balance)
        self.assertEqual(block.balance, D("0.00"))
        due = charges(rules_, entry(at(TUESDAY, 9), 3))
        self.assertEqual(
            [line.label for line in prepaid_lines(rules_, due, [hours_block(10)])[0]][
                -1
            ],
            "Prepaid: 10 h block · 3.00 h applied, 7.00 h left",
        )

    def test_a_used_block_draws_nothing(self):
        rules_ = card()
        due = charges(rules_, entry(at(TUESDAY, 9), 3))
        lines, draws = prepaid_lines(rules_, due, [hours_block("0.00")])
        self.assertEqual((lines, draws), (due, []))

    def test_the_money_block_of_the_spec_pays_the_call_out_fee(self):
        rules_ = card(callout_fee=D("75.00"))
        due = charges(rules_, entry(at(TUESDAY, 9), 2), emergency=True)
        self.assertEqual(total(due), D("255.00"))
        lines, draws = prepaid_lines(
            rules_, due, [money_block("1000.00", covers_fees=True)]
        )
        self.assertEqual(drawn(draws), [(2, D("255.00"), D("255.00"), D("745.00"))])
        self.assertEqual(
            [(p.charge.kind, p.quantity, p.amount) for p in draws[0].payments],
            [
                (kinds.KIND_CALLOUT, D("75.00"), D("75.00")),
                (kinds.KIND_LABOUR, D("180.00"), D("180.00")),
            ],
        )
        self.assertIs(draws[0].payments[0].charge, due[0])
        self.assertEqual(total(lines), D("0.00"))
        self.assertEqual(
            draws[0].lines[0].label,
            "Prepaid: Support fund · 255.00 applied, 745.00 left",
        )
        self.assertEqual(draws[0].lines, lines[-1:])
        self.assertEqual(
            (lines[-1].kind, lines[-1].quantity, lines[-1].price_unit),
            (kinds.KIND_PREPAID, D(1), D("-255.00")),
        )

    def test_a_money_block_without_fees_pays_the_labour_only(self):
        rules_ = card(callout_fee=D("75.00"), trip_fee=D("45.00"))
        due = charges(rules_, entry(at(TUESDAY, 9), 2, onsite=True), emergency=True)
        lines, draws = prepaid_lines(rules_, due, [money_block("1000.00")])
        self.assertEqual(drawn(draws), [(2, D("180.00"), D("180.00"), D("820.00"))])
        self.assertEqual(total(lines), D("120.00"))  # call-out 75.00 + trip 45.00

    def test_an_hours_block_pays_no_fee(self):
        rules_ = card(callout_fee=D("75.00"), minimum_minutes=120)
        due = charges(rules_, entry(at(TUESDAY, 9), 1), emergency=True)
        self.assertEqual(total(due), D("255.00"))  # 75.00 + 90.00 + minimum 90.00
        lines, draws = prepaid_lines(rules_, due, [hours_block("10.00")])
        self.assertEqual(drawn(draws), [(1, D("1.00"), D("90.00"), D("9.00"))])
        self.assertEqual(total(lines), D("165.00"))

    def test_parts_are_never_drawn(self):
        rules_ = card()
        part = MaterialInput(key=5, name="SSD", quantity=1, price_unit=D("50.00"))
        due = charges(rules_, entry(at(TUESDAY, 9), 1), materials=(part,))
        lines, draws = prepaid_lines(
            rules_, due, [money_block("1000.00", covers_fees=True)]
        )
        self.assertEqual(drawn(draws), [(2, D("90.00"), D("90.00"), D("910.00"))])
        self.assertEqual(total(lines), D("50.00"))

    def test_earliest_expiry_first_the_next_block_takes_the_rest(self):
        rules_ = card()
        due = charges(rules_, entry(at(TUESDAY, 9), 3))
        blocks = [
            hours_block("10.00", key="no expiry"),
            hours_block("5.00", key="newer", date_from=date(2026, 11, 10),
                        date_to=date(2026, 12, 31)),
            hours_block("2.00", key="older", date_from=date(2026, 10, 1),
                        date_to=date(2026, 12, 31)),
        ]  # fmt: skip
        lines, draws = prepaid_lines(rules_, due, blocks)
        self.assertEqual(
            drawn(draws),
            [
                ("older", D("2.00"), D("180.00"), D("0.00")),
                ("newer", D("1.00"), D("90.00"), D("4.00")),
            ],
        )
        self.assertEqual(
            prepaid(lines),
            [(D("-180.00"), None, "older"), (D("-90.00"), None, "newer")],
        )
        self.assertEqual(total(lines), D("0.00"))

    def test_blocks_outside_their_validity_are_ignored(self):
        rules_ = card()
        due = charges(rules_, entry(at(TUESDAY, 9), 3))
        expired = hours_block("10.00", key="expired", date_to=date(2026, 11, 16))
        not_yet = hours_block("10.00", key="not yet", date_from=date(2026, 11, 18))
        self.assertEqual(prepaid_lines(rules_, due, [expired, not_yet]), (due, []))
        last_day = hours_block("1.00", key="last day", date_to=TUESDAY)
        _lines, draws = prepaid_lines(rules_, due, [expired, not_yet, last_day])
        self.assertEqual(drawn(draws), [("last day", D("1.00"), D("90.00"), D("0.00"))])

    def test_each_charge_by_its_own_day(self):
        # Tuesday's and Wednesday's work; the call-out fee is Tuesday's, the
        # first day of work, unless the caller says otherwise
        rules_ = card(callout_fee=D("75.00"))
        due = charges(
            rules_,
            entry(at(TUESDAY, 9), 1),
            entry(at(WEDNESDAY, 9), 2),
            emergency=True,
        )
        block = money_block("1000.00", covers_fees=True, date_from=WEDNESDAY)
        lines, draws = prepaid_lines(rules_, due, [block])
        self.assertEqual(drawn(draws), [(2, D("180.00"), D("180.00"), D("820.00"))])
        self.assertEqual(total(lines), D("165.00"))  # Tuesday's 90.00 + 75.00
        _lines, draws = prepaid_lines(rules_, due, [block], first_work_day=WEDNESDAY)
        self.assertEqual(drawn(draws), [(2, D("255.00"), D("255.00"), D("745.00"))])

    def test_an_emergency_weekend_draws_at_the_higher_factor(self):
        # weekend 2.0, emergency 2.5: 1 h at ×2.5 draws 2.50 h
        rules_ = card(emergency_factor=D("2.5"), callout_fee=D("75.00"))
        due = charges(rules_, entry(at(SATURDAY, 9), 1), emergency=True)
        lines, draws = prepaid_lines(rules_, due, [hours_block("10.00")])
        self.assertEqual(drawn(draws), [(1, D("2.50"), D("225.00"), D("7.50"))])
        self.assertEqual(total(lines), D("75.00"))  # the call-out fee
        # emergency 1.5 below the weekend's 2.0: 2.00 h
        rules_ = card(emergency_factor=D("1.5"))
        due = charges(rules_, entry(at(SATURDAY, 9), 1), emergency=True)
        _lines, draws = prepaid_lines(rules_, due, [hours_block("10.00")])
        self.assertEqual(drawn(draws), [(1, D("2.00"), D("180.00"), D("8.00"))])

    def test_the_draw_carries_the_taxes_of_what_it_pays(self):
        # 21 % on labour and the trip fee, the part untaxed
        rules_ = card(trip_fee=D("45.00"))
        part = MaterialInput(key=5, name="Cable", quantity=2, price_unit=D("10.00"))
        due = charges(rules_, entry(at(TUESDAY, 9), 2, onsite=True), materials=(part,))

        def tax_key_of(charge):
            if charge.tax_key is not None:
                return charge.tax_key
            return UNTAXED if charge.kind in ("trip", "material") else VAT

        lines, draws = prepaid_lines(
            rules_,
            due,
            [money_block("1000.00", covers_fees=True)],
            tax_key_of=tax_key_of,
        )
        self.assertEqual(
            prepaid(lines), [(D("-180.00"), VAT, 2), (D("-45.00"), UNTAXED, 2)]
        )
        self.assertEqual(
            [(p.charge.kind, p.tax_key) for p in draws[0].payments],
            [(kinds.KIND_LABOUR, VAT), (kinds.KIND_TRIP, UNTAXED)],
        )
        invoice = [
            line
            if line.tax_key is not None
            else replace(line, tax_key=tax_key_of(line))
            for line in lines
        ]
        # only the part is left to pay, untaxed
        self.assertEqual(taxed_total(invoice), D("20.00"))
        invoice = [line for line in invoice if line.kind != kinds.KIND_MATERIAL]
        self.assertEqual(taxed_total(invoice), D("0.00"))

    def test_fully_covered_at_21_percent_the_invoice_is_zero(self):
        rules_ = card()
        part = MaterialInput(key=5, name="Cable", quantity=1, price_unit=D("12.00"))
        due = charges(rules_, entry(at(TUESDAY, 9), 3), materials=(part,))
        lines, _draws = prepaid_lines(
            rules_, due, [hours_block("10.00")], tax_key_of=taxes_by_kind
        )
        self.assertEqual(prepaid(lines), [(D("-270.00"), VAT, 1)])
        invoice = [
            line
            if line.tax_key is not None
            else replace(line, tax_key=taxes_by_kind(line))
            for line in lines
        ]
        self.assertEqual(taxed_total(invoice), D("12.00"))  # the part, untaxed
        self.assertEqual(
            taxed_total([line for line in invoice if line.kind != "material"]),
            D("0.00"),
        )

    def test_the_draw_is_limited_to_what_the_estimate_left(self):
        # 5 h = 450.00 and a part of 150.00, both at 21 %; estimate 300.00:
        # the adjustment takes 300.00 off, half of each charge
        rules_ = card()
        part = MaterialInput(key=5, name="Switch", quantity=1, price_unit=D("150.00"))
        due = charges(rules_, entry(at(WEDNESDAY, 8), 5), materials=(part,))
        adjustment = not_to_exceed_line(
            rules_, estimate=D(300), work=D(600), adjusted=D(0), due=D(600)
        )
        draft = lines_to_invoice(
            rules_,
            due,
            adjustment,
            invoiced_amounts([], 2),
            due_by_taxes=lambda: {VAT: D(600)},
        )
        self.assertEqual(total(draft), D("300.00"))
        lines, draws = prepaid_lines(
            rules_,
            draft,
            [money_block("1000.00", covers_fees=True)],
            tax_key_of=lambda charge: VAT,
        )
        self.assertEqual(drawn(draws), [(2, D("225.00"), D("225.00"), D("775.00"))])
        self.assertEqual(total(lines), D("75.00"))  # what is left of the part
        # an hours block draws the hours the invoice still holds: 2.50 h
        lines, draws = prepaid_lines(
            rules_, draft, [hours_block("10.00")], tax_key_of=lambda charge: VAT
        )
        self.assertEqual(drawn(draws), [(1, D("2.50"), D("225.00"), D("7.50"))])
        self.assertEqual(prepaid(lines), [(D("-225.00"), VAT, 1)])

    def test_an_estimate_that_takes_everything_leaves_nothing_to_draw(self):
        rules_ = card()
        due = charges(rules_, entry(at(WEDNESDAY, 8), 5))
        adjustment = not_to_exceed_line(
            rules_, estimate=D(300), work=D(750), adjusted=D(0), due=D(450)
        )
        draft = lines_to_invoice(
            rules_, due, adjustment, invoiced_amounts([], 2), lambda: {VAT: D(450)}
        )
        self.assertEqual(total(draft), D("0.00"))
        self.assertEqual(
            prepaid_lines(rules_, draft, [hours_block("10.00")],
                          tax_key_of=lambda charge: VAT),
            (draft, []),
        )  # fmt: skip

    def test_the_last_line_in_part_pro_rata_to_the_cent(self):
        # docs/pricing.md §3.10 on the standard calendar: 0.50 h × 90.00 and
        # 0.75 h × 135.00 after hours (×1.5: 1.13 h to draw)
        rules_ = rules()
        due = charges(rules_, entry(datetime(2026, 11, 19, 15, 30), 1.1))
        self.assertEqual([line.amount for line in due], [D("45.00"), D("101.25")])
        first = hours_block("1.00", key="first", date_to=date(2026, 11, 30))
        lines, draws = prepaid_lines(rules_, due, [first])
        # 45.00, then 101.25 × 0.50 / 1.13 = 44.800… → 44.80
        self.assertEqual(
            [(p.quantity, p.amount) for p in draws[0].payments],
            [(D("0.50"), D("45.00")), (D("0.50"), D("44.80"))],
        )
        self.assertEqual(drawn(draws), [("first", D("1.00"), D("89.80"), D("0.00"))])
        self.assertEqual(total(lines), D("56.45"))
        # a second block takes the rest of the line: nothing is lost to rounding
        lines, draws = prepaid_lines(rules_, due, [hours_block("5.00"), first])
        self.assertEqual(
            drawn(draws),
            [
                ("first", D("1.00"), D("89.80"), D("0.00")),
                (1, D("0.63"), D("56.45"), D("4.37")),
            ],
        )
        self.assertEqual(total(lines), D("0.00"))

    def test_labels_are_translated(self):
        rules_ = card()
        due = charges(rules_, entry(at(TUESDAY, 9), 3))

        def translate(message, **params):
            return "FR " + message % params

        lines, _draws = prepaid_lines(
            rules_, due, [hours_block("10.00")], translate=translate
        )
        self.assertEqual(
            lines[-1].label, "FR Prepaid: 10 h block · 3.00 h applied, 7.00 h left"
        )

    def test_invoiced_draws_are_not_work_for_the_estimate(self):
        amounts = invoiced_amounts(
            [
                InvoicedLine(kinds.KIND_LABOUR, quantity=3, price_unit=90.0),
                InvoicedLine(kinds.KIND_PREPAID, quantity=1, price_unit=-270.0),
            ],
            currency_digits=2,
        )
        self.assertEqual((amounts.work, amounts.adjusted), (D("270.00"), D(0)))

    def test_a_block_has_a_unit(self):
        with self.assertRaises(ValueError):
            PrepaidBlock(1, "Block", "days", D(1))
