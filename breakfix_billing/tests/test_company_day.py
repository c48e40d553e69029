# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo.tests import Form, freeze_time, tagged

from .common import BreakfixInvoicingCommon, brussels

# (moment in UTC, the day in Brussels, the day in UTC): just before and just
# after midnight in Brussels and in UTC, and on the days Brussels changes
# its clocks (at 01:00 UTC on the last Sundays of March and October)
MOMENTS = [
    ("2026-12-01 22:59:59", date(2026, 12, 1), date(2026, 12, 1)),
    ("2026-12-01 23:00:00", date(2026, 12, 2), date(2026, 12, 1)),
    ("2026-12-01 23:45:00", date(2026, 12, 2), date(2026, 12, 1)),
    ("2026-12-01 23:59:59", date(2026, 12, 2), date(2026, 12, 1)),
    ("2026-12-02 00:15:00", date(2026, 12, 2), date(2026, 12, 2)),
    # 01:30 CET on Sunday 28 March 2027, half an hour before 03:00 CEST
    ("2027-03-28 00:30:00", date(2027, 3, 28), date(2027, 3, 28)),
    # 23:59 CEST on the same Sunday, 22:00 UTC: already Monday
    ("2027-03-28 21:59:59", date(2027, 3, 28), date(2027, 3, 28)),
    ("2027-03-28 22:00:00", date(2027, 3, 29), date(2027, 3, 28)),
    # 01:30 CEST on Sunday 31 October 2027, before 03:00 CEST became 02:00 CET
    ("2027-10-30 23:30:00", date(2027, 10, 31), date(2027, 10, 30)),
    ("2027-10-31 22:59:59", date(2027, 10, 31), date(2027, 10, 31)),
    ("2027-10-31 23:00:00", date(2027, 11, 1), date(2027, 10, 31)),
]


@tagged("post_install", "-at_install")
class TestCompanyDay(BreakfixInvoicingCommon):
    """Every day the addon dates or compares is the company's day, in the
    company's time zone (``res.company._breakfix_tz``), whoever acts and
    whatever the server's zone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_company_zone("Europe/Brussels")
        # a billing manager in New York, six hours behind Brussels
        cls.manager.tz = "America/New_York"
        cls.finance.tz = "Asia/Tokyo"

    def test_the_company_zone(self):
        company = self.company
        company.resource_calendar_id.tz = "Asia/Tokyo"
        company.partner_id.tz = "America/New_York"
        company.breakfix_rate_card_id.calendar_id = self.calendar
        # the business hours of its default rate card
        self.assertEqual(company._breakfix_tz(), "Europe/Brussels")
        # else its address's zone
        company.breakfix_rate_card_id.calendar_id = False
        self.assertEqual(company._breakfix_tz(), "America/New_York")
        # else its working hours'
        company.partner_id.tz = False
        self.assertEqual(company._breakfix_tz(), "Asia/Tokyo")
        # else UTC
        company.resource_calendar_id = False
        self.assertEqual(company._breakfix_tz(), "UTC")

    def test_today_and_the_start_of_the_day(self):
        for moment, in_brussels, in_utc in MOMENTS:
            with self.subTest(moment=moment), freeze_time(moment):
                self._set_company_zone("Europe/Brussels")
                self.assertEqual(self.company._breakfix_today(), in_brussels)
                self._set_company_zone("UTC")
                self.assertEqual(self.company._breakfix_today(), in_utc)
                self.assertEqual(
                    self.company._breakfix_day_start(),
                    datetime.combine(in_utc, datetime.min.time()),
                )
        self._set_company_zone("Europe/Brussels")
        day_start = self.company._breakfix_day_start
        # a winter day starts at 23:00 UTC the day before, a summer day at 22:00
        self.assertEqual(day_start(date(2026, 12, 2)), datetime(2026, 12, 1, 23, 0))
        self.assertEqual(day_start(date(2027, 3, 28)), datetime(2027, 3, 27, 23, 0))
        self.assertEqual(day_start(date(2027, 3, 29)), datetime(2027, 3, 28, 22, 0))
        self.assertEqual(day_start(date(2027, 10, 31)), datetime(2027, 10, 30, 22, 0))
        self.assertEqual(day_start(date(2027, 11, 1)), datetime(2027, 10, 31, 23, 0))
        # a moment given: the day it falls on
        self.assertEqual(
            self.company._breakfix_today(datetime(2027, 10, 30, 23, 30)),
            date(2027, 10, 31),
        )

    def test_the_draft_is_dated_on_the_company_day(self):
        for moment, in_brussels, in_utc in MOMENTS:
            for zone, day in (("Europe/Brussels", in_brussels), ("UTC", in_utc)):
                with self.subTest(moment=moment, zone=zone), freeze_time(moment):
                    self._set_company_zone(zone)
                    ticket = self._create_ticket(name=f"Drafted {moment}")
                    self._log_time(ticket, brussels(17, 10), 1.0)
                    # drafted by the manager in New York: the company's day
                    invoice = self._draft(ticket)
                    self.assertRecordValues(
                        invoice, [{"date": day, "invoice_date": False}]
                    )
                    # posted without an invoice date by finance, in Tokyo
                    invoice.with_user(self.finance).action_post()
                    self.assertRecordValues(
                        invoice, [{"date": day, "invoice_date": day}]
                    )

    def test_defaults_and_the_comparison_period(self):
        """Coverage from today, a part used today, and the comparison's
        trailing months: the company's day, not the user's."""
        comparison = self.env["breakfix.managed.comparison"].with_user(self.manager)
        with freeze_time("2026-12-31 23:30:00"):
            # 00:30 on 1 January 2027 in Brussels, 18:30 on 31 December in
            # New York, where the manager is
            coverage = Form(self.env["breakfix.coverage"].with_user(self.manager))
            self.assertEqual(coverage.date_from, date(2027, 1, 1))
            ticket = self._create_ticket()
            part = (
                self.env["helpdesk.ticket.material"]
                .with_user(self.manager)
                .create({"ticket_id": ticket.id, "product_id": self.product_ram.id})
            )
            self.assertEqual(part.date, date(2027, 1, 1))
            self.assertEqual(
                comparison._breakfix_period(), (date(2026, 1, 1), date(2026, 12, 31))
            )
        with freeze_time("2026-12-31 22:59:59"):
            self.assertEqual(
                comparison._breakfix_period(), (date(2025, 12, 1), date(2026, 11, 30))
            )
