"""The time rules of docs/pricing.md §2 and §3 — rounding, time factors,
time zones — on the pure pricing package, with exact numbers.

Rates: 90.00 an hour; the calendar is Odoo's standard one (Monday to Friday,
08:00–12:00 and 13:00–17:00) in Europe/Brussels, which is UTC+1 in November
and UTC+2 in summer.  Datetimes given to the engine are UTC, as Odoo stores
them.  The helpers below are shared with test_pricing_charges.py.
"""

from datetime import datetime
from decimal import Decimal as D

from odoo.tests import BaseCase, tagged

from ..pricing import (
    BusinessCalendar,
    EntryInput,
    PricingRules,
    RateTable,
    TicketInput,
    TimeCategory,
    price_ticket,
    round_minutes,
    split_by_calendar,
)

WORK_TYPE, TRAVEL = 1, 2
JOHN, MARY = 7, 8
STANDARD_WEEK = {day: ((8.0, 12.0), (13.0, 17.0)) for day in range(5)}
BRUSSELS = BusinessCalendar(tz="Europe/Brussels", attendances=STANDARD_WEEK)


def entry(start, hours, key=None, employee=JOHN, onsite=False, **kwargs):
    return EntryInput(
        key=key or start,
        start=start,
        hours=hours,
        work_type_key=WORK_TYPE,
        work_type_name="On-site" if onsite else "Remote support",
        employee_key=employee,
        employee_name="John Smith" if employee == JOHN else "Mary Jones",
        onsite=onsite,
        **kwargs,
    )


def rules(**kwargs):
    kwargs.setdefault("name", "Standard rates")
    kwargs.setdefault("calendar", BRUSSELS)
    return PricingRules(**kwargs)


RATES = RateTable(card_rates={(WORK_TYPE, None): D("90.00")})


def summary(result):
    return [
        (line.kind, line.quantity, line.price_unit, line.amount)
        for line in result.lines
    ]


@tagged("post_install", "-at_install")
class TestRounding(BaseCase):
    def test_each_method(self):
        # 67 minutes on a 15-minute grid
        self.assertEqual(round_minutes(67 * 60, 15, "up"), 75 * 60)
        self.assertEqual(round_minutes(67 * 60, 15, "nearest"), 60 * 60)
        self.assertEqual(round_minutes(68 * 60, 15, "nearest"), 75 * 60)
        self.assertEqual(round_minutes(67 * 60, 15, "down"), 60 * 60)
        self.assertEqual(round_minutes(67 * 60, 0, "up"), 67 * 60)
        # docs/pricing.md §2.2's example: 70 min, 15, up → 75 min
        self.assertEqual(round_minutes(70 * 60, 15, "up"), 75 * 60)

    def test_rounding_reaches_the_amount(self):
        start = datetime(2026, 11, 17, 9, 0)  # Tuesday 10:00 in Brussels
        for method, minutes, expected in (
            ("up", 15, [("labour", D("1.25"), D("90.00"), D("112.50"))]),
            ("nearest", 15, [("labour", D("1.00"), D("90.00"), D("90.00"))]),
            ("down", 15, [("labour", D("1.00"), D("90.00"), D("90.00"))]),
            ("up", 0, [("labour", D("1.12"), D("90.00"), D("100.80"))]),
        ):
            with self.subTest(method=method, minutes=minutes):
                result = price_ticket(
                    rules(rounding_minutes=minutes, rounding_method=method),
                    RATES,
                    TicketInput(entries=(entry(start, 67 / 60),)),
                )
                self.assertEqual(summary(result), expected)

    def test_trace_says_how_it_was_rounded(self):
        start = datetime(2026, 11, 17, 9, 0)
        result = price_ticket(
            rules(), RATES, TicketInput(entries=(entry(start, 1.1, onsite=True),))
        )
        self.assertEqual(
            result.lines[0].label,
            "2026-11-17 · J. Smith · On-site · 1.25 h "
            "(logged 1.10 h, rounded up to 15 min)",
        )


