# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.queue_job.delay import chain, group


class BreakfixDraftingRequest(models.Model):
    """A request drafts in jobs: one per batch, run at once by the job
    runners of every host, then one that tells the requester."""

    _inherit = "breakfix.drafting.request"

    def _breakfix_schedule(self):
        Ticket = self.env["helpdesk.ticket"]
        options = Ticket._breakfix_job_options()
        batches = self._breakfix_add_batches(Ticket._breakfix_job_size())
        drafting = group(
            *(batch.delayable(**options)._breakfix_run_job() for batch in batches)
        )
        finishing = self.delayable(**options)._breakfix_finish_when_done()
        chain(drafting, finishing).delay()
