# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from math import ceil

from odoo.models import UPDATE_BATCH_SIZE
from odoo.tests import tagged

from .common import BreakfixTicketCommon, brussels

# The queries of pricing a ticket do not depend on its number of entries:
# 30 for 20 entries and for 200 (2 of them read what is invoiced already, 1
# the company's time zone for the day of the rates, 1 the site's distance for
# the mileage of the on-site days).
PRICING_QUERIES = 30
# Nor do the queries of repricing the stored entries after a rate card change,
# but for the ORM's UPDATE of at most 100 rows each (UPDATE_BATCH_SIZE): 21
# (1 of them the company's time zone, 1 the site's distance) and one UPDATE
# for 20 entries, 21 and two UPDATEs for 200.
REPRICING_QUERIES = 21


@tagged("post_install", "-at_install")
class TestQueryCount(BreakfixTicketCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.small_card = cls.card.copy({"name": "Rates of the small ticket"})
        cls.large_card = cls.card.copy({"name": "Rates of the large ticket"})
        cls.small_ticket = cls._create_ticket_with_entries(cls.small_card, 20)
        cls.large_ticket = cls._create_ticket_with_entries(cls.large_card, 200)

    @classmethod
    def _create_ticket_with_entries(cls, rate_card, count):
        """A ticket with ``count`` entries by both users, remote and on-site,
        every 7 hours from Monday 16 November: business hours, evenings,
        nights and weekends; and two parts."""
        ticket = cls._create_ticket(
            user=cls.manager, breakfix_rate_card_id=rate_card.id
        )
        cls.env["account.analytic.line"].create(
            [
                {
                    "ticket_id": ticket.id,
                    "project_id": ticket.project_id.id,
                    "employee_id": (cls.tech_employee, cls.manager_employee)[
                        index % 2
                    ].id,
                    "name": f"Work {index}",
                    "date_time": brussels(16, 8) + timedelta(hours=7 * index),
                    "unit_amount": 1.1,
                    "breakfix_work_type_id": (
                        cls.work_type_onsite if index % 3 == 0 else cls.work_type_remote
                    ).id,
                }
                for index in range(count)
            ]
        )
        cls.env["helpdesk.ticket.material"].create(
            [
                {"ticket_id": ticket.id, "product_id": product.id, "quantity": 2}
                for product in (cls.product_ram, cls.product_ssd)
            ]
        )
        return ticket

    def _read_charges(self, ticket):
        return ticket.breakfix_amount_to_invoice, ticket.breakfix_pricing_summary

    def test_pricing_a_ticket(self):
        small = self.small_ticket.with_user(self.tech)
        large = self.large_ticket.with_user(self.tech)
        self.assertEqual(len(self.small_ticket.timesheet_ids), 20)
        self.assertEqual(len(self.large_ticket.timesheet_ids), 200)
        for ticket in (small, large):  # warm the caches (templates, rules)
            self.env.invalidate_all()
            self._read_charges(ticket)
            self.assertFalse(ticket.breakfix_pricing_error)
            self.assertGreater(ticket.breakfix_amount_to_invoice, 0.0)
        for ticket in (small, large):
            self.env.invalidate_all()
            with self.assertQueryCount(PRICING_QUERIES):
                self._read_charges(ticket)

    def test_repricing_entries_after_a_rate_card_change(self):
        # warm the caches on the small ticket
        self.small_card.after_hours_factor = 1.6
        self.env.flush_all()
        for ticket, card in (
            (self.small_ticket, self.small_card),
            (self.large_ticket, self.large_card),
        ):
            entries = ticket.timesheet_ids
            # the ORM writes the recomputed entries 100 rows per UPDATE
            updates = ceil(len(entries) / UPDATE_BATCH_SIZE)
            self.env.invalidate_all()
            with self.assertQueryCount(REPRICING_QUERIES + updates):
                card.after_hours_factor = 1.75  # flushed by assertQueryCount
            traces = "\n".join(entries.mapped("breakfix_pricing_trace"))
            self.assertIn("after hours ×1.75", traces)
            self.assertNotIn("after hours ×1.5", traces)
            # the stored amounts add up to the ticket's labour
            self.assertAlmostEqual(
                sum(entries.mapped("breakfix_amount")),
                ticket.breakfix_labour_amount,
                places=2,
            )
