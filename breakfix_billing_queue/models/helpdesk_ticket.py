# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from odoo.addons.breakfix_billing.models.row_locks import lock_rows
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact

# Tickets per job (the system parameter of that name overrides it): a job
# stays well inside Odoo's worker limits.
JOB_SIZE_PARAM = "breakfix_billing.breakfix_job_size"
DEFAULT_JOB_SIZE = 50
# a run another worker holds ends; the job waits for it (retry_pattern of
# the job functions, data/queue_job_data.xml)
MAX_RETRIES = 20
RETRY_SECONDS = 5


class HelpdeskTicket(models.Model):
    """The crons enqueue jobs of ``breakfix_job_size`` tickets on the channel
    ``root.breakfix`` instead of drafting a batch per call (SPEC §14): the
    job runners of every Odoo host run them at once."""

    _inherit = "helpdesk.ticket"

    @api.model
    def _breakfix_job_size(self):
        """How many tickets a job drafts, about (whole invoice groups)."""
        return self.env["breakfix.drafting.request"]._breakfix_size_setting(
            JOB_SIZE_PARAM, DEFAULT_JOB_SIZE
        )

    @api.model
    def _breakfix_job_options(self):
        """How every drafting job is enqueued: a job with the same records
        and arguments not run yet is not enqueued twice."""
        return {"identity_key": identity_exact, "max_retries": MAX_RETRIES}

    @api.model
    def _cron_breakfix_draft_invoices(self, batch_size=50):
        """Enqueue the drafting of every closed ticket due, in jobs."""
        self.search(
            self._breakfix_daily_due_domain(), order="id"
        )._breakfix_enqueue_drafting()

    @api.model
    def _cron_breakfix_draft_monthly(self, batch_size=50, max_tickets=100):
        """Enqueue each monthly customer's invoice due, in jobs (a customer's
        tickets in one)."""
        for domain, period_end in self._breakfix_monthly_due():
            self.search(domain, order="id")._breakfix_enqueue_drafting(period_end)

    def _breakfix_enqueue_drafting(self, period_end=None):
        """A job per batch of ``self``, drafting as the cron does."""
        options = self._breakfix_job_options()
        for tickets in self._breakfix_batches(self._breakfix_job_size()):
            tickets.with_delay(**options)._breakfix_create_invoices_job(
                period_end=period_end
            )

    def _breakfix_create_invoices_job(self, period_end=None):
        """Draft the break/fix invoices of these tickets, for a cron.

        Monthly customers' for the month ending ``period_end``."""
        self._breakfix_lock_or_retry()
        self._breakfix_create_invoices_in_batch(period_end=period_end)

    def _breakfix_lock_or_retry(self):
        """Lock the tickets' rows for the job, or have it retried later when
        another run holds one of them or changed one since the job began:
        the retry drafts what that run left, nothing twice."""
        locked = lock_rows(self.env.cr, self._table, self.ids)
        if locked is None:
            raise RetryableJobError(
                self.env._("Another run changed tickets of this job: trying again."),
                seconds=RETRY_SECONDS,
            )
        if len(locked) < len(self):
            raise RetryableJobError(
                self.env._("Another run is drafting tickets of this job: waiting."),
                seconds=RETRY_SECONDS,
            )