@tagged("post_install", "-at_install")
class TestTimeFactors(BaseCase):
    def test_entry_crossing_the_end_of_the_working_day(self):
        # Thursday 16:30 local, 1.10 h logged → 75 min: 30 in hours, 45 after
        result = price_ticket(
            rules(),
            RATES,
            TicketInput(entries=(entry(datetime(2026, 11, 19, 15, 30), 1.1),)),
        )
        self.assertEqual(
            summary(result),
            [
                ("labour", D("0.50"), D("90.00"), D("45.00")),
                ("labour", D("0.75"), D("135.00"), D("101.25")),
            ],
        )
        self.assertEqual(result.amount_to_invoice, D("146.25"))
        self.assertEqual(
            result.lines[1].label,
            "2026-11-19 · J. Smith · Remote support · 0.75 h "
            "(logged 1.10 h, rounded up to 15 min) · after hours ×1.5",
        )

    def test_entry_crossing_midnight_into_the_weekend(self):
        # Friday 23:00 local for 2 h: 1 h after hours, 1 h on Saturday
        result = price_ticket(
            rules(),
            RATES,
            TicketInput(entries=(entry(datetime(2026, 11, 20, 22, 0), 2.0),)),
        )
        self.assertEqual(
            summary(result),
            [
                ("labour", D("1.00"), D("135.00"), D("135.00")),
                ("labour", D("1.00"), D("180.00"), D("180.00")),
            ],
        )
        self.assertEqual(
            [line.local_date.isoformat() for line in result.lines],
            ["2026-11-20", "2026-11-21"],
        )
        self.assertTrue(result.lines[1].label.endswith("· weekend ×2.0"))

    def test_public_holiday(self):
        # 11 November (a Wednesday) is a public holiday in Belgium
        calendar = BusinessCalendar(
            tz="Europe/Brussels",
            attendances=STANDARD_WEEK,
            holidays=((datetime(2026, 11, 10, 23, 0), datetime(2026, 11, 11, 23, 0)),),
        )
        result = price_ticket(
            rules(calendar=calendar, holiday_factor=D("2.5")),
            RATES,
            TicketInput(entries=(entry(datetime(2026, 11, 11, 9, 0), 2.0),)),
        )
        self.assertEqual(
            summary(result), [("labour", D("2.00"), D("225.00"), D("450.00"))]
        )
        self.assertTrue(result.lines[0].label.endswith("· public holiday ×2.5"))

    def test_holiday_ends_at_midnight_local(self):
        # Wednesday 23:30 → Thursday 00:30 local: holiday, then after hours
        calendar = BusinessCalendar(
            tz="Europe/Brussels",
            attendances=STANDARD_WEEK,
            holidays=((datetime(2026, 11, 10, 23, 0), datetime(2026, 11, 11, 23, 0)),),
        )
        result = price_ticket(
            rules(calendar=calendar),
            RATES,
            TicketInput(entries=(entry(datetime(2026, 11, 11, 22, 30), 1.0),)),
        )
        self.assertEqual(
            [(line.category, line.quantity, line.amount) for line in result.lines],
            [
                (TimeCategory.HOLIDAY, D("0.50"), D("90.00")),
                (TimeCategory.AFTER_HOURS, D("0.50"), D("67.50")),
            ],
        )

    def test_emergency_on_a_weekday_evening_takes_the_higher_factor(self):
        # after hours 1.5 vs emergency 2.0 → 2.0, never 3.0
        result = price_ticket(
            rules(emergency_factor=D("2.0"), callout_fee=D("150.00")),
            RATES,
            TicketInput(
                emergency=True, entries=(entry(datetime(2026, 11, 17, 18, 0), 1.0),)
            ),
        )
        self.assertEqual(
            summary(result),
            [
                ("callout", D(1), D("150.00"), D("150.00")),
                ("labour", D("1.00"), D("180.00"), D("180.00")),
            ],
        )
        self.assertEqual(result.lines[0].label, "Emergency call-out fee")
        self.assertTrue(result.lines[1].label.endswith("· emergency ×2.0"))

    def test_emergency_on_a_saturday_keeps_the_weekend_factor(self):
        # weekend 2.0 vs emergency 1.5 → 2.0
        result = price_ticket(
            rules(emergency_factor=D("1.5")),
            RATES,
            TicketInput(
                emergency=True, entries=(entry(datetime(2026, 11, 21, 9, 0), 1.0),)
            ),
        )
        self.assertEqual(
            summary(result), [("labour", D("1.00"), D("180.00"), D("180.00"))]
        )
        self.assertTrue(result.lines[0].label.endswith("· weekend ×2.0"))

    def test_emergency_in_business_hours(self):
        result = price_ticket(
            rules(emergency_factor=D("1.25")),
            RATES,
            TicketInput(
                emergency=True, entries=(entry(datetime(2026, 11, 17, 9, 0), 1.0),)
            ),
        )
        self.assertEqual(
            summary(result), [("labour", D("1.00"), D("112.50"), D("112.50"))]
        )

    def test_lunch_break_is_after_hours(self):
        # 11:30–13:30 local: 30 min in, 60 min lunch (after hours), 30 min in
        result = price_ticket(
            rules(),
            RATES,
            TicketInput(entries=(entry(datetime(2026, 11, 17, 10, 30), 2.0),)),
        )
        self.assertEqual(
            summary(result),
            [
                ("labour", D("0.50"), D("90.00"), D("45.00")),
                ("labour", D("1.00"), D("135.00"), D("135.00")),
                ("labour", D("0.50"), D("90.00"), D("45.00")),
            ],
        )

    def test_uneven_pieces_add_up_to_the_billed_hours(self):
        # 16:50 local for 30 min, no rounding: 10 min in hours, 20 after
        result = price_ticket(
            rules(rounding_minutes=0),
            RATES,
            TicketInput(entries=(entry(datetime(2026, 11, 17, 15, 50), 0.5),)),
        )
        self.assertEqual(
            summary(result),
            [
                ("labour", D("0.17"), D("90.00"), D("15.30")),
                ("labour", D("0.33"), D("135.00"), D("44.55")),
            ],
        )
        self.assertEqual(
            result.entries[datetime(2026, 11, 17, 15, 50)].billed_hours, D("0.50")
        )


