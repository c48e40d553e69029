# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Work given free on the invoice (SPEC §12): when the team says so, the
non-billable time and parts of a billable ticket appear at 0.00 with their
value; the invoice total does not change."""

from odoo.tests import tagged

from .common import brussels
from .test_prepaid_invoicing import BreakfixPrepaidCommon


@tagged("post_install", "-at_install")
class TestNoChargeLines(BreakfixPrepaidCommon):
    """Remote support at 90.00/h."""

    def _ticket_with_free_work(self):
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 9), 1.0)
        free = self._log_time(ticket, brussels(17, 10), 1.0)
        free.with_user(self.manager).breakfix_billable = False
        ram = self._add_part(ticket, self.product_ram)
        ram.with_user(self.manager).billable = False
        return ticket, free, ram

    def test_free_work_on_the_invoice_at_zero_with_its_value(self):
        self.team.breakfix_invoice_show_no_charge = True
        ticket, free, ram = self._ticket_with_free_work()

        invoice = self._draft(ticket)

        self.assertEqual(
            self._line_table(invoice),
            [
                (
                    "Test remote\n2026-11-17 · T. Tech · Test remote · 1.00 h",
                    1.0,
                    90.0,
                    90.0,
                ),
                (
                    (
                        "Test remote\n2026-11-17 · T. Tech · Test remote · 1.00 h · "
                        "no charge, value 90.00"
                    ),
                    1.0,
                    0.0,
                    0.0,
                ),
                ("Test RAM 16 GB · no charge, value 45.00", 1.0, 0.0, 0.0),
            ],
        )
        # the total is the charged work's
        self.assertEqual(invoice.amount_untaxed, 90.0)
        self.assertEqual(free.breakfix_invoice_line_ids.move_id, invoice)
        self.assertEqual(ram.invoice_line_id.move_id, invoice)
        # shown once: nothing left to draft
        self.assertFalse(self._draft(ticket))

    def test_without_the_setting_free_work_stays_off_the_invoice(self):
        ticket, free, ram = self._ticket_with_free_work()
        invoice = self._draft(ticket)
        self.assertEqual(len(invoice.invoice_line_ids), 1)
        self.assertEqual(invoice.amount_untaxed, 90.0)
        self.assertFalse(free.breakfix_invoice_line_ids)
        self.assertFalse(ram.invoice_line_id)

    def test_free_work_alone_drafts_no_invoice(self):
        self.team.breakfix_invoice_show_no_charge = True
        ticket = self._create_ticket()
        free = self._log_time(ticket, brussels(17, 10), 1.0)
        free.with_user(self.manager).breakfix_billable = False
        self.assertFalse(self._draft(ticket))
