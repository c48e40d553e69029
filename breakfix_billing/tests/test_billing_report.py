# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The billing report: hours and amounts billed by customer, source,
technician and month, on fourteen months of a customer's tickets
(``BreakfixInsightCommon``, shared with test_managed_comparison.py)."""

import importlib.util
from datetime import date, datetime

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools.misc import file_path

from .common import BreakfixInvoicingCommon


def work_day(year, month):
    """The first weekday from the 3rd of the month."""
    day = date(year, month, 3)
    while day.weekday() >= 5:
        day = day.replace(day=day.day + 1)
    return day


class BreakfixInsightCommon(BreakfixInvoicingCommon):
    """Fourteen months of a customer's tickets, seen on 15 December 2026.

    "Test Customer Ltd" ("Brussels rates": remote 100.00/h, Mona 130.00/h,
    call-out 75.00; managed plan 150.00 a month) has one ticket a month from
    October 2025 to November 2026, each of 1 h by Terry (100.00), invoiced and
    posted on its work day; March's also uses a RAM module (45.00) and June's
    is an emergency (call-out 75.00). August's invoice is credited in full
    on 6 October 2026. Besides: a 2 h ticket of Mona in November on a draft
    invoice (260.00), a 30 min ticket in May whose invoice was cancelled
    (50.00, to invoice again), a 1 h ticket of 3 December 2026 posted that day
    (100.00, this month), and a 1.5 h warranty ticket in February (no charge,
    worth 150.00). Work is logged at 09:00 UTC on weekdays: business hours.

    "Second Customer SA" pays the company's default rates (remote 80.00/h at
    any hour; a managed plan at 10.00 a month): one 3 h ticket in April 2026 (240.00).

    The trailing 12 months are December 2025 to November 2026.
    """

    freeze_time = "2026-12-15 12:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card.managed_plan_monthly_price = 150.0
        cls.default_rate_card.write(
            {"managed_plan_monthly_price": 10.0, "calendar_id": False}
        )
        cls.second_customer = cls.env["res.partner"].create(
            {"name": "Second Customer SA", "is_company": True}
        )
        months = [(2025, 10), (2025, 11), (2025, 12)] + [
            (2026, month) for month in range(1, 12)
        ]
        cls.monthly = {}
        for year, month in months:
            ticket = cls._create_ticket(
                name=f"Monthly {year}-{month:02}",
                breakfix_emergency=(year, month) == (2026, 6),
            )
            cls._log_on_day(ticket, work_day(year, month), 1.0)
            cls.monthly[year, month] = ticket
        march = work_day(2026, 3)
        cls._add_part(cls.monthly[2026, 3], cls.product_ram, date=march)
        cls.draft_ticket = cls._create_ticket(name="Extra November")
        cls._log_on_day(cls.draft_ticket, work_day(2026, 11), 2.0, user=cls.manager)
        cls.cancelled_ticket = cls._create_ticket(name="Extra May")
        cls._log_on_day(cls.cancelled_ticket, work_day(2026, 5), 0.5)
        cls.december_ticket = cls._create_ticket(name="This month")
        cls._log_on_day(cls.december_ticket, date(2026, 12, 3), 1.0)
        cls.warranty_ticket = cls._create_ticket(
            user=cls.manager, name="Warranty repair", breakfix_policy="warranty"
        )
        cls._log_on_day(cls.warranty_ticket, work_day(2026, 2), 1.5)
        cls.second_ticket = cls._create_ticket(
            name="Second customer's ticket", partner_id=cls.second_customer.id
        )
        cls._log_on_day(cls.second_ticket, work_day(2026, 4), 3.0)

        tickets = (
            cls.env["helpdesk.ticket"].browse(t.id for t in cls.monthly.values())
            | cls.draft_ticket
            | cls.cancelled_ticket
            | cls.december_ticket
            | cls.second_ticket
        )
        invoices, skipped = tickets.sudo()._breakfix_create_invoices()
        assert not skipped, skipped
        invoice_of = {invoice.invoice_origin: invoice for invoice in invoices}
        cls.invoice_of = {
            ticket: invoice_of[ticket.number].with_user(cls.finance)
            for ticket in tickets
        }
        for ticket in tickets - cls.draft_ticket - cls.cancelled_ticket:
            invoice = cls.invoice_of[ticket]
            invoice.invoice_date = ticket.timesheet_ids.date
            invoice.action_post()
        cls.invoice_of[cls.cancelled_ticket].button_cancel()
        credit_day = date(2026, 10, 6)
        cls.credit_note = cls.invoice_of[cls.monthly[2026, 8]]._reverse_moves(
            [{"invoice_date": credit_day, "date": credit_day}]
        )
        cls.credit_note.action_post()

    @classmethod
    def _log_on_day(cls, ticket, day, hours, user=None):
        return cls._log_time(
            ticket,
            datetime.combine(day, datetime.min.time()).replace(hour=9),
            hours,
            user=user,
            date=day,
        )


@tagged("post_install", "-at_install")
class TestBillingReport(BreakfixInsightCommon):
    def _report(self, groupby, domain=(), user=None):
        """``{group: (hours logged, hours billed, amount billed, no-charge
        value)}`` of our two customers, as a billing manager reads them."""
        report = self.env["breakfix.billing.report"].with_user(user or self.manager)
        customers = self.customer | self.second_customer
        result = {}
        for row in report._read_group(
            [("partner_id", "in", customers.ids), *domain],
            groupby=groupby,
            aggregates=[
                "hours_logged:sum",
                "hours_billed:sum",
                "amount_billed:sum",
                "no_charge_amount:sum",
            ],
        ):
            keys, values = row[: len(groupby)], row[len(groupby) :]
            group = keys if len(keys) > 1 else keys[0]
            result[group] = tuple(round(value, 2) for value in values)
        return result

    def test_by_customer(self):
        # (hours logged, hours billed, amount billed, no-charge value):
        # 14 monthly hours, 2 h of Mona, 30 min cancelled, December's hour
        # and the 1.5 h of warranty; 1400.00 + 260.00 + 50.00 + 100.00 of time,
        # the 45.00 part and the 75.00 call-out fee, less August's 100.00
        # credited
        self.assertEqual(
            self._report(["partner_id"]),
            {
                self.customer: (19.0, 17.5, 1830.0, 150.0),
                self.second_customer: (3.0, 3.0, 240.0, 0.0),
            },
        )

    def test_by_source_and_technician(self):
        self.assertEqual(
            self._report(["source"], [("partner_id", "=", self.customer.id)]),
            {
                "time": (19.0, 17.5, 1810.0, 150.0),
                "part": (0.0, 0.0, 45.0, 0.0),
                "fee": (0.0, 0.0, 75.0, 0.0),
                "credit": (0.0, 0.0, -100.0, 0.0),
            },
        )
        self.assertEqual(
            self._report(["employee_id"], [("partner_id", "=", self.customer.id)]),
            {
                self.tech_employee: (17.0, 15.5, 1550.0, 150.0),
                self.manager_employee: (2.0, 2.0, 260.0, 0.0),
                # the part, the fee and the credit note
                self.env["hr.employee"]: (0.0, 0.0, 20.0, 0.0),
            },
        )
        self.assertEqual(
            self._report(["work_type_id", "team_id"], [("source", "=", "time")]),
            {(self.work_type_remote, self.team): (22.0, 20.5, 2050.0, 150.0)},
        )

    def test_by_month_and_invoiced(self):
        by_month = self._report(["date:month"], [("partner_id", "=", self.customer.id)])
        self.assertEqual(len(by_month), 15)  # October 2025 to December 2026
        self.assertEqual(by_month[date(2025, 10, 1)], (1.0, 1.0, 100.0, 0.0))
        self.assertEqual(by_month[date(2026, 2, 1)], (2.5, 1.0, 100.0, 150.0))
        self.assertEqual(by_month[date(2026, 3, 1)], (1.0, 1.0, 145.0, 0.0))
        self.assertEqual(by_month[date(2026, 5, 1)], (1.5, 1.5, 150.0, 0.0))
        self.assertEqual(by_month[date(2026, 6, 1)], (1.0, 1.0, 175.0, 0.0))
        self.assertEqual(by_month[date(2026, 8, 1)], (1.0, 1.0, 100.0, 0.0))
        # October's 100.00, and August's credited on 6 October
        self.assertEqual(by_month[date(2026, 10, 1)], (1.0, 1.0, 0.0, 0.0))
        self.assertEqual(by_month[date(2026, 11, 1)], (3.0, 3.0, 360.0, 0.0))
        self.assertEqual(by_month[date(2026, 12, 1)], (1.0, 1.0, 100.0, 0.0))
        # the cancelled invoice released its 30 min; warranty is never invoiced
        self.assertEqual(
            self._report(["invoiced"], [("partner_id", "=", self.customer.id)]),
            {True: (17.0, 17.0, 1780.0, 0.0), False: (2.0, 0.5, 50.0, 150.0)},
        )

    def test_credit_note(self):
        august = self.monthly[2026, 8]
        self.assertEqual(
            self._report(["source"], [("ticket_id", "=", august.id)]),
            {"time": (1.0, 1.0, 100.0, 0.0), "credit": (0.0, 0.0, -100.0, 0.0)},
        )
        # the comparison's period: 1220.00 too, with the draft and the
        # cancelled invoice's work, to invoice (260.00 + 50.00)
        self.assertEqual(
            self._report(
                ["partner_id"],
                [
                    ("partner_id", "=", self.customer.id),
                    ("date", ">=", date(2025, 12, 1)),
                    ("date", "<=", date(2026, 11, 30)),
                ],
            ),
            {self.customer: (16.0, 14.5, 1530.0, 150.0)},
        )
        # released for re-invoicing: the work counts once, to invoice again
        billing_finance = new_test_user(
            self.env,
            login="bf_insight_billing_finance",
            groups="breakfix_billing.group_breakfix_manager,"
            "helpdesk_mgmt.group_helpdesk_user,account.group_account_invoice",
        )
        self.invoice_of[august].with_user(billing_finance).action_breakfix_release()
        self.assertEqual(
            self._report(["source", "invoiced"], [("ticket_id", "=", august.id)]),
            {("time", False): (1.0, 1.0, 100.0, 0.0)},
        )
        # a draft credit note counts; a cancelled one does not
        september = self.invoice_of[self.monthly[2026, 9]]
        refund = september._reverse_moves(
            [{"invoice_date": date(2026, 12, 4), "date": date(2026, 12, 4)}]
        )
        refund.invoice_line_ids.price_unit = 40.0
        self.assertEqual(
            self._report(["source"], [("ticket_id", "=", self.monthly[2026, 9].id)]),
            {"time": (1.0, 1.0, 100.0, 0.0), "credit": (0.0, 0.0, -40.0, 0.0)},
        )
        refund.button_cancel()
        self.assertEqual(
            self._report(["source"], [("ticket_id", "=", self.monthly[2026, 9].id)]),
            {"time": (1.0, 1.0, 100.0, 0.0)},
        )

    def test_not_to_exceed_adjustment_reduces_the_amount_billed(self):
        # 2 h on Tuesday 1 December from 10:00 Brussels: 200.00 of work against
        # an estimate of 150.00, drafted with a -50.00 adjustment
        ticket = self._create_ticket(
            user=self.manager, name="Estimated", breakfix_estimate_amount=150.0
        )
        self._log_on_day(ticket, date(2026, 12, 1), 2.0)
        invoices, _skipped = ticket.sudo()._breakfix_create_invoices()
        self.assertEqual(invoices.amount_untaxed, 150.0)
        self.assertEqual(
            self._report(["source"], [("ticket_id", "=", ticket.id)]),
            {"time": (2.0, 2.0, 200.0, 0.0), "adjustment": (0.0, 0.0, -50.0, 0.0)},
        )

    def test_migration_dates_existing_parts(self):
        """18.0.1.1.0's pre-migration gives the parts recorded before their
        ``date`` existed the UTC day of their creation, not the upgrade's."""
        spec = importlib.util.spec_from_file_location(
            "breakfix_pre_migration_18_0_1_1_0",
            file_path("breakfix_billing/migrations/18.0.1.1.0/pre-migration.py"),
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        ram = self.monthly[2026, 3].breakfix_material_ids
        late = self._add_part(self.monthly[2026, 5], self.product_ram)
        self.env.flush_all()
        # recorded on 20 May 2026 at 23:30 UTC (21 May in Brussels), no day
        self.env.cr.execute(
            "UPDATE helpdesk_ticket_material"
            " SET date = NULL, create_date = '2026-05-20 23:30:00' WHERE id = %s",
            (late.id,),
        )
        self.assertEqual(migration.date_existing_parts(self.env.cr), 1)
        (ram | late).invalidate_recordset(["date"])
        self.assertEqual(late.date, date(2026, 5, 20))
        self.assertEqual(ram.date, work_day(2026, 3))  # a day set is kept

        # upgrading from 18.0.1.0.x: no column yet, every part gets one
        self.env.cr.execute(
            "ALTER TABLE helpdesk_ticket_material RENAME COLUMN date TO date_before"
        )
        self.env.cr.execute("SELECT count(*) FROM helpdesk_ticket_material")
        (count,) = self.env.cr.fetchone()
        self.assertEqual(migration.date_existing_parts(self.env.cr), count)
        self.env.cr.execute(
            "SELECT date, create_date::date FROM helpdesk_ticket_material"
            " WHERE id IN %s ORDER BY id",
            (tuple((ram | late).ids),),
        )
        rows = self.env.cr.fetchall()
        self.assertEqual(rows[1], (date(2026, 5, 20), date(2026, 5, 20)))
        self.assertEqual(rows[0][0], rows[0][1])  # the day March's was created
        self.env.cr.execute(
            "ALTER TABLE helpdesk_ticket_material DROP COLUMN date;"
            " ALTER TABLE helpdesk_ticket_material"
            " RENAME COLUMN date_before TO date"
        )

    def test_access(self):
        with self.assertRaises(AccessError):
            self.env["breakfix.billing.report"].with_user(self.tech).search([])
        other_manager = self._other_company_manager("bf_other_manager")
        self.assertEqual(self._report(["partner_id"], user=other_manager), {})
