# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class BreakfixPrepaidBlockDemo(models.Model):
    """The demo blocks, confirmed and invoiced as the addon does (loaded by
    ``<function>`` at install)."""

    _inherit = "breakfix.prepaid.block"  # pylint: disable=consider-merging-classes-inherited

    def _breakfix_demo_confirm(self, post=False):
        """Confirm the blocks; with ``post``, post their invoices too, dated
        on the company's day."""
        self.action_breakfix_confirm()
        if post:
            for invoice in self.invoice_id:
                invoice.invoice_date = invoice.company_id._breakfix_today()
            self.invoice_id.action_post()
        return self.invoice_id
