# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""With queue_job, background drafting and the crons enqueue jobs of
``breakfix_job_size`` tickets on ``root.breakfix`` (SPEC §14): stored jobs,
performed here one after the other as a job runner would."""

from datetime import date

import freezegun

from odoo import Command
from odoo.tests import tagged

from odoo.addons.breakfix_billing.tests.test_drafting_in_background import (
    BreakfixBackgroundCommon,
)
from odoo.addons.queue_job.job import Job

REQUESTS_CRON = "breakfix_billing.ir_cron_breakfix_drafting_requests"


@tagged("post_install", "-at_install")
class TestDraftingJobs(BreakfixBackgroundCommon):
    """Remote support at 90.00/h; a click drafts 3 tickets at most, a job 2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(freezegun.freeze_time("2026-11-27 11:00:00"))
        cls._set_company_zone("Europe/Brussels")
        cls.env["ir.config_parameter"].set_param(
            "breakfix_billing.breakfix_job_size", "2"
        )
        cls.env["queue.job"].search([]).unlink()
        # the crons see the tickets of these tests only (not demo data)
        cls.env["helpdesk.ticket"].search(
            [("breakfix_invoice_status", "=", "to_invoice")]
        ).active = False
        cls.team.breakfix_auto_invoice = False
        cls.done_stage = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.env.ref("breakfix_billing.product_breakfix_not_to_exceed").write(
            {
                "property_account_income_id": cls.income_account.id,
                "taxes_id": [Command.set(cls.sale_tax.ids)],
            }
        )

    def _closed_tickets(self, count, partner=None):
        tickets = self._tickets(count, partner=partner)
        tickets.stage_id = self.done_stage
        return tickets

    def _jobs(self):
        return self.env["queue.job"].search([], order="id")

    def _perform(self, jobs):
        """Run the ``jobs`` as the job runner would: each once those it
        depends on are done."""
        waiting = list(jobs)
        while waiting:
            ready = [
                stored
                for stored in waiting
                if all(
                    parent.db_record().state == "done"
                    for parent in Job.load(self.env, stored.uuid).depends_on
                )
            ]
            self.assertTrue(ready, "jobs wait for each other")
            for stored in ready:
                job = Job.load(self.env, stored.uuid)
                job.set_started()
                job.perform()
                job.set_done()
                job.store()
                waiting.remove(stored)

    def _records(self, jobs):
        return [job.records for job in jobs]

    def test_a_large_click_drafts_in_jobs_and_tells_the_requester(self):
        tickets = self._tickets(5)
        request = self._click_in_the_background(tickets)
        self.assertEqual(
            [batch.ticket_ids.ids for batch in request.batch_ids],
            [tickets[:2].ids, tickets[2:4].ids, tickets[4:].ids],
        )
        jobs = self._jobs()
        drafting = jobs.filtered(lambda job: job.method_name == "_breakfix_run_job")
        finishing = jobs - drafting
        # a job per batch (stored in the order of queue_job's graph)
        self.assertEqual(
            sorted(self._records(drafting), key=lambda batch: batch.id),
            list(request.batch_ids),
        )
        self.assertEqual(finishing.method_name, "_breakfix_finish_when_done")
        self.assertEqual(finishing.records, request)
        self.assertEqual(set(jobs.mapped("channel")), {"root.breakfix"})
        self.assertEqual(set(jobs.mapped("user_id")), {self.manager})
        self.assertEqual(len(set(jobs.mapped("identity_key"))), 4)
        self.assertEqual(finishing.state, "wait_dependencies")
        self.assertEqual(set(drafting.mapped("state")), {"pending"})
        # the cron is not woken up: the job runners do the work
        self.assertFalse(
            self.env["ir.cron.trigger"].search(
                [("cron_id", "=", self.env.ref(REQUESTS_CRON).id)]
            )
        )

        self._perform(jobs)
        self.assertEqual(request.state, "done")
        self.assertEqual(len(request.invoice_ids), 5)
        for ticket in tickets:
            self.assertEqual(len(ticket.breakfix_invoice_ids), 1)
            self.assertEqual(ticket.breakfix_invoice_ids.amount_untaxed, 90.0)
        self.assertSummarySent(request, 5)
        # a batch job run again drafts nothing more
        self._perform(drafting[:1])
        self.assertEqual(len(tickets.breakfix_invoice_ids), 5)

    def test_a_monthly_customer_s_tickets_go_in_one_job(self):
        self.customer.breakfix_invoicing_mode = "monthly"
        tickets = self._tickets(5)
        tickets.with_user(self.manager).action_breakfix_create_invoice()
        jobs = self._jobs()
        # a group of 5 tickets goes whole into a job of 2
        drafting = jobs.filtered(lambda job: job.method_name == "_breakfix_run_job")
        self.assertEqual(self._records(drafting)[0].ticket_ids, tickets)
        self._perform(jobs)
        self.assertEqual(len(tickets.breakfix_invoice_ids), 1)
        self.assertEqual(tickets.breakfix_invoice_ids.amount_untaxed, 450.0)

    def test_the_daily_cron_enqueues_each_batch_once(self):
        tickets = self._closed_tickets(5)
        self.env["helpdesk.ticket"]._cron_breakfix_draft_invoices()
        jobs = self._jobs()
        self.assertEqual(
            jobs.mapped("method_name"), ["_breakfix_create_invoices_job"] * 3
        )
        self.assertEqual(self._records(jobs), [tickets[:2], tickets[2:4], tickets[4:]])
        self.assertEqual(set(jobs.mapped("channel")), {"root.breakfix"})
        self.assertFalse(tickets.breakfix_invoice_ids)
        # the cron again before the jobs ran: no second job of a batch
        self.env["helpdesk.ticket"]._cron_breakfix_draft_invoices()
        self.assertEqual(self._jobs(), jobs)

        self._perform(jobs)
        for ticket in tickets:
            self.assertEqual(len(ticket.breakfix_invoice_ids), 1)
            self.assertEqual(ticket.breakfix_invoice_ids.amount_untaxed, 90.0)
        self.env["helpdesk.ticket"]._cron_breakfix_draft_invoices()
        self.assertEqual(self._jobs(), jobs)

    def test_the_month_start_cron_enqueues_whole_customers(self):
        self.customer.breakfix_invoicing_mode = "monthly"
        other = self.customer.copy({"name": "Other Monthly Customer"})
        other.write(
            {
                "breakfix_invoicing_mode": "monthly",
                "breakfix_rate_card_id": self.customer.breakfix_rate_card_id.id,
            }
        )
        first = self._closed_tickets(3)
        second = self._closed_tickets(2, partner=other)
        Ticket = self.env["helpdesk.ticket"]
        Ticket._cron_breakfix_draft_monthly()
        self.assertFalse(self._jobs())  # not the 1st yet

        with freezegun.freeze_time("2026-11-30 23:01:00"):  # 00:01 in Brussels
            Ticket._cron_breakfix_draft_monthly()
            jobs = self._jobs()
            self.assertEqual(self._records(jobs), [first, second])
            self.assertEqual(
                jobs.mapped("kwargs"), [{"period_end": date(2026, 11, 30)}] * 2
            )
            Ticket._cron_breakfix_draft_monthly()
            self.assertEqual(self._jobs(), jobs)
            self._perform(jobs)
        self.assertRecordValues(
            (first | second).breakfix_invoice_ids.sorted("amount_untaxed"),
            [
                {"invoice_date": date(2026, 11, 30), "amount_untaxed": 180.0},
                {"invoice_date": date(2026, 11, 30), "amount_untaxed": 270.0},
            ],
        )
