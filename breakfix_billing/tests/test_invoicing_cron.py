# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime
from unittest.mock import patch

from odoo.tests import freeze_time, tagged

from .common import BreakfixTicketCommon, brussels

CRON_XMLID = "breakfix_billing.ir_cron_breakfix_draft_invoices"


@tagged("post_install", "-at_install")
class TestInvoicingCron(BreakfixTicketCommon):
    """The daily cron drafts the invoices of closed tickets, a batch per
    call, the way the cron runner calls it: a progress record per call,
    committed after each, called again while work remains."""

    _breakfix_tests_batches_a_call = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Closing does not draft: what is left to invoice waits for the cron.
        cls.team.breakfix_auto_invoice = False
        cls.done_stage = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.cron = cls.env.ref(CRON_XMLID)
        # "Once a day" counts the company's days: Brussels, UTC+1 in winter
        cls._set_company_zone("Europe/Brussels")
        # The cron sees the tickets of these tests only, not the database's
        # other tickets (demo data).
        cls.env["helpdesk.ticket"].search(
            [("breakfix_invoice_status", "=", "to_invoice")]
        ).active = False

    def _closed_ticket(self, hours, partner=True, **values):
        """A closed ticket with ``hours`` of remote work on Monday 2 November
        2026 from 09:00, in business hours: ``hours`` × 100.00 to invoice."""
        if not partner:
            values["partner_id"] = False
        ticket = self._create_ticket(name=f"Closed after {hours} h", **values)
        self._log_time(ticket, brussels(2, 9), hours)
        ticket.stage_id = self.done_stage
        self.assertEqual(ticket.breakfix_invoice_status, "to_invoice")
        self.assertFalse(ticket.breakfix_invoice_ids)
        return ticket

    def _closed_tickets(self, count):
        """``count`` closed tickets, the i-th (from 0) with 1 + i/4 hours."""
        return self.env["helpdesk.ticket"].union(
            *(self._closed_ticket(1.0 + 0.25 * index) for index in range(count))
        )

    def _run_cron_once(self, batch_size):
        return self._run_cron_call(
            CRON_XMLID,
            "helpdesk.ticket",
            "_cron_breakfix_draft_invoices",
            batch_size=batch_size,
        )

    def assertDraftedOnce(self, tickets):
        """Each ticket has one draft invoice that bills all its hours."""
        for ticket in tickets:
            self.assertEqual(ticket.breakfix_invoice_status, "drafted")
            self.assertEqual(len(ticket.breakfix_invoice_ids), 1, ticket.name)
            self.assertRecordValues(
                ticket.breakfix_invoice_ids,
                [
                    {
                        "state": "draft",
                        "move_type": "out_invoice",
                        "partner_id": self.customer.id,
                        "invoice_origin": ticket.number,
                        "amount_untaxed": 100.0 * ticket.timesheet_ids.unit_amount,
                    }
                ],
            )

    def test_cron_drafts_a_batch_per_call_and_reports_progress(self):
        tickets = self._closed_tickets(7)
        self.assertEqual(
            tickets.mapped("breakfix_amount_to_invoice"),
            [100.0, 125.0, 150.0, 175.0, 200.0, 225.0, 250.0],
        )
        drafted_by_call = []
        for _call in range(3):
            done_remaining = self._run_cron_once(batch_size=3)
            drafted = tickets.filtered("breakfix_invoice_ids")
            drafted_by_call.append((done_remaining, len(drafted)))
        self.assertEqual(drafted_by_call, [((3, 4), 3), ((3, 1), 6), ((1, 0), 7)])
        self.assertDraftedOnce(tickets)
        self.assertEqual(
            sum(tickets.breakfix_invoice_ids.mapped("amount_untaxed")), 1225.0
        )
        # Nothing is left: the runner would stop; another call does nothing.
        invoices = tickets.breakfix_invoice_ids
        self.assertEqual(self._run_cron_once(batch_size=3), (0, 0))
        self.assertEqual(tickets.breakfix_invoice_ids, invoices)

    def test_the_next_run_completes_an_interrupted_run_without_duplicates(self):
        """The runner commits each batch: a run that crashes in its second
        batch keeps its first one; the next run drafts the others, and the
        first batch's tickets are not drafted again."""
        tickets = self._closed_tickets(7)
        AccountMove = type(self.env["account.move"])
        create = AccountMove.create
        calls = []

        def create_then_crash(moves, vals_list):
            calls.append([vals["invoice_origin"] for vals in vals_list])
            if len(calls) == 2:
                raise ConnectionResetError("The server went away")
            return create(moves, vals_list)

        with patch.object(AccountMove, "create", create_then_crash):
            self.assertEqual(self._run_cron_once(batch_size=3), (3, 4))
            first_batch = tickets.filtered("breakfix_invoice_ids")
            first_invoices = first_batch.breakfix_invoice_ids
            self.assertEqual(first_batch, tickets[:3])
            # the runner rolls the failed call back: a savepoint here
            with (
                self.assertRaisesRegex(ConnectionResetError, "went away"),
                self.env.cr.savepoint(),
            ):
                self._run_cron_once(batch_size=3)
        self.assertEqual(
            calls, [tickets[:3].mapped("number"), tickets[3:6].mapped("number")]
        )
        self.assertEqual(tickets.filtered("breakfix_invoice_ids"), first_batch)
        self.assertFalse(tickets[3:].filtered("breakfix_last_draft_attempt"))
        # The next run
        self.assertEqual(self._run_cron_once(batch_size=3), (3, 1))
        self.assertEqual(self._run_cron_once(batch_size=3), (1, 0))
        self.assertDraftedOnce(tickets)
        self.assertEqual(first_batch.breakfix_invoice_ids, first_invoices)
        self.assertEqual(len(tickets.breakfix_invoice_ids), 7)

    def test_a_ticket_that_cannot_be_invoiced_is_tried_once_a_day(self):
        """A closed ticket without customer: the cron says why on the ticket,
        drafts the others, and tries it again the next day only."""
        with freeze_time("2026-11-24 08:00:00"):
            orphan = self._closed_ticket(1.0, partner=False)
            tickets = self._closed_tickets(2)
            self.assertLess(orphan.id, tickets[0].id)  # first in the cron's order
            self.assertEqual(orphan.breakfix_amount_to_invoice, 80.0)

            self.assertEqual(self._run_cron_once(batch_size=2), (2, 1))
            self.assertEqual(
                orphan.breakfix_last_draft_attempt, datetime(2026, 11, 24, 8, 0)
            )
            self.assertEqual(self._orphan_messages(orphan), 1)
            self.assertEqual(tickets.filtered("breakfix_invoice_ids"), tickets[0])
            self.assertEqual(self._run_cron_once(batch_size=2), (1, 0))
            self.assertDraftedOnce(tickets)
        with freeze_time("2026-11-24 22:00:00"):
            # still today: not tried again
            self.assertEqual(self._run_cron_once(batch_size=2), (0, 0))
            self.assertEqual(self._orphan_messages(orphan), 1)
            self.assertEqual(
                orphan.breakfix_last_draft_attempt, datetime(2026, 11, 24, 8, 0)
            )
        with freeze_time("2026-11-25 06:00:00"):
            # the next day: tried again, and still refused
            self.assertEqual(self._run_cron_once(batch_size=2), (1, 0))
            self.assertEqual(self._orphan_messages(orphan), 2)
            self.assertEqual(orphan.breakfix_invoice_status, "to_invoice")
            # the customer is filled in: drafted on the following day
            orphan.partner_id = self.customer
            self.assertEqual(self._run_cron_once(batch_size=2), (0, 0))
        with freeze_time("2026-11-26 06:00:00"):
            self.assertEqual(self._run_cron_once(batch_size=2), (1, 0))
        self.assertDraftedOnce(tickets)
        self.assertEqual(orphan.breakfix_invoice_status, "drafted")
        self.assertEqual(orphan.breakfix_invoice_ids.amount_untaxed, 100.0)
        self.assertEqual(self._orphan_messages(orphan), 2)

    def test_an_invoice_odoo_refuses_does_not_hold_up_its_batch(self):
        """Odoo refuses the invoice of a customer of another company, at its
        creation: the batch's other tickets are drafted all the same, and the
        refused one is told why and tried again the next day only."""
        other_company = self.env["res.company"].create({"name": "Other Company"})
        foreign_customer = self.env["res.partner"].create(
            {"name": "Foreign Customer", "company_id": other_company.id}
        )
        tickets = self._closed_tickets(3)
        refused = tickets[1]
        refused.partner_id = foreign_customer
        # 1.25 h at the company's default rate card's 80.00/h
        self.assertEqual(refused.breakfix_amount_to_invoice, 100.0)
        self.assertEqual(self._run_cron_once(batch_size=3), (3, 0))
        self.assertDraftedOnce(tickets - refused)
        self.assertFalse(refused.breakfix_invoice_ids)
        self.assertTrue(refused.breakfix_last_draft_attempt)
        self.assertTrue(
            refused.message_ids.filtered(
                lambda message: (
                    "No invoice drafted" in message.body
                    and "Incompatible companies" in message.body
                )
            )
        )
        self.assertEqual(self._run_cron_once(batch_size=3), (0, 0))

    def _refused_ticket(self):
        """A closed ticket (1.25 h, 100.00) whose invoice Odoo refuses: its
        customer belongs to another company."""
        other_company = self.env["res.company"].create({"name": "Other Company"})
        ticket = self._closed_ticket(1.25)
        ticket.partner_id = self.env["res.partner"].create(
            {"name": "Foreign Customer", "company_id": other_company.id}
        )
        return ticket

    def _cron_tries(self, ticket, moment):
        """Run the cron at ``moment`` (UTC); whether it tried ``ticket``."""
        before = ticket.breakfix_last_draft_attempt
        with freeze_time(moment):
            self._run_cron_once(batch_size=10)
        return ticket.breakfix_last_draft_attempt != before

    def test_refused_at_2330_utc_waits_for_the_next_local_day(self):
        """A company in UTC+1: a ticket refused at 23:30 UTC (00:30 local,
        already the next day) is not tried again until the local day after,
        although the UTC date changes half an hour later."""
        with freeze_time("2026-12-01 23:30:00"):
            refused = self._refused_ticket()
        self.assertTrue(self._cron_tries(refused, "2026-12-01 23:30:00"))
        self.assertEqual(
            refused.breakfix_last_draft_attempt, datetime(2026, 12, 1, 23, 30)
        )
        self.assertEqual(
            self.company._breakfix_today(refused.breakfix_last_draft_attempt),
            date(2026, 12, 2),
        )
        # 23:45 UTC; 00:15 UTC, the next UTC day; 23:59 local
        for moment in (
            "2026-12-01 23:45:00",
            "2026-12-02 00:15:00",
            "2026-12-02 22:59:59",
        ):
            self.assertFalse(self._cron_tries(refused, moment), moment)
        # local midnight, 3 December in Brussels (23:00 UTC): tried again
        self.assertTrue(self._cron_tries(refused, "2026-12-02 23:00:00"))
        self.assertEqual(self._refusals(refused), 2)

    def test_once_a_day_in_utc(self):
        """A company in UTC: tried again from 00:00 UTC, not before."""
        self._set_company_zone("UTC")
        with freeze_time("2026-12-01 23:30:00"):
            refused = self._refused_ticket()
        self.assertTrue(self._cron_tries(refused, "2026-12-01 23:30:00"))
        self.assertFalse(self._cron_tries(refused, "2026-12-01 23:59:59"))
        self.assertTrue(self._cron_tries(refused, "2026-12-02 00:00:00"))
        self.assertEqual(self._refusals(refused), 2)

    def test_once_a_day_on_daylight_saving_days(self):
        """Brussels days of 23 and 25 hours: a day starts at local midnight,
        whatever UTC offset it starts with."""
        # Sunday 28 March 2027, 01:30 CET (00:30 UTC): a day of 23 hours, its
        # end at midnight CEST, 22:00 UTC
        with freeze_time("2027-03-28 00:30:00"):
            refused = self._refused_ticket()
        self.assertTrue(self._cron_tries(refused, "2027-03-28 00:30:00"))
        self.assertFalse(self._cron_tries(refused, "2027-03-28 21:59:59"))
        self.assertTrue(self._cron_tries(refused, "2027-03-28 22:00:00"))
        # Sunday 31 October 2027, 01:30 CEST (23:30 UTC the day before): a day
        # of 25 hours, its end at midnight CET, 23:00 UTC
        self.assertTrue(self._cron_tries(refused, "2027-10-30 23:30:00"))
        self.assertFalse(self._cron_tries(refused, "2027-10-31 22:59:59"))
        self.assertTrue(self._cron_tries(refused, "2027-10-31 23:00:00"))
        self.assertEqual(self._refusals(refused), 4)

    def _refusals(self, ticket):
        """How many times Odoo's refusal was posted on the ticket."""
        return len(
            ticket.message_ids.filtered(
                lambda message: "Incompatible companies" in message.body
            )
        )

    def _orphan_messages(self, ticket):
        """How many times the ticket was told it has no customer."""
        return len(
            ticket.message_ids.filtered(
                lambda message: (
                    "No invoice drafted" in message.body
                    and f"Ticket {ticket.number} has no customer." in message.body
                )
            )
        )

    def test_cron_job_end_to_end(self):
        """The scheduled action itself, run by hand: it drafts the closed
        tickets' invoices and reports its progress to the runner."""
        tickets = self._closed_tickets(2)
        open_ticket = self._create_ticket(name="Still open")
        self._log_time(open_ticket, brussels(2, 9), 1.0)
        self.assertTrue(self.cron.active)
        self.assertEqual(self.cron.interval_type, "days")
        self.cron.method_direct_trigger()
        self.assertDraftedOnce(tickets)
        self.assertEqual(open_ticket.breakfix_invoice_status, "to_invoice")
        self.assertFalse(open_ticket.breakfix_invoice_ids)
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", self.cron.id)], order="id desc", limit=1
        )
        self.assertRecordValues(progress, [{"done": 2, "remaining": 0}])
