# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

import freezegun

from odoo.tests import tagged

from .common import BreakfixInvoicingCommon, brussels

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestMonthlyQueryCount(BreakfixInvoicingCommon):
    """A monthly customer's invoice of 200 tickets of 10 lines each issues
    no query per ticket: 104 queries for 20 tickets (220 invoice lines), 188
    for 200 (2,200 lines). The 84 more are all Odoo's own chunks of the
    lines: an INSERT and an UPDATE per 100 rows, a read per 1,000 records, the
    analytic distribution models per 1,000 lines; a query per ticket would
    be 180 more."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(freezegun.freeze_time("2026-11-27 10:00:00"))
        cls.customer.breakfix_invoicing_mode = "monthly"
        cls.warmup_tickets = cls._create_tickets(5)
        cls.small_tickets = cls._create_tickets(20)
        cls.large_tickets = cls._create_tickets(200)

    @classmethod
    def _create_tickets(cls, count):
        """``count`` tickets of 10 lines each: six time entries of an hour
        in business hours, alternately by the technician and the manager,
        and four parts (RAM and SSD)."""
        tickets = cls.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Issue {index} of {count}",
                    "description": "<p>Broken.</p>",
                    "partner_id": cls.contact.id,
                    "team_id": cls.team.id,
                    "project_id": cls.project.id,
                }
                for index in range(count)
            ]
        )
        slots = [brussels(16 + day, hour) for day in range(3) for hour in (9, 14)]
        entries, parts = [], []
        for ticket in tickets:
            for index, slot in enumerate(slots):
                employee = (cls.tech_employee, cls.manager_employee)[index % 2]
                entries.append(
                    {
                        "ticket_id": ticket.id,
                        "project_id": cls.project.id,
                        "employee_id": employee.id,
                        "name": f"Work {index}",
                        "date_time": slot,
                        "unit_amount": 1.0,
                        "breakfix_work_type_id": cls.work_type_remote.id,
                    }
                )
            for product in (cls.product_ram, cls.product_ssd) * 2:
                parts.append({"ticket_id": ticket.id, "product_id": product.id})
        cls.env["account.analytic.line"].create(entries)
        cls.env["helpdesk.ticket.material"].create(parts)
        return tickets

    def test_one_invoice_queries_flat_in_the_tickets(self):
        self.env.invalidate_all()
        self._draft_in_one_batch(self.warmup_tickets)  # warm the caches (xmlids, rules)
        counts = {}
        for tickets in (self.small_tickets, self.large_tickets):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            invoice = self._draft_in_one_batch(tickets)
            counts[len(tickets)] = self.cr.sql_log_count - start
            self.assertEqual(len(invoice), 1)
            # a section and 10 lines per ticket
            self.assertEqual(len(invoice.invoice_line_ids), 11 * len(tickets))
            # a ticket: 3 h at 100.00 by the technician and 3 h at the
            # manager's 130.00, 2 RAM at 45.00 and 2 SSD at 150.00: 1,080.00
            self.assertEqual(invoice.amount_untaxed, 1080.0 * len(tickets))
        _logger.info(
            "monthly invoice queries: %s for 20 tickets, %s for 200", *counts.values()
        )
        self.assertLess(counts[200] - counts[20], (200 - 20) / 2, counts)
