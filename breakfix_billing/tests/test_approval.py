# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's consent (SPEC §11), inside Odoo: asking, the answer
recorded, the technicians warned, the purchase order on the invoices."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import SIGNATURE_PNG, brussels
from .test_estimate import BreakfixEstimateCommon

NBSP = "\N{NO-BREAK SPACE}"


class BreakfixApprovalCommon(BreakfixEstimateCommon):
    """Remote support at 100.00/h in business hours; the customer's
    contact Chris has an email address."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.email = "chris@example.com"

    def _ask(self, ticket, user=None, amount=None, reason=None):
        """Ask the customer as ``user`` (the technician) with the wizard the
        button opens; return the wizard's form as it was sent."""
        action = ticket.with_user(user or self.tech).action_breakfix_request_approval()
        self.assertEqual(action["res_model"], "breakfix.approval.request")
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(user or self.tech)
            .with_context(**action["context"])
        )
        if amount is not None:
            wizard_form.amount = amount
        if reason is not None:
            wizard_form.reason = reason
        wizard = wizard_form.save()
        wizard.action_send()
        return wizard


@tagged("post_install", "-at_install")
class TestApproval(BreakfixApprovalCommon):
    def test_technician_asks_to_approve_the_estimate(self):
        ticket = self._estimated_ticket(500.0)
        wizard = self._ask(ticket)
        self.assertEqual(wizard.amount, 500.0)
        self.assertFalse(wizard.needs_new_amount)
        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_approval_state": "requested",
                    "breakfix_approval_amount": 500.0,
                    "breakfix_approval_reason": False,
                }
            ],
        )
        # the customer's contact is emailed the link to the ticket's page
        message = ticket.message_ids.filtered(
            lambda message: message.message_type == "comment"
        )[:1]
        self.assertEqual(message.author_id, self.tech.partner_id)
        self.assertIn(self.contact, message.partner_ids)
        # a note: the followers do not get the link and its access token
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(
            message.subject, f"{ticket.number}: please approve ${NBSP}500.00"
        )
        self.assertIn(
            f"/my/ticket/{ticket.id}?access_token={ticket.sudo().access_token}",
            str(message.body),
        )

    def test_a_new_amount_once_the_work_reached_the_estimate_needs_a_reason(self):
        ticket = self._estimated_ticket(150.0)
        self._log_time(ticket, brussels(17, 10), 2.0)  # 200.00
        self.assertEqual(ticket.breakfix_estimate_state, "exceeded")
        action = ticket.with_user(self.tech).action_breakfix_request_approval()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.tech)
            .with_context(**action["context"])
        )
        self.assertTrue(wizard_form.needs_new_amount)
        wizard_form.amount = 300.0
        wizard_form.reason = "  "
        wizard = wizard_form.save()
        with self.assertRaisesRegex(UserError, "say why it needs the new amount"):
            wizard.action_send()
        self.assertEqual(ticket.breakfix_approval_state, "none")
        wizard.reason = "The disk must be replaced: 1 more hour."
        wizard.action_send()
        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_approval_state": "requested",
                    "breakfix_approval_amount": 300.0,
                    "breakfix_approval_reason": (
                        "The disk must be replaced: 1 more hour."
                    ),
                }
            ],
        )

    def test_bad_amounts_and_no_email_are_refused(self):
        ticket = self._estimated_ticket(500.0)
        for amount in (0.0, -10.0, 2e9):
            with self.subTest(amount=amount), self.assertRaises(UserError):
                self._ask(ticket, amount=amount)
        self.contact.email = False
        with self.assertRaisesRegex(UserError, "has no email address"):
            self._ask(ticket)
        self.assertEqual(ticket.breakfix_approval_state, "none")

    def test_only_staff_ask(self):
        ticket = self._estimated_ticket(500.0)
        with self.assertRaises(AccessError):
            ticket.with_user(self.finance).action_breakfix_request_approval()

    def test_approval_raises_the_estimate_and_the_po_goes_on_the_invoice(self):
        ticket = self._estimated_ticket(150.0)
        self._log_time(ticket, brussels(17, 10), 2.0)  # 200.00, capped at 150.00
        self._ask(ticket, amount=250.0, reason="One more hour.")
        ticket._breakfix_approve(
            "Chris Contact", SIGNATURE_PNG, po="PO-4711", ip="192.0.2.7"
        )
        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_approval_state": "approved",
                    "breakfix_approval_signed_by": "Chris Contact",
                    "breakfix_approval_ip": "192.0.2.7",
                    "breakfix_estimate_amount": 250.0,
                    "breakfix_customer_po": "PO-4711",
                    # 200.00 of 250.00
                    "breakfix_estimate_state": "warning",
                }
            ],
        )
        self.assertTrue(ticket.breakfix_approval_signature)
        self.assertTrue(ticket.breakfix_approval_date)
        # the estimate is now 250.00: the 200.00 of work is invoiced in full
        invoice = self._draft(ticket)
        self.assertEqual(invoice.amount_untaxed, 200.0)
        self.assertEqual(invoice.ref, f"{ticket.number} · Server down · PO PO-4711")
        # a second answer is refused
        with self.assertRaises(AccessError):
            ticket._breakfix_decline("Too late.")

    def test_declined_warns_whoever_logs_time(self):
        ticket = self._estimated_ticket(500.0)
        self._ask(ticket)
        ticket._breakfix_decline("Too expensive: we buy a new printer.")
        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_approval_state": "declined",
                    "breakfix_approval_decline_reason": (
                        "Too expensive: we buy a new printer."
                    ),
                }
            ],
        )
        warning = (
            "The customer declined this ticket's amount: Too expensive: we buy a "
            "new printer. Check with a billing manager before logging more time."
        )
        self.assertEqual(ticket.with_user(self.tech).breakfix_approval_warning, warning)
        ticket_form = Form(ticket.with_user(self.tech).with_context(uid=self.tech.id))
        with (
            self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs,
            ticket_form.timesheet_ids.new() as entry,
        ):
            entry.date_time = brussels(17, 13)
            entry.employee_id = self.tech_employee
            entry.name = "More work"
            entry.unit_amount = 1.0
            entry.breakfix_work_type_id = self.work_type_remote
        self.assertIn(
            f"WARNING:odoo.tests.form.onchange:Customer approval {warning}", logs.output
        )
        self.assertEqual(ticket_form.breakfix_approval_warning, warning)
        self.assertIn(
            "The customer declined $&nbsp;500.00: Too expensive",
            str(ticket.message_ids[0].body),
        )

    def test_work_past_the_approved_amount_warns(self):
        ticket = self._estimated_ticket(500.0)
        self._ask(ticket, amount=100.0)
        ticket._breakfix_approve("Chris Contact", SIGNATURE_PNG)
        self.assertFalse(ticket.breakfix_approval_warning)
        self._log_time(ticket, brussels(17, 10), 1.5)  # 150.00
        self.assertEqual(
            ticket.breakfix_approval_warning,
            f"The work (${NBSP}150.00) is past what the customer approved "
            f"(${NBSP}100.00): ask the customer to approve a new amount.",
        )
