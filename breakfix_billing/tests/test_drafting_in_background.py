# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A click on Draft for more tickets than one web request may draft (SPEC
§14) runs in the background: it answers at once, the cron drafts a batch
per call, and the requester is told when it ends."""

from odoo.tests import tagged

from .common import brussels
from .test_prepaid_invoicing import BreakfixPrepaidCommon

CRON_XMLID = "breakfix_billing.ir_cron_breakfix_drafting_requests"


class BreakfixBackgroundCommon(BreakfixPrepaidCommon):
    """Remote support at 90.00/h; a click drafts 3 tickets at most."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param(
            "breakfix_billing.breakfix_inline_limit", "3"
        )
        cls.env["breakfix.drafting.request"].search([]).state = "done"

    def _tickets(self, count, partner=None):
        tickets = self.env["helpdesk.ticket"]
        for index in range(count):
            ticket = self._create_ticket(
                name=f"Issue {index}", **({"partner_id": partner.id} if partner else {})
            )
            self._log_time(ticket, brussels(16, 9 + index % 3), 1.0)
            tickets |= ticket
        return tickets

    def _click_in_the_background(self, tickets):
        """A billing manager's click on Draft for ``tickets``, more than a
        click drafts: it says so, drafts nothing yet; the request."""
        action = tickets.with_user(self.manager).action_breakfix_create_invoice()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            action["params"]["message"],
            f"Drafting the invoices of {len(tickets)} tickets in the background: "
            "you will be told when it is done.",
        )
        self.assertFalse(tickets.breakfix_invoice_ids)
        request = self.env["breakfix.drafting.request"].search(
            [("state", "=", "pending")]
        )
        self.assertRecordValues(
            request, [{"user_id": self.manager.id, "ticket_ids": tickets.ids}]
        )
        return request

    def assertSummarySent(self, request, drafted):
        """The requester has the summary in their inbox."""
        summary = request.message_ids[0]
        self.assertIn(self.manager.partner_id, summary.partner_ids)
        self.assertIn(
            f"{drafted} invoice(s) drafted, for finance to confirm", str(summary.body)
        )


@tagged("post_install", "-at_install")
class TestDraftingInBackground(BreakfixBackgroundCommon):
    """The cron drafts a request's batches, a call each."""

    _breakfix_tests_batches_a_call = True

    def _run_cron_once(self, batch_size):
        return self._run_cron_call(
            CRON_XMLID,
            "breakfix.drafting.request",
            "_cron_breakfix_draft_requests",
            batch_size=batch_size,
        )

    def test_a_large_click_drafts_in_the_background_and_tells_the_requester(self):
        tickets = self._tickets(5)
        request = self._click_in_the_background(tickets)
        self.assertTrue(
            self.env["ir.cron.trigger"].search(
                [("cron_id", "=", self.env.ref(CRON_XMLID).id)]
            )
        )

        self.assertEqual(self._run_cron_once(batch_size=2), (2, 3))
        self.assertEqual(self._run_cron_once(batch_size=2), (2, 1))
        self.assertEqual(request.state, "pending")
        self.assertEqual(self._run_cron_once(batch_size=2), (1, 0))

        self.assertEqual(request.state, "done")
        self.assertEqual(len(request.invoice_ids), 5)
        for ticket in tickets:
            self.assertEqual(len(ticket.breakfix_invoice_ids), 1)
            self.assertEqual(ticket.breakfix_invoice_ids.amount_untaxed, 90.0)
        self.assertSummarySent(request, 5)
        self.assertEqual(self._run_cron_once(batch_size=2), (0, 0))

    def test_skipped_tickets_say_why_in_the_summary(self):
        tickets = self._tickets(4)
        tickets[1].partner_id = False
        tickets.with_user(self.manager).action_breakfix_create_invoice()
        request = self.env["breakfix.drafting.request"].search(
            [("state", "=", "pending")]
        )
        self.assertEqual(self._run_cron_once(batch_size=10), (4, 0))
        self.assertEqual(len(request.invoice_ids), 3)
        self.assertEqual(
            request.skipped,
            {str(tickets[1].id): f"Ticket {tickets[1].number} has no customer."},
        )
        self.assertIn(
            f"{tickets[1].number}: Ticket {tickets[1].number} has no customer.",
            str(request.message_ids[0].body),
        )

    def test_a_monthly_customer_s_tickets_stay_together(self):
        self.customer.breakfix_invoicing_mode = "monthly"
        tickets = self._tickets(5)
        tickets.with_user(self.manager).action_breakfix_create_invoice()
        # one invoice group of 5: a batch of 2 takes it whole
        self.assertEqual(self._run_cron_once(batch_size=2), (5, 0))
        self.assertEqual(len(tickets.breakfix_invoice_ids), 1)
        self.assertEqual(tickets.breakfix_invoice_ids.amount_untaxed, 450.0)

    def test_a_small_click_drafts_at_once(self):
        tickets = self._tickets(3)
        invoices = self._draft(tickets)
        self.assertEqual(len(invoices), 3)
        self.assertFalse(
            self.env["breakfix.drafting.request"].search([("state", "=", "pending")])
        )

    def test_an_invoice_odoo_refuses_does_not_hold_the_request_up(self):
        other_company = self.env["res.company"].create({"name": "Other Company"})
        foreign = self.env["res.partner"].create(
            {"name": "Foreign Customer", "company_id": other_company.id}
        )
        tickets = self._tickets(4)
        tickets[2].partner_id = foreign
        tickets.with_user(self.manager).action_breakfix_create_invoice()
        request = self.env["breakfix.drafting.request"].search(
            [("state", "=", "pending")]
        )
        self.assertEqual(self._run_cron_once(batch_size=10), (4, 0))
        self.assertEqual(request.state, "done")
        self.assertEqual(len(request.invoice_ids), 3)
        self.assertEqual(list(request.skipped), [str(tickets[2].id)])
        self.assertFalse(tickets[2].breakfix_invoice_ids)
