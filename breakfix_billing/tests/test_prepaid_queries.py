# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Drafting for customers with prepaid blocks: the blocks are searched and
locked for the whole batch, so 30 tickets of 30 customers take no more
queries per ticket than 3 tickets of 3 customers."""

from datetime import date

import freezegun

from odoo import Command
from odoo.tests import tagged

from .common import BreakfixInvoicingCommon, brussels

# Measured: 103 queries for 3 tickets (34.3 each), 267 for 30 (8.9 each);
# the fixed part (the blocks' search and row locks, the journal, the rules)
# is paid once per batch, and so is what Odoo works out of each customer's
# invoice header and receivable account (114 and 357 while each invoice's
# lines were worked out apart, 112 and 301 with Odoo's sync checking them).
QUERIES = {3: 103, 30: 267}


@tagged("post_install", "-at_install")
class TestPrepaidDraftingQueries(BreakfixInvoicingCommon):
    """Each customer bought 10 hours (its block's invoice posted) and has one
    ticket of 2 h of business hours at 100.00/h on Monday 16 November 2026,
    all of it prepaid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(freezegun.freeze_time("2026-11-25 10:00:00"))
        cls.env.ref("breakfix_billing.product_breakfix_prepaid").write(
            {
                "property_account_income_id": cls.income_account.id,
                "taxes_id": [Command.set(cls.sale_tax.ids)],
            }
        )
        cls.warmup_tickets = (
            cls._create_tickets(3, "Warm-up A"),
            cls._create_tickets(3, "Warm-up B"),
        )
        cls.few_tickets = cls._create_tickets(3, "Few")
        cls.many_tickets = cls._create_tickets(30, "Many")

    @classmethod
    def _create_tickets(cls, count, name):
        """``count`` customers, each with a usable block and a ticket."""
        customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"{name} customer {index}",
                    "is_company": True,
                    "breakfix_rate_card_id": cls.card.id,
                }
                for index in range(count)
            ]
        )
        blocks = (
            cls.env["breakfix.prepaid.block"]
            .with_user(cls.manager)
            .create(
                [
                    {
                        "name": f"10 hours of {customer.name}",
                        "partner_id": customer.id,
                        "unit": "hours",
                        "quantity": 10.0,
                        "price": 850.0,
                        "date_from": date(2026, 11, 1),
                    }
                    for customer in customers
                ]
            )
        )
        blocks.action_breakfix_confirm()
        blocks.sudo().invoice_id.with_user(cls.finance).action_post()
        tickets = cls.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Issue of {customer.name}",
                    "description": "<p>Broken.</p>",
                    "partner_id": customer.id,
                    "team_id": cls.team.id,
                    "project_id": cls.project.id,
                }
                for customer in customers
            ]
        )
        cls.env["account.analytic.line"].create(
            [
                {
                    "ticket_id": ticket.id,
                    "project_id": cls.project.id,
                    "employee_id": cls.tech_employee.id,
                    "name": f"Work at {hour}:00",
                    "date_time": brussels(16, hour),
                    "unit_amount": 1.0,
                    "breakfix_work_type_id": cls.work_type_remote.id,
                }
                for ticket in tickets
                for hour in (9, 10)
            ]
        )
        return tickets

    def test_queries_per_ticket_do_not_grow_with_the_customers(self):
        for tickets in self.warmup_tickets:  # warm the caches (xmlids, rules)
            self.env.invalidate_all()
            self._draft_in_one_batch(tickets)
        for tickets in (self.few_tickets, self.many_tickets):
            self.env.invalidate_all()
            with self.assertQueryCount(QUERIES[len(tickets)]):
                invoices = self._draft_in_one_batch(tickets)
            self.assertEqual(len(invoices), len(tickets))
            self.assertEqual(set(invoices.mapped("amount_untaxed")), {0.0})
            self.assertEqual(set(invoices.mapped("amount_total")), {0.0})
            blocks = self.env["breakfix.prepaid.block"].search(
                [("partner_id", "in", tickets.partner_id.ids)]
            )
            self.assertEqual(set(blocks.mapped("balance")), {8.0})
            self.assertEqual(len(blocks.usage_ids.invoice_line_id), len(tickets))
        # what the counts above hold to: no more queries per ticket for 30
        self.assertLessEqual(QUERIES[30] / 30, QUERIES[3] / 3)
