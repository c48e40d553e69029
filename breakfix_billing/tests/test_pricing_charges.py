"""The ticket charges of docs/pricing.md §2, §5 and §6 — minimum charge,
trip fees, materials, no-charge work, rates by technician, line order — on
the pure pricing package, with exact numbers.

Rates and calendar as in test_pricing.py, whose helpers these tests use:
90.00 an hour, Odoo's standard calendar in Europe/Brussels; datetimes given
to the engine are UTC, as Odoo stores them.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from odoo.tests import BaseCase, tagged

from ..pricing import (
    EntryInput,
    MaterialInput,
    PricingError,
    RateTable,
    TicketInput,
    price_ticket,
)
from .test_pricing import JOHN, MARY, RATES, TRAVEL, WORK_TYPE, entry, rules, summary


@tagged("post_install", "-at_install")
class TestTicketCharges(BaseCase):
    def test_minimum_charge_tops_up_a_short_ticket(self):
        result = price_ticket(
            rules(minimum_minutes=60),
            RATES,
            TicketInput(entries=(entry(datetime(2026, 11, 17, 9, 0), 20 / 60),)),
        )
        self.assertEqual(
            summary(result),
            [
                ("labour", D("0.50"), D("90.00"), D("45.00")),
                ("minimum", D("0.50"), D("90.00"), D("45.00")),
            ],
        )
        self.assertEqual(
            result.lines[1].label,
            "Minimum charge: 60 min per ticket, 30 min billed",
        )
        self.assertEqual(result.amount_to_invoice, D("90.00"))

    def test_minimum_charge_with_only_a_technicians_rate(self):
        # no rate for everybody: the minimum takes the technician's own rate
        rates = RateTable(card_rates={(WORK_TYPE, JOHN): D("120.00")})
        result = price_ticket(
            rules(minimum_minutes=60),
            rates,
            TicketInput(entries=(entry(datetime(2026, 11, 17, 9, 0), 0.5),)),
        )
        self.assertEqual(
            summary(result),
            [
                ("labour", D("0.50"), D("120.00"), D("60.00")),
                ("minimum", D("0.50"), D("120.00"), D("60.00")),
            ],
        )

    def test_minimum_charge_not_needed(self):
        result = price_ticket(
            rules(minimum_minutes=60),
            RATES,
            TicketInput(entries=(entry(datetime(2026, 11, 17, 9, 0), 1.0),)),
        )
        self.assertEqual([line.kind for line in result.lines], ["labour"])

    def test_two_onsite_days_two_trip_fees(self):
        result = price_ticket(
            rules(trip_fee=D("45.00")),
            RATES,
            TicketInput(
                entries=(
                    entry(datetime(2026, 11, 17, 9, 0), 1.0, onsite=True),
                    entry(datetime(2026, 11, 17, 13, 0), 1.0, onsite=True),
                    entry(datetime(2026, 11, 18, 9, 0), 0.5, onsite=True),
                    entry(datetime(2026, 11, 19, 9, 0), 0.5),  # remote: no trip
                )
            ),
        )
        trips = [
            (line.label, line.amount) for line in result.lines if line.kind == "trip"
        ]
        self.assertEqual(
            trips,
            [
                ("Trip fee · 2026-11-17", D("45.00")),
                ("Trip fee · 2026-11-18", D("45.00")),
            ],
        )
        # 3.00 h of labour and two trips
        self.assertEqual(result.amount_to_invoice, D("270.00") + D("90.00"))

    def test_remote_work_brings_no_trip(self):
        result = price_ticket(
            rules(trip_fee=D("45.00")),
            RATES,
            TicketInput(entries=(entry(datetime(2026, 11, 19, 9, 0), 0.5),)),
        )
        self.assertEqual([line.kind for line in result.lines], ["labour"])

    def test_materials_cost_plus_and_pricelist(self):
        cost_plus = rules(material_pricing="cost_plus", material_markup=D(20))
        self.assertEqual(cost_plus.material_price_unit(D("49.99"), D(80)), D("59.99"))
        pricelist = rules(material_pricing="pricelist")
        self.assertEqual(
            pricelist.material_price_unit(D("49.99"), D("75.50")), D("75.50")
        )
        result = price_ticket(
            cost_plus,
            RATES,
            TicketInput(
                materials=(
                    MaterialInput(1, "SSD 1 TB", 3, D("59.99")),
                    MaterialInput(2, "Cable (goodwill)", 2, D("4.50"), billable=False),
                )
            ),
        )
        self.assertEqual(
            summary(result),
            [
                ("material", D(3), D("59.99"), D("179.97")),
                ("material", D(2), D("4.50"), D("9.00")),
            ],
        )
        self.assertEqual(result.amount_to_invoice, D("179.97"))
        self.assertEqual(result.no_charge_value, D("9.00"))

    def test_covered_ticket_is_all_no_charge_value(self):
        result = price_ticket(
            rules(trip_fee=D("45.00"), callout_fee=D("150.00")),
            RATES,
            TicketInput(
                billable=False,
                emergency=True,
                entries=(entry(datetime(2026, 11, 17, 9, 0), 1.0, onsite=True),),
                materials=(MaterialInput(1, "Fan", 1, D("20.00")),),
            ),
        )
        self.assertEqual(result.amount_to_invoice, D(0))
        self.assertEqual(
            result.no_charge_value, D("150.00") + D("90.00") + D("45.00") + D("20.00")
        )
        self.assertTrue(all(not line.billable for line in result.lines))
        self.assertTrue(result.lines[1].label.endswith("· no charge"))

    def test_non_billable_entry_has_value_but_no_charge(self):
        result = price_ticket(
            rules(minimum_minutes=120),
            RATES,
            TicketInput(
                entries=(
                    entry(datetime(2026, 11, 17, 9, 0), 1.0),
                    entry(datetime(2026, 11, 17, 10, 0), 1.0, billable=False),
                )
            ),
        )
        # the minimum counts billed labour only: 60 of 120 min
        self.assertEqual(
            [(line.kind, line.amount, line.billable) for line in result.lines],
            [
                ("labour", D("90.00"), True),
                ("labour", D("90.00"), False),
                ("minimum", D("90.00"), True),
            ],
        )
        self.assertEqual(result.amount_to_invoice, D("180.00"))
        self.assertEqual(result.no_charge_value, D("90.00"))

    def test_employee_specific_rates(self):
        rates = RateTable(
            card_rates={(WORK_TYPE, None): D("90.00"), (WORK_TYPE, MARY): D("120.00")},
            default_rates={WORK_TYPE: D("70.00"), TRAVEL: D("50.00")},
        )
        start = datetime(2026, 11, 17, 9, 0)
        result = price_ticket(
            rules(),
            rates,
            TicketInput(
                entries=(
                    entry(start, 1.0, key="john"),
                    entry(start, 1.0, key="mary", employee=MARY),
                    EntryInput(
                        "travel", start, 1.0, TRAVEL, "Travel", JOHN, "John Smith"
                    ),
                )
            ),
        )
        self.assertEqual(result.entries["john"].amount, D("90.00"))
        self.assertEqual(result.entries["mary"].amount, D("120.00"))
        self.assertEqual(result.entries["travel"].amount, D("50.00"))

    def test_no_rate_is_an_error_naming_work_type_and_rate_card(self):
        with self.assertRaisesRegex(
            PricingError,
            "No hourly rate for work type “Travel” on rate card “Standard rates”",
        ):
            price_ticket(
                rules(),
                RATES,
                TicketInput(
                    entries=(
                        EntryInput(
                            1, datetime(2026, 11, 17, 9, 0), 1.0, TRAVEL, "Travel"
                        ),
                    )
                ),
            )

    def test_running_timer_is_shown_not_billed(self):
        result = price_ticket(
            rules(minimum_minutes=60),
            RATES,
            TicketInput(
                entries=(entry(datetime(2026, 11, 17, 9, 0), 0.0, key="timer"),)
            ),
        )
        self.assertTrue(result.entries["timer"].running)
        self.assertEqual(result.lines, [])

    def test_line_order_and_every_line_adds_up(self):
        result = price_ticket(
            rules(
                callout_fee=D("99.90"),
                trip_fee=D("35.00"),
                minimum_minutes=240,
                after_hours_factor=D("1.33"),
                rounding_minutes=0,
            ),
            RATES,
            TicketInput(
                emergency=True,
                entries=(
                    entry(datetime(2026, 11, 18, 15, 53), 0.77, onsite=True),
                    entry(datetime(2026, 11, 17, 9, 7), 0.41),
                ),
                materials=(MaterialInput(1, "PSU", D("1.5"), D("33.33")),),
            ),
        )
        self.assertEqual(
            [line.kind for line in result.lines],
            ["callout", "labour", "labour", "labour", "minimum", "trip", "material"],
        )
        starts = [line.start for line in result.lines if line.kind == "labour"]
        self.assertEqual(starts, sorted(starts))
        for line in result.lines:
            exact = line.quantity * line.price_unit
            self.assertEqual(line.amount, exact.quantize(D("0.01"), ROUND_HALF_UP))
        # 0.41 h + 0.77 h = 1.18 h billed; the minimum tops up to 4 h
        self.assertEqual(result.lines[4].quantity, D("2.82"))
        self.assertEqual(
            result.amount_to_invoice, sum((line.amount for line in result.lines), D(0))
        )
