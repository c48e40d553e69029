# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class BreakfixDraftingBatch(models.Model):
    _inherit = "breakfix.drafting.batch"

    def _breakfix_run_job(self):
        """Draft a batch of a break/fix drafting request.

        Its tickets are locked for the job first, or it retries later."""
        self.ensure_one()
        if self.state == "pending":
            self.ticket_ids.exists()._breakfix_lock_or_retry()
            self._breakfix_run()
