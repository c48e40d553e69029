# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Break/fix against a managed plan: the comparison of a customer's last
twelve months (on the tickets of ``BreakfixInsightCommon`` of
test_billing_report.py), for all customers, its report, and its tour."""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_billing_report import BreakfixInsightCommon, work_day

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestManagedComparison(BreakfixInsightCommon):
    def test_customer_comparison(self):
        action = (
            self.customer.with_user(self.manager)
            .with_context(lang="en_US")
            .action_breakfix_managed_comparison()
        )
        comparison = self.env["breakfix.managed.comparison"].browse(action["res_id"])
        self.assertRecordValues(
            comparison,
            [
                {
                    "partner_id": self.customer.id,
                    "rate_card_id": self.card.id,
                    "currency_id": self.currency.id,
                    "date_from": date(2025, 12, 1),
                    "date_to": date(2026, 11, 30),
                    # 9 months of 100.00, March 145.00, June 175.00, October
                    # 0.00 (August's 100.00 credited); not the draft, not the
                    # cancelled invoice, not this month, not before December
                    "breakfix_amount": 1220.0,
                    "managed_monthly_price": 150.0,
                    "managed_amount": 1800.0,
                    "difference": -580.0,
                    "has_history": True,
                    # beside the comparison: Mona's November draft (2 h at
                    # 130.00), May's cancelled work to invoice again (50.00)
                    "drafted_amount": 260.0,
                    "open_amount": 50.0,
                }
            ],
        )
        self.assertEqual(
            comparison.verdict,
            f"A managed plan would have cost ${NBSP}580.00 more: ${NBSP}1,800.00 "
            f"instead of ${NBSP}1,220.00 of break/fix charges.",
        )
        self.assertEqual(
            [(line.month, line.amount) for line in comparison.month_ids],
            [
                (date(2025, 12, 1), 100.0),
                (date(2026, 1, 1), 100.0),
                (date(2026, 2, 1), 100.0),
                (date(2026, 3, 1), 145.0),
                (date(2026, 4, 1), 100.0),
                (date(2026, 5, 1), 100.0),
                (date(2026, 6, 1), 175.0),
                (date(2026, 7, 1), 100.0),
                (date(2026, 8, 1), 100.0),
                (date(2026, 9, 1), 100.0),
                (date(2026, 10, 1), 0.0),
                (date(2026, 11, 1), 100.0),
            ],
        )
        self.assertEqual(
            set(comparison.month_ids.mapped("managed_monthly_price")), {150.0}
        )
        chart = comparison.action_view_months()
        self.assertEqual(chart["res_model"], "breakfix.managed.comparison.month")
        self.assertEqual(chart["domain"], [("comparison_id", "=", comparison.id)])

    def test_chart_both_series(self):
        """The chart's lines: each month in both series, as the graph (one
        measure, by month then series) reads them."""
        comparison = (
            self.env["breakfix.managed.comparison"]
            .with_user(self.manager)
            ._breakfix_compare(self.customer)
        )
        self.assertEqual(len(comparison.chart_line_ids), 24)
        self.assertEqual(comparison.month_ids, comparison.chart_line_ids[::2])
        chart = comparison.action_view_months()
        groups = (
            self.env[chart["res_model"]]
            .with_user(self.manager)
            .with_context(lang="en_US")
            ._read_group(
                chart["domain"],
                groupby=["month:month", "series"],
                aggregates=["amount:sum"],
            )
        )
        self.assertEqual(
            [(month, series, amount) for month, series, amount in groups[:6]],
            [
                (date(2025, 12, 1), "breakfix", 100.0),
                (date(2025, 12, 1), "managed", 150.0),
                (date(2026, 1, 1), "breakfix", 100.0),
                (date(2026, 1, 1), "managed", 150.0),
                (date(2026, 2, 1), "breakfix", 100.0),
                (date(2026, 2, 1), "managed", 150.0),
            ],
        )
        totals = {}
        for _month, series, amount in groups:
            totals[series] = totals.get(series, 0.0) + amount
        self.assertEqual(totals, {"breakfix": 1220.0, "managed": 1800.0})
        graph = self.env.ref(
            "breakfix_billing.breakfix_managed_comparison_month_view_graph"
        )
        arch = graph.arch
        self.assertIn('stacked="False"', arch)
        self.assertIn('<field name="series"/>', arch.replace(" />", "/>"))
        self.assertEqual(
            dict(self.env[chart["res_model"]]._fields["series"].selection),
            {"breakfix": "Break/fix Charges", "managed": "Managed Plan"},
        )

    def test_no_posted_history(self):
        """A customer with drafted work and work to invoice, but no posted
        break/fix invoice in the period: nothing to compare yet, and what it
        has beside, not in the verdict."""
        newcomer = self.env["res.partner"].create(
            {
                "name": "Newcomer BV",
                "is_company": True,
                "breakfix_rate_card_id": self.card.id,
            }
        )
        drafted, posted_this_month, cancelled, to_invoice = (
            self._create_ticket(name=name, partner_id=newcomer.id)
            for name in ("Drafted", "This month", "Cancelled", "To invoice")
        )
        self._log_on_day(drafted, work_day(2026, 11), 2.0)
        self._log_on_day(posted_this_month, date(2026, 12, 3), 1.0)
        self._log_on_day(cancelled, work_day(2026, 10), 0.5)
        invoices, skipped = (
            (drafted | posted_this_month | cancelled).sudo()._breakfix_create_invoices()
        )
        self.assertFalse(skipped)
        invoice_of = {
            invoice.invoice_origin: invoice.with_user(self.finance)
            for invoice in invoices
        }
        posted = invoice_of[posted_this_month.number]
        posted.invoice_date = date(2026, 12, 3)
        posted.action_post()
        # cancelled: its 0.50 h is to invoice again
        invoice_of[cancelled.number].button_cancel()
        self._log_on_day(to_invoice, work_day(2026, 11), 1.5)
        comparison = (
            self.env["breakfix.managed.comparison"]
            .with_user(self.manager)
            .with_context(lang="en_US")
            ._breakfix_compare(newcomer)
        )
        self.assertRecordValues(
            comparison,
            [
                {
                    "partner_id": newcomer.id,
                    "has_history": False,
                    "breakfix_amount": 0.0,
                    "managed_monthly_price": 150.0,
                    "managed_amount": 1800.0,
                    # nothing to compare: no difference either
                    "difference": 0.0,
                    # 2 h at 100.00 on the draft invoice
                    "drafted_amount": 200.0,
                    # 1.5 h at 100.00, and the cancelled invoice's 0.5 h
                    "open_amount": 200.0,
                }
            ],
        )
        self.assertEqual(
            comparison.verdict,
            "No posted break/fix invoices in December 2025 – November 2026: "
            "nothing to compare yet.",
        )
        self.assertEqual(comparison.period_label, "December 2025 – November 2026")
        self.assertEqual(
            set(comparison.month_ids.mapped("amount")), {0.0}, "December's 100.00"
        )
        # after the customers with something to compare
        ours = self.env["breakfix.managed.comparison"].search(
            [
                (
                    "id",
                    "in",
                    (
                        comparison
                        | self.env["breakfix.managed.comparison"]
                        .with_user(self.manager)
                        ._breakfix_compare(self.customer)
                    ).ids,
                )
            ]
        )
        self.assertEqual(ours.mapped("partner_id"), self.customer | newcomer)
        html, _report_type = self.env["ir.actions.report"]._render_qweb_html(
            "breakfix_billing.action_report_managed_comparison", comparison.ids
        )
        html = html.decode()
        self.assertIn("No posted break/fix invoices in December 2025", html)
        self.assertIn("Not posted yet, not compared", html)
        self.assertIn(
            "drafted (draft invoices) <span>$\N{NO-BREAK SPACE}"
            '<span class="oe_currency_value">200.00</span>',
            html,
        )

    def test_all_customers_by_difference(self):
        action = (
            self.env["breakfix.managed.comparison"]
            .with_user(self.manager)
            .action_compare_all()
        )
        comparisons = self.env["breakfix.managed.comparison"].search(action["domain"])
        ours = comparisons.filtered(
            lambda c: c.partner_id in self.customer | self.second_customer
        )
        # the second customer's 240.00 of break/fix against 120.00 of plan
        # first: a managed plan would have saved it 120.00
        self.assertEqual(
            [
                (c.partner_id, c.breakfix_amount, c.managed_amount, c.difference)
                for c in ours
            ],
            [
                (self.second_customer, 240.0, 120.0, 120.0),
                (self.customer, 1220.0, 1800.0, -580.0),
            ],
        )
        differences = comparisons.filtered("managed_monthly_price").mapped("difference")
        self.assertEqual(differences, sorted(differences, reverse=True))
        self.assertEqual(
            ours[0].with_context(lang="en_US").verdict,
            f"A managed plan would have cost ${NBSP}120.00 less: ${NBSP}120.00 "
            f"instead of ${NBSP}240.00 of break/fix charges.",
        )

    def test_empty_list_says_what_fills_it(self):
        action = (
            self.env["breakfix.managed.comparison"]
            .with_user(self.manager)
            .with_context(lang="en_US")
            .action_compare_all()
        )
        self.assertIn("o_view_nocontent_smiling_face", action["help"])
        self.assertIn(
            "No customer has posted break/fix invoices in the last 12 full months",
            action["help"],
        )

    def test_all_customers_without_managed_price_last(self):
        # the default rates have no managed plan any more: the second
        # customer has no difference, and comes after the first one's -580.00
        self.default_rate_card.managed_plan_monthly_price = 0.0
        action = (
            self.env["breakfix.managed.comparison"]
            .with_user(self.manager)
            .action_compare_all()
        )
        comparisons = self.env["breakfix.managed.comparison"].search(action["domain"])
        self.assertEqual(
            [
                (c.partner_id, c.breakfix_amount, c.managed_amount, c.difference)
                for c in comparisons.filtered(
                    lambda c: c.partner_id in self.customer | self.second_customer
                )
            ],
            [
                (self.customer, 1220.0, 1800.0, -580.0),
                (self.second_customer, 240.0, 0.0, 0.0),
            ],
        )
        priced = [bool(c.managed_monthly_price) for c in comparisons]
        self.assertEqual(priced, sorted(priced, reverse=True))

    def test_other_currency_at_each_invoice_date(self):
        """Two invoices in EUR (made by hand) on the customer's USD rates:
        100.00 EUR on 10 February 2026 at 0.50 EUR per USD (200.00) and
        80.00 EUR on 10 September 2026 at 0.80 (100.00), not both at the
        period's last day's rate (125.00 + 100.00)."""
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create(
            [
                {
                    "currency_id": eur.id,
                    "company_id": self.company.id,
                    "name": day,
                    "rate": rate,
                }
                for day, rate in ((date(2026, 1, 1), 0.5), (date(2026, 7, 1), 0.8))
            ]
        )
        ticket = self._create_ticket(name="Euro work")
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "currency_id": eur.id,
                    "invoice_date": day,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Euro work",
                                "price_unit": price,
                                "tax_ids": [],
                                "breakfix_ticket_id": ticket.id,
                            }
                        )
                    ],
                }
                for day, price in (
                    (date(2026, 2, 10), 100.0),
                    (date(2026, 9, 10), 80.0),
                )
            ]
        )
        invoices.action_post()
        comparison = (
            self.env["breakfix.managed.comparison"]
            .with_user(self.manager)
            ._breakfix_compare(self.customer)
        )
        self.assertRecordValues(
            comparison,
            [
                {
                    "currency_id": self.currency.id,
                    "breakfix_amount": 1520.0,
                    "managed_amount": 1800.0,
                    "difference": -280.0,
                }
            ],
        )
        self.assertEqual(
            {
                line.month: line.amount
                for line in comparison.month_ids
                if line.month in (date(2026, 2, 1), date(2026, 9, 1))
            },
            {date(2026, 2, 1): 300.0, date(2026, 9, 1): 200.0},
        )

    def test_no_managed_price(self):
        self.card.managed_plan_monthly_price = 0.0
        comparison = (
            self.env["breakfix.managed.comparison"]
            .with_user(self.manager)
            ._breakfix_compare(self.contact)
        )
        self.assertRecordValues(
            comparison,
            [
                {
                    "partner_id": self.customer.id,
                    "breakfix_amount": 1220.0,
                    "managed_amount": 0.0,
                    "difference": 0.0,
                }
            ],
        )
        self.assertEqual(
            comparison.with_context(lang="en_US").verdict,
            "Rate card “Brussels rates” has no managed plan price: there is "
            "nothing to compare with.",
        )
        self.company.breakfix_rate_card_id = False
        no_card = self.env["res.partner"].create(
            {"name": "No Card Ltd", "is_company": True}
        )
        comparison = (
            self.env["breakfix.managed.comparison"]
            .with_user(self.manager)
            ._breakfix_compare(no_card)
        )
        self.assertRecordValues(
            comparison,
            [{"rate_card_id": False, "currency_id": self.currency.id, "difference": 0}],
        )
        self.assertEqual(
            comparison.with_context(lang="en_US").verdict,
            "No rate card applies to this customer: there is no managed plan "
            "price to compare with.",
        )

    def test_report_html(self):
        comparison = (
            self.env["breakfix.managed.comparison"]
            .with_user(self.manager)
            ._breakfix_compare(self.customer)
        )
        html, report_type = self.env["ir.actions.report"]._render_qweb_html(
            "breakfix_billing.action_report_managed_comparison", comparison.ids
        )
        self.assertEqual(report_type, "html")
        html = html.decode()
        self.assertIn("Test Customer Ltd", html)
        self.assertIn("would have cost", html)
        self.assertIn("580.00", html)
        self.assertIn("March 2026", html)
        self.assertIn("145.00", html)
        self.assertIn("1,220.00", html)
        # the tallest month (June, 175.00) fills its bar; the plan 150/175
        self.assertIn("width: 100%", html)
        self.assertIn("width: 86%", html)

    def test_access(self):
        with self.assertRaises(AccessError):
            self.env["breakfix.managed.comparison"].with_user(
                self.tech
            )._breakfix_compare(self.customer)
        other_manager = self._other_company_manager("bf_other_comparison_manager")
        comparison = (
            self.env["breakfix.managed.comparison"]
            .with_user(other_manager)
            .with_company(other_manager.company_id)
            ._breakfix_compare(self.customer)
        )
        # nothing invoiced by the other company
        self.assertEqual(comparison.breakfix_amount, 0.0)
        self.assertEqual(len(comparison.month_ids), 12)
        # each company's managers see their company's comparisons and months
        ours = (
            self.env["breakfix.managed.comparison"]
            .with_user(self.manager)
            ._breakfix_compare(self.customer)
        )
        Month = self.env["breakfix.managed.comparison.month"]
        for user, own, other in (
            (self.manager, ours, comparison),
            (other_manager, comparison, ours),
        ):
            with self.subTest(user=user.login):
                months = Month.with_user(user).search(
                    [("comparison_id", "in", (ours | comparison).ids)]
                )
                self.assertEqual(months, own.chart_line_ids)
                with self.assertRaises(AccessError):
                    other.month_ids[0].with_user(user).read(["amount"])
                with self.assertRaises(AccessError):
                    other.with_user(user).read(["breakfix_amount"])


@tagged("post_install", "-at_install")
class TestManagedComparisonTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a billing manager far ahead of UTC: "last month" is still the one
        # of the company's day, as the comparison judges it
        cls.manager = new_test_user(
            cls.env,
            login="bf_tour_comparison_manager",
            name="Tom Tour Manager",
            groups="breakfix_billing.group_breakfix_manager",
            tz="Pacific/Kiritimati",
        )
        remote = cls.env.ref("breakfix_billing.work_type_remote")
        for product in remote.product_id:
            product.property_account_income_id = cls.env["account.account"].create(
                {"name": "Tour services", "code": "700901", "account_type": "income"}
            )
        rate_card = cls.env["breakfix.rate.card"].create(
            {
                "name": "Tour managed rates",
                "company_id": cls.env.company.id,
                "calendar_id": False,
                "managed_plan_monthly_price": 100.0,
                "line_ids": [
                    Command.create({"work_type_id": remote.id, "hourly_rate": 100.0})
                ],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour Managed Ltd",
                "is_company": True,
                "breakfix_rate_card_id": rate_card.id,
            }
        )
        project = cls.env["project.project"].create(
            {"name": "Tour managed support", "allow_timesheets": True}
        )
        team = cls.env["helpdesk.ticket.team"].create(
            {
                "breakfix_enabled": True,
                "name": "Tour managed team",
                "allow_timesheet": True,
                "default_project_id": project.id,
            }
        )
        ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Tour: mail server",
                "description": "Mail does not arrive.",
                "partner_id": cls.customer.id,
                "team_id": team.id,
                "project_id": project.id,
            }
        )
        today = cls.env.company._breakfix_today()
        last_month = today.replace(day=1) - relativedelta(months=1)
        cls.env["account.analytic.line"].create(
            {
                "ticket_id": ticket.id,
                "project_id": project.id,
                "employee_id": cls.env["hr.employee"].create({"name": "Tour tech"}).id,
                "name": "Mail queue",
                "date": last_month,
                "date_time": datetime.combine(last_month, datetime.min.time()),
                "unit_amount": 2.0,
                "breakfix_work_type_id": remote.id,
            }
        )
        invoices, _skipped = ticket._breakfix_create_invoices()
        invoices.invoice_date = last_month
        invoices.action_post()

    def test_managed_comparison_tour(self):
        self.start_tour(
            f"/odoo/action-base.action_partner_form/{self.customer.id}",
            "breakfix_managed_comparison_tour",
            login=self.manager.login,
        )
