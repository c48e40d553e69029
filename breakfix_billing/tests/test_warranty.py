# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import format_date

from .common import AtBrusselsMidnight, BreakfixInvoicingCommon, brussels


@tagged("post_install", "-at_install")
class TestWorkmanshipWarranty(AtBrusselsMidnight, BreakfixInvoicingCommon):
    """A new ticket of the same customer in the same category within the rate
    card's warranty days ("Brussels rates": 14, the default) of an invoice of
    an earlier ticket is a possible repeat visit.
    (``AtBrusselsMidnight``: "today" is the company's 2 December.)
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Tuesday 10:00, 1 h remote: 100.00, invoiced today
        cls.earlier = cls._create_ticket(name="Switch down", category_id=cls.network.id)
        cls._log_time(cls.earlier, brussels(17, 10), 1.0)
        invoice = cls.earlier.with_user(cls.manager)._breakfix_create_invoices()[0]
        cls.invoice = cls.env["account.move"].browse(invoice.ids)

    def _reason(self, days=14):
        """Why a new ticket is a possible repeat of the earlier one, whose
        invoice is a draft."""
        return (
            f"Possible repeat visit of {self.earlier.display_name}, drafted for "
            f"invoicing on {format_date(self.env, self.invoice.date)} (not posted "
            f"yet), within the {days}-day workmanship warranty: a billing manager "
            "decides whether it is billed."
        )

    def assertRepeat(self, ticket, earlier=None, reason=""):
        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_repeat_of_id": earlier.id if earlier else False,
                    "breakfix_policy": "warranty" if earlier else "billable",
                    "breakfix_policy_reason": reason,
                }
            ],
        )

    def test_repeat_visit_within_the_warranty(self):
        self.assertEqual(self.card.warranty_days, 14)
        self.assertEqual(self.invoice.amount_untaxed, 100.0)
        again = self._create_ticket(
            name="Switch down again", category_id=self.network.id
        )
        self.assertRepeat(again, self.earlier, self._reason())
        # a repeat visit is not charged: its work is no-charge value
        self._log_time(again, brussels(24, 10), 1.0)
        self.assertAmounts(
            again,
            {"breakfix_amount_to_invoice": 0.0, "breakfix_no_charge_value": 100.0},
        )
        # the invoiced ticket itself stays as it was
        self.assertRepeat(self.earlier)

    def test_repeat_of_a_posted_invoice_says_invoiced(self):
        again = self._create_ticket(
            name="Switch down again", category_id=self.network.id
        )
        self.invoice.with_user(self.finance).action_post()
        self.assertRepeat(
            again,
            self.earlier,
            f"Possible repeat visit of {self.earlier.display_name}, invoiced on "
            f"{format_date(self.env, self.invoice.date)}, within the 14-day "
            "workmanship warranty: a billing manager decides whether it is billed.",
        )

    def test_window_edges(self):
        # invoiced 14 days before the new ticket: still within the warranty
        self.invoice.date = self.today - timedelta(days=14)
        inside = self._create_ticket(category_id=self.network.id)
        self.assertRepeat(inside, self.earlier, self._reason())
        # 15 days before: outside
        self.invoice.date = self.today - timedelta(days=15)
        self.assertRepeat(self._create_ticket(category_id=self.network.id))
        # a longer warranty on the rate card takes it in again
        self.card.warranty_days = 30
        self.assertRepeat(
            self._create_ticket(category_id=self.network.id),
            self.earlier,
            self._reason(days=30),
        )
        # no warranty at all
        self.card.warranty_days = 0
        self.invoice.date = self.today
        self.assertRepeat(self._create_ticket(category_id=self.network.id))

    def test_never_across_customers_or_categories(self):
        other_customer = self.env["res.partner"].create(
            {
                "name": "Other Customer SA",
                "is_company": True,
                "breakfix_rate_card_id": self.card.id,
            }
        )
        other = self._create_ticket(
            partner_id=other_customer.id, category_id=self.network.id
        )
        self.assertRepeat(other)
        self.assertRepeat(self._create_ticket(category_id=self.printers.id))
        self.assertRepeat(self._create_ticket())
        # the customer itself, rather than its contact Chris: the same customer
        self.assertRepeat(
            self._create_ticket(
                partner_id=self.customer.id, category_id=self.network.id
            ),
            self.earlier,
            self._reason(),
        )
        # moved to the other customer, the ticket is no repeat any more
        moved = self._create_ticket(category_id=self.network.id)
        moved.partner_id = other_customer
        self.assertRepeat(moved)

    def test_cancelled_invoice_bills_nothing(self):
        self.invoice.with_user(self.finance).button_cancel()
        self.assertRepeat(self._create_ticket(category_id=self.network.id))

    def test_batch_of_tickets(self):
        tickets = (
            self.env["helpdesk.ticket"]
            .with_user(self.tech)
            .create(
                [
                    {
                        "name": f"Switch down {index}",
                        "description": "<p>Again.</p>",
                        "partner_id": self.contact.id,
                        "team_id": self.team.id,
                        "category_id": category.id,
                    }
                    for index, category in enumerate(
                        (self.network, self.printers, self.network)
                    )
                ]
            )
        )
        self.assertEqual(
            [ticket.breakfix_repeat_of_id for ticket in tickets],
            [self.earlier, self.env["helpdesk.ticket"], self.earlier],
        )
        self.assertEqual(
            tickets.mapped("breakfix_policy"), ["warranty", "billable", "warranty"]
        )

    def test_billing_manager_decides(self):
        again = self._create_ticket(category_id=self.network.id)
        with self.assertRaises(AccessError):
            again.with_user(self.tech).breakfix_policy = "billable"
        manager = self.manager
        with Form(again.with_user(manager).with_context(uid=manager.id)) as form:
            self.assertEqual(form.breakfix_policy, "warranty")
            self.assertEqual(form.breakfix_repeat_of_id, self.earlier)
            form.breakfix_policy = "billable"
        self.assertRecordValues(
            again,
            [
                {
                    "breakfix_policy": "billable",
                    "breakfix_policy_manual": True,
                    "breakfix_repeat_of_id": self.earlier.id,
                    "breakfix_policy_decided_by_id": manager.id,
                    "breakfix_policy_reason": "Billed as usual, as Mona Manager "
                    f"decided: a possible repeat visit of {self.earlier.display_name}.",
                }
            ],
        )
        # the decision sticks when the ticket changes
        again.with_user(self.tech).category_id = self.printers
        again.with_user(self.tech).category_id = self.network
        self.assertEqual(again.breakfix_policy, "billable")

    def test_coverage_before_warranty(self):
        coverage = self.env["breakfix.coverage"].create(
            {
                "name": "Managed network",
                "partner_id": self.customer.id,
                "date_from": self.today,
                "category_ids": [Command.set(self.network.ids)],
            }
        )
        ticket = self._create_ticket(category_id=self.network.id)
        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_policy": "covered",
                    "breakfix_coverage_id": coverage.id,
                    "breakfix_repeat_of_id": self.earlier.id,
                }
            ],
        )

    def test_warranty_days_cannot_be_negative(self):
        with self.assertRaises(ValidationError) as catcher:
            self.card.warranty_days = -1
        self.assertEqual(
            str(catcher.exception),
            "The Workmanship Warranty (days) of rate card “Brussels rates” cannot "
            "be negative.",
        )
        self.assertEqual(self.card.warranty_days, 14)
        with self.assertRaises(AccessError):
            self.card.with_user(self.tech).warranty_days = 30

    def test_manager_decides_with_the_buttons(self):
        billed = self._create_ticket(category_id=self.network.id)
        confirmed = self._create_ticket(category_id=self.network.id)
        with self.assertRaises(AccessError):
            billed.with_user(self.tech).action_breakfix_bill_repeat_visit()
        with self.assertRaises(AccessError):
            confirmed.with_user(self.tech).action_breakfix_confirm_warranty()
        with self.assertRaises(UserError) as catcher:
            self.earlier.with_user(self.manager).action_breakfix_confirm_warranty()
        self.assertEqual(
            str(catcher.exception),
            f"Ticket {self.earlier.number} is not a possible repeat visit.",
        )

        billed.with_user(self.manager).action_breakfix_bill_repeat_visit()
        confirmed.with_user(self.manager).action_breakfix_confirm_warranty()

        earlier = self.earlier.display_name
        expected = [
            {
                "breakfix_policy": "billable",
                "breakfix_policy_manual": True,
                "breakfix_policy_decided_by_id": self.manager.id,
                "breakfix_policy_reason": "Billed as usual, as Mona Manager decided: "
                f"a possible repeat visit of {earlier}.",
            },
            {
                "breakfix_policy": "warranty",
                "breakfix_policy_manual": True,
                "breakfix_policy_decided_by_id": self.manager.id,
                "breakfix_policy_reason": "Warranty confirmed by Mona Manager: a "
                f"repeat visit of {earlier}.",
            },
        ]
        self.assertRecordValues(billed | confirmed, expected)
        # both decisions stick when the category changes back and forth
        for ticket in billed | confirmed:
            ticket.with_user(self.tech).category_id = self.printers
            ticket.with_user(self.tech).category_id = self.network
        self.assertRecordValues(billed | confirmed, expected)
        # the billed one is charged: 1 h on Tuesday 24, 100.00
        self._log_time(billed, brussels(24, 10), 1.0)
        self.assertEqual(billed.breakfix_amount_to_invoice, 100.0)

    def _set_created(self, tickets, days_ago):
        """Pretend ``tickets`` were created at noon UTC ``days_ago`` days ago."""
        self.env.flush_all()
        moment = datetime.combine(self.today - timedelta(days=days_ago), time(12))
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id IN %s",
            (moment, tuple(tickets.ids)),
        )
        tickets.invalidate_recordset(["create_date"])

    def test_batch_with_different_opening_days(self):
        # the earlier ticket was invoiced 20 days ago, and again today
        self.invoice.date = self.today - timedelta(days=20)
        self._log_time(self.earlier, brussels(18, 10), 1.0)
        supplementary = self._draft(self.earlier)
        self.assertEqual(supplementary.date, self.today)
        ten_days_ago, today, forty_days_ago = tickets = self.env[
            "helpdesk.ticket"
        ].create(
            [
                {
                    "name": f"Switch down {index}",
                    "description": "<p>Again.</p>",
                    "partner_id": self.contact.id,
                    "team_id": self.team.id,
                }
                for index in range(3)
            ]
        )
        self._set_created(ten_days_ago, 10)
        self._set_created(forty_days_ago, 40)
        # judged in one batch: each against the invoices before its own day
        tickets.write({"category_id": self.network.id})
        self.assertEqual(
            [ticket.breakfix_repeat_of_id for ticket in tickets],
            [self.earlier, self.earlier, self.env["helpdesk.ticket"]],
        )
        invoiced_on = [
            format_date(self.env, self.today - timedelta(days=20)),
            format_date(self.env, self.today),
        ]
        for ticket, day in zip((ten_days_ago, today), invoiced_on, strict=True):
            self.assertIn(
                f"drafted for invoicing on {day} (not posted yet), within",
                ticket.breakfix_policy_reason,
            )

    def _detection_queries(self, count):
        """The queries that judge ``count`` new tickets (coverage, repeat
        visit, policy), as their creation does, and store the result."""
        coverage = self.env["breakfix.coverage"].create(
            {
                "name": "Managed printers",
                "partner_id": self.customer.id,
                "date_from": self.today,
                "category_ids": [Command.set(self.printers.ids)],
            }
        )
        tickets = self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Switch down {index}",
                    "description": "<p>Again.</p>",
                    "partner_id": self.contact.id,
                    "team_id": self.team.id,
                }
                for index in range(count)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        tickets.write({"category_id": self.network.id})
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(set(tickets.mapped("breakfix_policy")), {"warranty"})
        tickets.write({"category_id": self.printers.id})
        self.assertEqual(tickets.breakfix_coverage_id, coverage)
        return queries

    def test_detection_queries_do_not_grow_with_the_batch(self):
        self.assertEqual(self._detection_queries(3), self._detection_queries(30))