@tagged("post_install", "-at_install")
class TestTimeZones(BaseCase):
    def test_calendar_time_zone_is_used(self):
        # 15:30 UTC is 16:30 in Brussels (in hours) but 10:30 in New York
        new_york = BusinessCalendar(tz="America/New_York", attendances=STANDARD_WEEK)
        start = datetime(2026, 11, 19, 21, 30)  # 16:30 in New York
        result = price_ticket(
            rules(calendar=new_york), RATES, TicketInput(entries=(entry(start, 1.0),))
        )
        self.assertEqual(
            summary(result),
            [
                ("labour", D("0.50"), D("90.00"), D("45.00")),
                ("labour", D("0.50"), D("135.00"), D("67.50")),
            ],
        )

    def test_daylight_saving_time_change_day(self):
        # Sunday 25 October 2026, clocks go back at 03:00 CEST in Brussels.
        # A calendar working every day 08:00–17:00.
        every_day = BusinessCalendar(
            tz="Europe/Brussels", attendances={d: ((8.0, 17.0),) for d in range(7)}
        )
        # 15:00 UTC is 16:00 CET after the change (17:00 with the summer offset)
        result = price_ticket(
            rules(calendar=every_day),
            RATES,
            TicketInput(entries=(entry(datetime(2026, 10, 25, 15, 0), 2.0),)),
        )
        self.assertEqual(
            summary(result),
            [
                ("labour", D("1.00"), D("90.00"), D("90.00")),
                ("labour", D("1.00"), D("135.00"), D("135.00")),
            ],
        )
        # 00:30 UTC (02:30 CEST) for two elapsed hours across the change
        result = price_ticket(
            rules(calendar=every_day),
            RATES,
            TicketInput(entries=(entry(datetime(2026, 10, 25, 0, 30), 2.0),)),
        )
        self.assertEqual(
            summary(result), [("labour", D("2.00"), D("135.00"), D("270.00"))]
        )

    def test_spring_forward_business_hours(self):
        # Monday 30 March 2026 in Brussels is CEST (UTC+2): 06:00 UTC = 08:00
        pieces = split_by_calendar(BRUSSELS, datetime(2026, 3, 30, 5, 30), 3600)
        self.assertEqual(
            [(p.category, p.seconds) for p in pieces],
            [(TimeCategory.AFTER_HOURS, 1800), (TimeCategory.BUSINESS, 1800)],
        )
