# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's monthly cap (SPEC §11), exact to the cent, on a frozen
clock: no alert at 790.00 of 1,000.00, the 80 % alert once at 810.00, the
100 % alert once past 1,000.00 with the banner, and a new month starts
again."""

import freezegun

from odoo import Command, http
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger

from .common import brussels
from .test_estimate import BreakfixEstimateCommon

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestMonthlyCap(BreakfixEstimateCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(freezegun.freeze_time("2026-11-20 10:00:00"))
        cls._set_company_zone("Europe/Brussels")
        cls.customer.breakfix_monthly_cap = 1000.0
        cls.cable = cls.env["product.product"].create(
            {
                "name": "Patch cable",
                "type": "consu",
                "list_price": 20.0,
                "property_account_income_id": cls.income_account.id,
                "taxes_id": [Command.set(cls.sale_tax.ids)],
            }
        )
        cls.managers = cls.env.ref("breakfix_billing.group_breakfix_manager").users
        # 700.00 invoiced this month: 7 h of remote work on Monday 16
        invoiced = cls._create_ticket(name="Server room move")
        cls._log_time(invoiced, brussels(16, 8), 4.0)
        cls._log_time(invoiced, brussels(16, 13), 3.0)
        invoices, _skipped = invoiced.sudo()._breakfix_create_invoices()
        assert invoices.amount_untaxed == 700.0, invoices.amount_untaxed
        cls.ticket = cls._create_ticket(name="Laptop upgrade")

    def _alerts(self):
        """``(emails to the customer, activities of the billing managers)``
        about the cap, newest first."""
        customer = self.customer.with_env(self.env)
        mails = customer.message_ids.filtered(
            lambda message: "of your monthly support cap" in (message.subject or "")
        )
        activities = customer.activity_ids.filtered(
            lambda activity: "of its monthly cap" in (activity.summary or "")
        )
        return mails, activities

    def assertAlerts(self, subjects, activity_count):
        mails, activities = self._alerts()
        self.assertEqual(mails.mapped("subject"), subjects)
        self.assertEqual(len(activities), activity_count)

    def test_cap_alerts_once_each_and_a_new_month_starts_again(self):
        # 700.00 + 2 RAM at 45.00 = 790.00: 79 %, no alert
        self._add_part(self.ticket, self.product_ram, 2)
        self.assertEqual(self.customer._breakfix_month_spend(self.company), 790.0)
        self.assertAlerts([], 0)
        self.assertFalse(self.ticket.breakfix_cap_reached)

        # a cable of 20.00: 810.00, the 80 % alert, once
        self._add_part(self.ticket, self.cable)
        self.assertEqual(self.customer.breakfix_month_spend, 810.0)
        eighty = "Test Customer Ltd: 80 % of your monthly support cap"
        self.assertAlerts([eighty], len(self.managers))
        mails, activities = self._alerts()
        self.assertIn(
            "cap you set: $&nbsp;810.00 of\n        $&nbsp;1,000.00", str(mails.body)
        )
        self.assertEqual(activities.user_id, self.managers)
        self.assertEqual(
            activities[0].summary,
            f"Test Customer Ltd reached 80 % of its monthly cap: ${NBSP}810.00 of "
            f"${NBSP}1,000.00",
        )
        self._add_part(self.ticket, self.cable)  # 830.00: told already
        self.assertAlerts([eighty], len(self.managers))
        self.assertFalse(self.ticket.breakfix_cap_reached)

        # 2 h on Friday 20: 1,030.00, the 100 % alert, once, and the banner
        self._log_time(self.ticket, brussels(20, 9), 2.0)
        self.assertEqual(self.customer.breakfix_month_spend, 1030.0)
        hundred = "Test Customer Ltd: 100 % of your monthly support cap"
        self.assertAlerts([hundred, eighty], 2 * len(self.managers))
        self.assertTrue(self.ticket.breakfix_cap_reached)
        self._log_time(self.ticket, brussels(20, 14), 0.5)
        self.assertAlerts([hundred, eighty], 2 * len(self.managers))
        # the technician is warned as they log time
        ticket_form = Form(
            self.ticket.with_user(self.tech).with_context(uid=self.tech.id)
        )
        with (
            self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs,
            ticket_form.timesheet_ids.new() as entry,
        ):
            entry.date_time = brussels(20, 15)
            entry.employee_id = self.tech_employee
            entry.name = "More work"
            entry.unit_amount = 0.5
            entry.breakfix_work_type_id = self.work_type_remote
        self.assertIn(
            "WARNING:odoo.tests.form.onchange:Monthly cap Test Customer Ltd reached "
            "its monthly cap: check with a billing manager before logging more time.",
            logs.output,
        )

        # December: November's invoice no longer counts; the ticket's 380.00
        # still to invoice does, 38 %: no banner until the work reaches 80 %
        with freezegun.freeze_time("2026-12-02 10:00:00"):
            self.env.invalidate_all()
            self.assertEqual(self.customer._breakfix_month_spend(self.company), 380.0)
            self.assertFalse(self.ticket.breakfix_cap_reached)
            self._log_time(self.ticket, brussels(1, 8, month=12), 4.0)  # 780.00
            self.assertAlerts([hundred, eighty], 2 * len(self.managers))
            self._log_time(self.ticket, brussels(1, 14, month=12), 0.25)  # 805.00
            self.assertAlerts([eighty, hundred, eighty], 3 * len(self.managers))

    def test_a_raised_cap_takes_the_banner_away(self):
        self._log_time(self.ticket, brussels(20, 9), 3.0)  # 1,000.00
        self.assertTrue(self.ticket.breakfix_cap_reached)
        with Form(self.customer.with_user(self.billing_manager)) as customer:
            customer.breakfix_monthly_cap = 2000.0
        self.env.invalidate_all()
        self.assertFalse(self.ticket.breakfix_cap_reached)


@tagged("post_install", "-at_install")
class TestMonthlyCapPortal(BreakfixEstimateCommon, HttpCase):
    """The customer's people raise its cap from /my/breakfix/cap."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.breakfix_monthly_cap = 1000.0
        cls.paula = cls._portal_user("bf_cap_paula", "Paula Portal", cls.customer)

    def _post(self, cap, with_csrf=True):
        data = {"cap": cap}
        if with_csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open("/my/breakfix/cap", data=data)

    def _cap(self):
        self.env.invalidate_all()
        return self.customer.breakfix_monthly_cap

    @mute_logger("odoo.http")
    def test_portal_user_raises_the_cap_never_lowers_it(self):
        self.authenticate(self.paula.login, self.paula.login)
        page = self.url_open("/my/breakfix/cap").text
        self.assertIn("1,000.00", page)
        for refused in ("900", "1000", "nan", "inf", "lots", "-1", "1e12"):
            with self.subTest(cap=refused):
                response = self._post(refused)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_breakfix_cap_error", response.text)
                self.assertEqual(self._cap(), 1000.0)
        self.assertEqual(self._post("1500", with_csrf=False).status_code, 400)
        self.assertEqual(self._cap(), 1000.0)

        response = self._post("1500")
        self.assertIn("Your monthly cap is raised.", response.text)
        self.assertEqual(self._cap(), 1500.0)
        self.assertIn(
            "Paula Portal raised the monthly cap to $&nbsp;1,500.00 from the portal.",
            str(self.customer.message_ids[0].body),
        )

    @mute_logger("odoo.http")
    def test_a_first_cap_must_be_positive_and_bounded(self):
        self.customer.breakfix_monthly_cap = False
        self.authenticate(self.paula.login, self.paula.login)
        for refused in ("-1", "0", "1e12"):
            with self.subTest(cap=refused):
                self.assertIn("o_breakfix_cap_error", self._post(refused).text)
                self.assertFalse(self._cap())
        self.assertIn("Your monthly cap is raised.", self._post("500").text)
        self.assertEqual(self._cap(), 500.0)
