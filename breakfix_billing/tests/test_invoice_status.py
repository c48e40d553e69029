# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
""" "Invoiced" means posted: a ticket tells work to invoice, drafted (waiting
for finance) and invoiced (posted) apart, in its status and amounts."""

from odoo.tests import Form, tagged

from .common import brussels
from .test_invoicing import BreakfixDraftingCommon


@tagged("post_install", "-at_install")
class TestInvoiceStatus(BreakfixDraftingCommon):
    def assertStatus(self, ticket, status, drafted, invoiced, to_invoice):
        self.assertEqual(ticket.breakfix_invoice_status, status)
        self.assertAmounts(
            ticket,
            {
                "breakfix_amount_drafted": drafted,
                "breakfix_amount_invoiced": invoiced,
                "breakfix_amount_to_invoice": to_invoice,
            },
        )

    def test_to_invoice_drafted_invoiced(self):
        ticket = self._create_ticket()
        self.assertStatus(ticket, "nothing", 0.0, 0.0, 0.0)
        # Tuesday 10:00, 1.00 h × 100.00
        self._log_time(ticket, brussels(17, 10), 1.0)
        self.assertStatus(ticket, "to_invoice", 0.0, 0.0, 100.0)

        first = self._draft(ticket)
        self.assertStatus(ticket, "drafted", 100.0, 0.0, 0.0)

        first.with_user(self.finance).action_post()
        self.assertStatus(ticket, "invoiced", 0.0, 100.0, 0.0)

        # Wednesday 10:00, 0.50 h more: a supplementary draft of 50.00
        self._log_time(ticket, brussels(18, 10), 0.5)
        self.assertStatus(ticket, "to_invoice", 0.0, 100.0, 50.0)
        second = self._draft(ticket)
        self.assertStatus(ticket, "drafted", 50.0, 100.0, 0.0)

        # cancelling the draft gives its work back to invoice
        second.with_user(self.finance).button_cancel()
        self.assertStatus(ticket, "to_invoice", 0.0, 100.0, 50.0)

    def test_credit_note_is_posted_less_invoiced(self):
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 10), 1.0)
        invoice = self._draft(ticket)
        invoice.with_user(self.finance).action_post()
        invoice.with_user(self.finance)._reverse_moves()
        # a draft credit note: still invoiced until finance posts it
        self.assertStatus(ticket, "invoiced", -100.0, 100.0, 0.0)
        invoice.reversal_move_ids.with_user(self.finance).action_post()
        self.assertStatus(ticket, "invoiced", 0.0, 0.0, 0.0)

    def test_status_labels(self):
        labels = dict(
            self.env["helpdesk.ticket"]
            ._fields["breakfix_invoice_status"]
            ._description_selection(self.env)
        )
        self.assertEqual(
            labels,
            {
                "nothing": "Nothing to invoice",
                "to_invoice": "To invoice",
                "drafted": "Drafted",
                "invoiced": "Invoiced",
            },
        )

    def test_ticket_list_filters_by_status(self):
        to_invoice, drafted, posted = (
            self._create_ticket(name=name) for name in ("Open", "Drafted", "Posted")
        )
        for ticket in (to_invoice, drafted, posted):
            self._log_time(ticket, brussels(17, 10), 1.0)
        self._draft(drafted)
        self._draft(posted).with_user(self.finance).action_post()
        Ticket = self.env["helpdesk.ticket"].with_user(self.manager)
        search_view = Ticket.get_views([(False, "search")])["views"]["search"]
        for name, expected in (
            ("breakfix_to_invoice", to_invoice),
            ("breakfix_drafted", drafted),
            ("breakfix_invoiced", posted),
        ):
            self.assertIn(f'name="{name}"', search_view["arch"])
            found = Ticket.search(
                [
                    ("id", "in", (to_invoice | drafted | posted).ids),
                    ("breakfix_invoice_status", "=", name.removeprefix("breakfix_")),
                ]
            )
            self.assertEqual(found, expected)
        # the list shows the billing columns
        list_arch = Ticket.get_views([(False, "list")])["views"]["list"]["arch"]
        for fname in (
            "breakfix_invoice_status",
            "breakfix_amount_to_invoice",
            "breakfix_amount_drafted",
            "breakfix_amount_invoiced",
        ):
            self.assertIn(f'name="{fname}"', list_arch)

    def test_form_shows_drafted_not_invoiced(self):
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 10), 1.0)
        self._draft(ticket)
        form = Form(ticket.with_user(self.tech))
        self.assertEqual(form.breakfix_invoice_status, "drafted")
        self.assertEqual(form.breakfix_amount_drafted, 100.0)
        self.assertEqual(form.breakfix_amount_invoiced, 0.0)
