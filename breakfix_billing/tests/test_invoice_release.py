# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What gives drafted work back to invoice again: a cancelled or deleted
draft, a credit note once released."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_invoicing import BreakfixDraftingCommon


@tagged("post_install", "-at_install")
class TestInvoiceRelease(BreakfixDraftingCommon):
    def test_cancelled_invoice_is_drafted_again_once(self):
        ticket, monday, tuesday, parts = self._create_full_ticket()
        invoice = self._draft(ticket)
        table = self._line_table(invoice)

        invoice.with_user(self.finance).button_cancel()

        self.assertEqual(invoice.state, "cancel")
        self.assertFalse((monday | tuesday).breakfix_invoice_line_ids)
        self.assertFalse(parts.invoice_line_id)
        self.assertEqual(ticket.breakfix_invoice_status, "to_invoice")
        self.assertFalse(ticket.breakfix_invoice_ids)
        self.assertAmounts(
            ticket,
            {"breakfix_amount_drafted": 0.0, "breakfix_amount_to_invoice": 795.0},
        )
        # a cancelled invoice stays cancelled: its work is drafted anew
        with self.assertRaisesRegex(UserError, "was cancelled and its work released"):
            invoice.with_user(self.finance).button_draft()

        again = self._draft(ticket)

        self.assertEqual(len(again), 1)
        self.assertNotEqual(again, invoice)
        self.assertEqual(self._line_table(again), table)
        self.assertEqual(ticket.breakfix_invoice_status, "drafted")
        self.assertEqual(ticket.breakfix_amount_drafted, 795.0)
        self.assertFalse(self._draft(ticket))

    def test_deleted_draft_invoice_releases_its_work(self):
        ticket, monday, tuesday, parts = self._create_full_ticket()
        invoice = self._draft(ticket)
        table = self._line_table(invoice)

        invoice.with_user(self.finance).unlink()

        self.assertFalse((monday | tuesday).breakfix_invoice_line_ids)
        self.assertFalse(parts.invoice_line_id)
        self.assertEqual(ticket.breakfix_invoice_status, "to_invoice")
        self.assertAmounts(
            ticket,
            {"breakfix_amount_drafted": 0.0, "breakfix_amount_to_invoice": 795.0},
        )
        again = self._draft(ticket)
        self.assertEqual(self._line_table(again), table)
        self.assertFalse(self._draft(ticket))

    def test_credit_note_keeps_the_work_invoiced_until_released(self):
        ticket, monday, tuesday, parts = self._create_full_ticket()
        invoice = self._draft(ticket)
        table = self._line_table(invoice)
        invoice.with_user(self.finance).action_post()
        # not credited yet: nothing to release
        self.assertFalse(invoice.breakfix_can_release)
        with self.assertRaisesRegex(UserError, "fully reversed by a credit note"):
            invoice.with_user(self.billing_finance).action_breakfix_release()

        invoice.with_user(self.finance)._reverse_moves(cancel=True)

        self.assertEqual(invoice.payment_state, "reversed")
        self.assertTrue(invoice.breakfix_can_release)
        credit_note = invoice.reversal_move_ids
        self.assertFalse(credit_note.breakfix_can_release)
        self.assertEqual(credit_note.amount_untaxed, 795.0)
        self.assertEqual(credit_note.invoice_line_ids.breakfix_ticket_id, ticket)
        # the charge is settled, not released: drafting drafts nothing
        self.assertTrue(monday.breakfix_invoice_line_ids)
        self.assertTrue(parts.invoice_line_id)
        self.assertEqual(ticket.breakfix_invoice_status, "invoiced")
        self.assertFalse(self._draft(ticket))
        self.assertEqual(ticket.breakfix_invoice_ids, invoice | credit_note)
        # 795.00 invoiced less 795.00 credited
        self.assertAmounts(
            ticket,
            {"breakfix_amount_invoiced": 0.0, "breakfix_amount_to_invoice": 0.0},
        )
        # neither finance nor a technician may release it
        for user in (self.finance, self.tech):
            with self.assertRaisesRegex(UserError, "Only break/fix billing managers"):
                invoice.with_user(user).action_breakfix_release()
        self.assertFalse(self._draft(ticket))

        invoice.with_user(self.billing_finance).action_breakfix_release()

        self.assertFalse((monday | tuesday).breakfix_invoice_line_ids)
        self.assertFalse(parts.invoice_line_id)
        self.assertTrue(all(invoice.invoice_line_ids.mapped("breakfix_released")))
        # released: the button is gone, and a second release is refused
        self.assertFalse(invoice.breakfix_can_release)
        messages = ticket.message_ids
        with self.assertRaises(UserError) as catcher:
            invoice.with_user(self.billing_finance).action_breakfix_release()
        self.assertEqual(
            str(catcher.exception),
            f"{invoice.display_name} has no tickets' work left to release: it was "
            "released already.",
        )
        self.assertEqual(ticket.message_ids, messages)
        self.assertIn(
            "was released for re-invoicing by Bianca Billing",
            str(ticket.message_ids[:1].body),
        )
        self.assertEqual(ticket.breakfix_invoice_status, "to_invoice")
        # all of it again, the call-out fee, minimum charge and trip included
        self.assertEqual(ticket.breakfix_amount_to_invoice, 795.0)
        again = self._draft(ticket)
        self.assertEqual(self._line_table(again), table)
        # posted: 795.00 less 795.00 credited; the new draft: 795.00
        self.assertAmounts(
            ticket,
            {"breakfix_amount_invoiced": 0.0, "breakfix_amount_drafted": 795.0},
        )
        self.assertEqual(ticket.breakfix_invoice_status, "drafted")
        self.assertFalse(self._draft(ticket))
