# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo data tells its story (demo/breakfix_invoice_history_demo.xml and
demo/helpdesk_ticket_state_demo.xml): on a database installed with demo
data, as the suite runs, seen on the day the demo was installed."""

import unittest
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.tests import HttpCase, TransactionCase, freeze_time, tagged

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestDemoStory(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.posted_today = cls.env.ref(
            "breakfix_billing.ticket_cedar_laptop_posted", raise_if_not_found=False
        )
        if not cls.posted_today:
            raise unittest.SkipTest("no demo data")
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.company = cls.env.ref("base.main_company")
        # the demo is dated from its install day, on which the ticket "...
        # — posted" was invoiced
        cls.install_day = cls.posted_today.breakfix_invoice_ids.invoice_date
        cls.install_moment = cls.company._breakfix_day_start(
            cls.install_day
        ) + timedelta(hours=12)
        cls.northwind = cls.env.ref("breakfix_billing.partner_northwind")
        cls.cedar = cls.env.ref("breakfix_billing.partner_cedar")
        cls.harbor = cls.env.ref("breakfix_billing.partner_harbor")

    def _compare(self, customer):
        with freeze_time(self.install_moment):
            return (
                self.env["breakfix.managed.comparison"]
                .with_company(self.company)
                ._breakfix_compare(customer)
            )

    def _history_months(self, customer):
        """The months of the customer's posted break/fix invoices dated
        before the install month, one each."""
        invoices = self.env["account.move"].search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("partner_id.commercial_partner_id", "=", customer.id),
                ("breakfix_ticket_ids", "!=", False),
                ("invoice_date", "<", self.install_day.replace(day=1)),
            ]
        )
        months = [invoice.invoice_date.replace(day=1) for invoice in invoices]
        self.assertEqual(len(months), len(set(months)), "one invoice a month")
        return sorted(months)

    def test_posted_invoices_span_fourteen_months(self):
        first_of_month = self.install_day.replace(day=1)
        expected = [
            first_of_month - relativedelta(months=months) for months in range(14, 0, -1)
        ]
        for customer in self.northwind | self.cedar:
            with self.subTest(customer=customer.name):
                self.assertEqual(self._history_months(customer), expected)
        self.assertEqual(self._history_months(self.harbor), [])

    def test_northwind_would_save(self):
        comparison = self._compare(self.northwind)
        self.assertRecordValues(
            comparison,
            [
                {
                    "has_history": True,
                    "breakfix_amount": 13195.0,
                    "managed_amount": 10800.0,
                    "difference": 2395.0,
                    # "Router replaced — drafted": 1.5 h remote at 105.00
                    "drafted_amount": 157.5,
                }
            ],
        )
        self.assertEqual(
            comparison.verdict,
            f"A managed plan would have cost ${NBSP}2,395.00 less: "
            f"${NBSP}10,800.00 instead of ${NBSP}13,195.00 of break/fix charges.",
        )
        self.assertGreater(comparison.open_amount, 0.0)

    def test_cedar_would_not_save(self):
        comparison = self._compare(self.cedar)
        self.assertRecordValues(
            comparison,
            [
                {
                    "has_history": True,
                    "breakfix_amount": 2655.0,
                    "managed_amount": 5400.0,
                    "difference": -2745.0,
                    # "Laptop battery replaced — posted" is of the install
                    # month: not in the trailing 12 months, nor drafted
                    "drafted_amount": 0.0,
                }
            ],
        )
        self.assertEqual(
            comparison.verdict,
            f"A managed plan would have cost ${NBSP}2,745.00 more: "
            f"${NBSP}5,400.00 instead of ${NBSP}2,655.00 of break/fix charges.",
        )

    def test_harbor_has_nothing_to_compare_yet(self):
        comparison = self._compare(self.harbor)
        self.assertFalse(comparison.has_history)
        self.assertEqual(comparison.difference, 0.0)
        self.assertTrue(
            comparison.verdict.startswith("No posted break/fix invoices in "),
            comparison.verdict,
        )
        self.assertTrue(comparison.verdict.endswith(": nothing to compare yet."))
        # the Wi-Fi ticket of last week is still to invoice
        self.assertGreater(comparison.open_amount, 0.0)

    def test_compare_all_lists_both(self):
        with freeze_time(self.install_moment):
            action = (
                self.env["breakfix.managed.comparison"]
                .with_company(self.company)
                .action_compare_all()
            )
        comparisons = self.env["breakfix.managed.comparison"].search(action["domain"])
        self.assertEqual(
            [
                (c.partner_id, c.difference)
                for c in comparisons
                if c.partner_id in self.northwind | self.cedar
            ],
            [(self.northwind, 2395.0), (self.cedar, -2745.0)],
        )

    def test_a_ticket_in_each_state(self):
        def ticket(name):
            return self.env.ref(f"breakfix_billing.{name}")

        to_invoice = ticket("ticket_northwind_printer_offline")
        self.assertFalse(to_invoice.breakfix_invoice_ids)
        self.assertGreater(to_invoice.breakfix_amount_to_invoice, 0.0)
        drafted = ticket("ticket_northwind_router_drafted")
        self.assertEqual(drafted.breakfix_invoice_ids.mapped("state"), ["draft"])
        self.assertEqual(drafted.breakfix_amount_to_invoice, 0.0)
        posted = self.posted_today
        self.assertEqual(posted.breakfix_invoice_ids.mapped("state"), ["posted"])
        self.assertEqual(posted.breakfix_amount_to_invoice, 0.0)
        self.assertEqual(ticket("ticket_harbor_backup").breakfix_policy, "covered")
        warranty = ticket("ticket_harbor_scanner_warranty")
        self.assertEqual(warranty.breakfix_policy, "warranty")
        self.assertGreater(warranty.breakfix_no_charge_value, 0.0)
        self.assertEqual(
            ticket("ticket_cedar_workstation").breakfix_estimate_state, "exceeded"
        )

    def test_portal_customer_logs_in(self):
        user = self.env.ref("breakfix_billing.user_portal_northwind")
        self.assertEqual(user.login, "portal.customer")
        self.assertTrue(user._is_portal())
        self.assertEqual(user.partner_id.commercial_partner_id, self.northwind)
        user.with_user(user)._check_credentials(
            {"login": "portal.customer", "password": "portal", "type": "password"},
            {"interactive": False},
        )

    def test_the_portal_customer_is_asked_to_approve(self):
        ticket = self.env.ref("breakfix_billing.ticket_northwind_server_fan_approval")
        nora = self.env.ref("breakfix_billing.user_portal_northwind")
        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_approval_state": "requested",
                    "breakfix_approval_amount": 300.0,
                }
            ],
        )
        approval = ticket.with_user(nora)._breakfix_portal_approval(nora)
        self.assertEqual(approval["state"], "requested")
        self.assertEqual(
            approval["reason"], "Replacing the fan takes about 2 hours on site."
        )

    def test_a_monthly_customer_s_invoice(self):
        maple = self.env.ref("breakfix_billing.partner_maple")
        wifi = self.env.ref("breakfix_billing.ticket_maple_wifi")
        printer = self.env.ref("breakfix_billing.ticket_maple_label_printer")
        waiting = self.env.ref("breakfix_billing.ticket_maple_backup")
        self.assertTrue(maple._breakfix_invoiced_monthly(self.company))
        invoice = wifi.breakfix_invoice_ids
        self.assertEqual(printer.breakfix_invoice_ids, invoice)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.invoice_origin, f"{wifi.number}, {printer.number}")
        self.assertEqual(
            invoice.invoice_line_ids.filtered(
                lambda line: line.display_type == "line_section"
            ).mapped("name"),
            [
                f"{wifi.number} · Waiting room Wi-Fi drops",
                f"{printer.number} · Label printer prints blank labels",
            ],
        )
        # standard rates: 1.00 h at 90.00; 0.50 h, 45.00, and the minimum of
        # 60 min a ticket, 45.00 more
        self.assertEqual(invoice.amount_untaxed, 180.0)
        self.assertFalse(waiting.breakfix_invoice_ids)
        self.assertEqual(waiting.breakfix_invoice_status, "to_invoice")


@tagged("post_install", "-at_install")
class TestDemoComparisonTour(HttpCase):
    def test_demo_comparison_tour(self):
        northwind = self.env.ref(
            "breakfix_billing.partner_northwind", raise_if_not_found=False
        )
        if not northwind:
            self.skipTest("no demo data")
        self.start_tour(
            f"/odoo/action-base.action_partner_form/{northwind.id}",
            "breakfix_managed_comparison_demo_tour",
            login="admin",
        )
