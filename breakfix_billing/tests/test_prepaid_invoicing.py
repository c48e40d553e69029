# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Drafting draws the customer's prepaid blocks down (SPEC §9): the
examples, exact to the cent, on real invoices; cancelling gives the draw
back, a credit note does not, a billing manager's release does."""

from datetime import date

from odoo.tests import Form, tagged

from .common import brussels
from .test_invoicing import BreakfixDraftingCommon


class BreakfixPrepaidCommon(BreakfixDraftingCommon):
    """Drafts of "Brussels rates" tickets with prepaid blocks: remote
    support at 90.00/h, the SPEC's examples."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the SPEC's examples: remote at 90.00/h, weekdays 8-17, weekend ×2.0
        cls.card.line_ids.filtered(
            lambda line: (
                line.work_type_id == cls.work_type_remote and not line.employee_id
            )
        ).hourly_rate = 90.0


@tagged("post_install", "-at_install")
class TestPrepaidInvoicing(BreakfixPrepaidCommon):
    def _drafted(self, ticket):
        invoice = self._draft(ticket)
        self.assertEqual(len(invoice), 1)
        return invoice

    def test_hours_block_spec_examples(self):
        block = self._block()
        # Tuesday 13:00, 3 h of business hours: 270.00, all of it prepaid
        tuesday = self._create_ticket(name="Tuesday")
        self._log_time(tuesday, brussels(17, 13), 3.0)
        first = self._drafted(tuesday)
        self.assertEqual(
            self._line_table(first)[-1],
            (
                "Prepaid: Support block · 3.00 h applied, 7.00 h left",
                1.0,
                -270.0,
                -270.0,
            ),
        )
        self.assertEqual((first.amount_untaxed, first.amount_total), (0.0, 0.0))
        self.assertEqual(block.balance, 7.0)
        first.with_user(self.finance).action_post()

        # Saturday 10:00, 2 h at the weekend ×2.0: 360.00, 4.00 h drawn
        saturday = self._create_ticket(name="Saturday")
        self._log_time(saturday, brussels(21, 10), 2.0)
        second = self._drafted(saturday)
        self.assertEqual(
            self._line_table(second)[-1],
            (
                "Prepaid: Support block · 4.00 h applied, 3.00 h left",
                1.0,
                -360.0,
                -360.0,
            ),
        )
        self.assertEqual((second.amount_untaxed, second.amount_total), (0.0, 0.0))
        self.assertEqual(block.balance, 3.0)

        # Wednesday, 4 h and 1 h of business hours: 450.00, the last 3.00 h
        # drawn (270.00), 180.00 to pay, and the block is used up
        wednesday = self._create_ticket(name="Wednesday")
        self._log_time(wednesday, brussels(25, 8), 4.0)
        self._log_time(wednesday, brussels(25, 13), 1.0)
        third = self._drafted(wednesday)
        self.assertEqual(
            self._line_table(third)[-1],
            (
                "Prepaid: Support block · 3.00 h applied, 0.00 h left",
                1.0,
                -270.0,
                -270.0,
            ),
        )
        self.assertEqual(third.amount_untaxed, 180.0)
        # 21 % on 450.00 less 21 % on 270.00
        self.assertEqual(third.amount_total, 217.8)
        self.assertRecordValues(
            block, [{"consumed": 10.0, "balance": 0.0, "state": "used"}]
        )
        # every draw is a usage row, linked to its invoice line once
        self.assertEqual(
            [
                (usage.ticket_id, usage.quantity, usage.amount)
                for usage in block.usage_ids.sorted("id")
            ],
            [(tuesday, 3.0, 270.0), (saturday, 4.0, 360.0), (wednesday, 3.0, 270.0)],
        )
        self.assertEqual(
            block.usage_ids.invoice_line_id.move_id, first | second | third
        )

    def test_a_supplementary_invoice_draws_the_rest(self):
        block = self._block()
        ticket = self._create_ticket(name="Server room")
        # Tuesday 08:00, 4 h of business hours: 360.00, all of it prepaid
        self._log_time(ticket, brussels(17, 8), 4.0)
        first = self._drafted(ticket)
        self.assertEqual(
            self._line_table(first)[-1],
            (
                "Prepaid: Support block · 4.00 h applied, 6.00 h left",
                1.0,
                -360.0,
                -360.0,
            ),
        )
        self.assertEqual(first.amount_total, 0.0)
        first.with_user(self.finance).action_post()

        # Thursday, 8 more hours on the same ticket: 720.00, of which the
        # last 6.00 h are prepaid (540.00); 180.00 to pay
        self._log_time(ticket, brussels(19, 8), 4.0)
        self._log_time(ticket, brussels(19, 13), 4.0)
        supplementary = self._drafted(ticket)
        self.assertNotEqual(supplementary, first)
        self.assertEqual(
            self._line_table(supplementary)[-1],
            (
                "Prepaid: Support block · 6.00 h applied, 0.00 h left",
                1.0,
                -540.0,
                -540.0,
            ),
        )
        self.assertEqual(
            (supplementary.amount_untaxed, supplementary.amount_total), (180.0, 217.8)
        )
        self.assertRecordValues(
            block, [{"consumed": 10.0, "balance": 0.0, "state": "used"}]
        )
        self.assertEqual(
            [
                (usage.invoice_id, usage.quantity, usage.amount)
                for usage in block.usage_ids.sorted("id")
            ],
            [(first, 4.0, 360.0), (supplementary, 6.0, 540.0)],
        )
        self.assertEqual(ticket.breakfix_invoice_ids, first | supplementary)

    def test_billing_tab_shows_the_balance_and_the_draw(self):
        self._block()
        ticket = self._create_ticket()
        # Tuesday 13:00, 3 h: 270.00, all of it the block's
        self._log_time(ticket, brussels(17, 13), 3.0)
        form = Form(ticket.with_user(self.tech))
        self.assertEqual(form.breakfix_amount_to_invoice, 270.0)
        self.assertEqual(form.breakfix_prepaid_draw, 270.0)
        self.assertEqual(form.breakfix_prepaid_balance, "Support block: 10.00 h left")
        self._drafted(ticket)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.breakfix_prepaid_draw, 0.0)
        self.assertEqual(ticket.breakfix_prepaid_balance, "Support block: 7.00 h left")

    def test_money_block_pays_the_fees(self):
        block = self._block(
            name="Money block", unit="money", quantity=1000.0, covers_fees=True
        )
        # an emergency: the 75.00 call-out and Tuesday 10:00, 2 h × 90.00
        ticket = self._create_ticket(breakfix_emergency=True)
        self._log_time(ticket, brussels(17, 10), 2.0)
        invoice = self._drafted(ticket)
        self.assertEqual(
            self._line_table(invoice)[-1],
            ("Prepaid: Money block · 255.00 applied, 745.00 left", 1.0, -255.0, -255.0),
        )
        self.assertEqual((invoice.amount_untaxed, invoice.amount_total), (0.0, 0.0))
        self.assertEqual(block.balance, 745.0)

    def test_blocks_not_usable_are_not_drawn(self):
        unposted = self._block(post=False, name="Not paid yet")
        expired = self._block(name="Expired", date_to=date(2026, 11, 10))
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 13), 1.0)
        invoice = self._drafted(ticket)
        self.assertEqual(invoice.amount_untaxed, 90.0)
        self.assertFalse(unposted.usage_ids | expired.usage_ids)

    def test_block_in_another_currency_is_skipped_with_a_message(self):
        eur = self._euro_at(0.9)
        block = self._block(name="Euro block", currency_id=eur.id)
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 13), 1.0)
        invoice = self._drafted(ticket)
        self.assertEqual(invoice.amount_untaxed, 90.0)
        self.assertFalse(block.usage_ids)
        self.assertIn(
            "Prepaid block “Euro block” not drawn: the invoice is in USD, the "
            "block in another currency.",
            "\n".join(str(message.body) for message in ticket.message_ids),
        )

    def test_cancel_gives_back_credit_note_does_not_release_does(self):
        block = self._block(quantity=2.0)
        ticket = self._create_ticket()
        # Tuesday 13:00, 3 h: 2.00 h prepaid, 90.00 to pay
        self._log_time(ticket, brussels(17, 13), 3.0)
        invoice = self._drafted(ticket)
        self.assertEqual(invoice.amount_untaxed, 90.0)
        self.assertRecordValues(block, [{"balance": 0.0, "state": "used"}])
        invoice.with_user(self.finance).button_cancel()
        self.assertRecordValues(block, [{"balance": 2.0, "state": "active"}])
        self.assertFalse(block.usage_ids)

        again = self._drafted(ticket)
        self.assertEqual(block.balance, 0.0)
        again.with_user(self.finance).action_post()
        again.with_user(self.finance)._reverse_moves(cancel=True)
        # the credit note settles the work: the draw stays
        self.assertEqual(block.balance, 0.0)
        again.with_user(self.billing_finance).action_breakfix_release()
        self.assertEqual(block.balance, 2.0)
        # drafted again, it draws again, once
        self._drafted(ticket)
        self.assertEqual(block.balance, 0.0)
        self.assertEqual(len(block.usage_ids), 1)
