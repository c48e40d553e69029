# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A drafting job that meets a concurrent manual run retries, then drafts
what that run left: nothing twice. Two real connections, on committed data
(the fixture of breakfix_billing's test_invoicing_concurrency.py, which says
why these cannot be ``TransactionCase`` tests)."""

import threading

from odoo import api
from odoo.tests.common import tagged

from odoo.addons.breakfix_billing.tests.test_invoicing_concurrency import (
    CLICK,
    SUPERUSER_ID,
    TIMEOUT,
    BreakfixConcurrencyCommon,
)
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

JOB = "job"


@tagged("post_install", "-at_install")
class TestJobConcurrency(BreakfixConcurrencyCommon):
    def _enqueue(self, ticket_ids):
        """Commit the job a cron enqueues for the tickets; its uuid."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tickets = env["helpdesk.ticket"].browse(ticket_ids)
            delayed = tickets.with_delay(**tickets._breakfix_job_options())
            uuid = delayed._breakfix_create_invoices_job().uuid
        self.addCleanup(self._delete_job, uuid)
        return uuid

    def _delete_job(self, uuid):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["queue.job"].search([("uuid", "=", uuid)]).unlink()

    @staticmethod
    def _perform(env, uuid):
        """Perform the job in ``env``'s transaction: "done", or the
        ``RetryableJobError`` the job runner would retry it on (its
        transaction rolled back, as the runner does)."""
        try:
            Job.load(env, uuid).perform()
        except RetryableJobError as error:
            env.cr.rollback()
            return error
        return "done"

    def _perform_again(self, uuid):
        with self.registry.cursor() as cr:
            return self._perform(api.Environment(cr, SUPERUSER_ID, {}), uuid)

    def test_a_job_waits_for_a_manual_run_holding_its_tickets(self):
        """A billing manager drafts 3 of the job's 6 tickets and holds them
        while the job starts: the job retries; run again, it drafts the 3
        others."""
        ticket_ids, charges = self._create_tickets(6)
        uuid = self._enqueue(ticket_ids)
        locked, job_tried = threading.Event(), threading.Event()

        def click(env):
            return self._draft(env["helpdesk.ticket"].browse(ticket_ids[:3]))

        def job(env):
            self.assertTrue(locked.wait(TIMEOUT))
            try:
                return self._perform(env, uuid)
            finally:
                job_tried.set()

        with self._holding_locked_tickets(CLICK, locked, job_tried):
            outcomes = self._run_in_threads(
                {
                    CLICK: (self._admin_id(), click, None),
                    JOB: (SUPERUSER_ID, job, None),
                }
            )
        self.assertIsInstance(outcomes[JOB], RetryableJobError)
        self.assertEqual(
            str(outcomes[JOB]), "Another run is drafting tickets of this job: waiting."
        )
        self.assertEqual(outcomes[CLICK]["drafted"], set(ticket_ids[:3]))

        self.assertEqual(self._perform_again(uuid), "done")
        self.assertInvoicedOnce(ticket_ids, charges)

    def test_a_job_that_began_before_a_manual_run_committed_retries(self):
        """The job's transaction began before a manual run committed the
        invoices of 3 of its tickets: it still sees them to invoice, so it
        retries rather than drafting them again; run again, it drafts the 3
        others."""
        ticket_ids, charges = self._create_tickets(6)
        uuid = self._enqueue(ticket_ids)
        job_began, click_committed = threading.Event(), threading.Event()

        def click(env):
            self.assertTrue(job_began.wait(TIMEOUT))
            return self._draft(env["helpdesk.ticket"].browse(ticket_ids[:3]))

        def job(env):
            tickets = env["helpdesk.ticket"].browse(ticket_ids)
            # the transaction's snapshot is taken now
            statuses = set(tickets.mapped("breakfix_invoice_status"))
            job_began.set()
            self.assertTrue(click_committed.wait(TIMEOUT))
            return statuses, self._perform(env, uuid)

        with self.assertNoLogs("odoo.sql_db", "ERROR"):
            outcomes = self._run_in_threads(
                {
                    CLICK: (self._admin_id(), click, click_committed),
                    JOB: (SUPERUSER_ID, job, None),
                }
            )
        statuses, outcome = outcomes[JOB]
        self.assertEqual(statuses, {"to_invoice"})
        self.assertIsInstance(outcome, RetryableJobError)
        self.assertEqual(
            str(outcome), "Another run changed tickets of this job: trying again."
        )
        self.assertEqual(outcomes[CLICK]["drafted"], set(ticket_ids[:3]))

        self.assertEqual(self._perform_again(uuid), "done")
        self.assertInvoicedOnce(ticket_ids, charges)
