# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What drafting tells people: a note on each ticket drafted, a summary to
whoever clicked (drafted; skipped and why; nothing to invoice), a message to
whoever closed the ticket, and never an empty invoice screen."""

import json

from odoo.tests import tagged

from .common import brussels
from .test_invoicing import BreakfixDraftingCommon


@tagged("post_install", "-at_install")
class TestDraftingFeedback(BreakfixDraftingCommon):
    def _worked_ticket(self, hours=1.0, **values):
        ticket = self._create_ticket(**values)
        if hours:
            # Tuesday 10:00 at 100.00/h
            self._log_time(ticket, brussels(17, 10), hours)
        return ticket

    def test_each_drafted_ticket_notes_its_invoice(self):
        ticket = self._worked_ticket(hours=1.5)
        invoice = self._draft(ticket)
        note = ticket.message_ids[:1]
        self.assertEqual(note.message_type, "notification")
        self.assertEqual(note.author_id, self.manager.partner_id)
        self.assertIn("Invoice drafted: ", str(note.body))
        self.assertIn(f'data-oe-id="{invoice.id}"', str(note.body))
        self.assertIn("150.00 untaxed, for finance to confirm.", str(note.body))

    def test_summary_of_a_batch(self):
        first = self._worked_ticket(name="First")
        second = self._worked_ticket(hours=0.5, name="Second")
        no_customer = self._worked_ticket(name="Anonymous", partner_id=False)
        nothing = self._worked_ticket(hours=0.0, name="Nothing")
        tickets = first | second | no_customer | nothing

        action = tickets.with_user(self.manager).action_breakfix_create_invoice()

        invoices = self._action_invoices(action)
        self.assertEqual(invoices.mapped("amount_untaxed"), [100.0, 50.0])
        params = action["params"]
        self.assertEqual(
            params["message"],
            f"2 invoice(s) drafted, for finance to confirm: {first.number}, "
            f"{second.number}. Not drafted: %s: Ticket {no_customer.number} has "
            f"no customer. Nothing to invoice on {nothing.number}: its work is "
            "drafted already, or not billable.",
        )
        self.assertEqual(
            params["links"],
            [
                {
                    "label": no_customer.number,
                    "url": f"/odoo/helpdesk.ticket/{no_customer.id}",
                }
            ],
        )
        self.assertEqual((params["type"], params["sticky"]), ("warning", True))
        self.assertEqual(params["next"]["res_model"], "account.move")

    def test_all_drafted_is_a_success(self):
        ticket = self._worked_ticket()
        action = ticket.with_user(self.manager).action_breakfix_create_invoice()
        params = action["params"]
        self.assertEqual(
            params["message"],
            f"1 invoice(s) drafted, for finance to confirm: {ticket.number}.",
        )
        self.assertEqual((params["type"], params["sticky"]), ("success", False))
        # one invoice: its form follows
        self.assertEqual(
            (params["next"]["res_id"], params["next"]["views"]),
            (ticket.sudo().breakfix_invoice_ids.id, [(False, "form")]),
        )

    def test_nothing_to_invoice_is_a_message_not_an_empty_screen(self):
        ticket = self._worked_ticket()
        self._draft(ticket)
        action = ticket.with_user(self.manager).action_breakfix_create_invoice()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            action["params"]["message"],
            f"Nothing to invoice on {ticket.number}: its work is drafted already, "
            "or not billable.",
        )
        # back to the ticket, reloaded: no empty invoice list
        self.assertEqual(
            action["params"]["next"], {"type": "ir.actions.act_window_close"}
        )

    def test_closing_tells_the_closer(self):
        ticket = self._worked_ticket()
        ticket.with_user(self.tech).stage_id = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_done"
        )
        notifications = [
            (json.loads(values["channel"]), message["payload"])
            for values in self.env.cr.precommit.data.get("bus.bus.values", [])
            if (message := json.loads(values["message"]))["type"]
            == "simple_notification"
        ]
        # to the technician who closed it (a user's channel is their partner)
        self.assertEqual(
            notifications,
            [
                (
                    [self.env.cr.dbname, "res.partner", self.tech.partner_id.id],
                    {
                        "title": "Break/fix invoicing",
                        "message": f"1 invoice(s) drafted, for finance to "
                        f"confirm: {ticket.number}.",
                        "type": "success",
                        "sticky": False,
                    },
                )
            ],
        )
        # and the ticket notes the draft
        self.assertIn("Invoice drafted: ", str(ticket.message_ids[:1].body))
