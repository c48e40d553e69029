# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    """The invoices of prepaid blocks: a block is sold by its invoice.

    Cancelling (or deleting) a block's invoice takes the sale back: the block
    is a draft again, unless tickets drew from it already; then the invoice
    stands, and a credit note refunds the customer (the block is no longer
    drawn from once its invoice is fully reversed).
    """

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    def _breakfix_prepaid_blocks(self):
        return (
            self.env["breakfix.prepaid.block"]
            .sudo()
            .search([("invoice_id", "in", self.ids)])
        )

    def button_draft(self):
        for block in self._breakfix_prepaid_blocks():
            if block.usage_ids:
                raise UserError(
                    self.env._(
                        "Tickets drew from prepaid block “%(block)s”: its invoice "
                        "%(invoice)s cannot be reset or cancelled. Issue a credit "
                        "note instead.",
                        block=block.name,
                        invoice=block.invoice_id.display_name,
                    )
                )
        return super().button_draft()

    def button_cancel(self):
        result = super().button_cancel()
        self._breakfix_prepaid_blocks()._breakfix_invoice_cancelled()
        return result

    def unlink(self):
        blocks = self._breakfix_prepaid_blocks()
        result = super().unlink()
        blocks._breakfix_invoice_cancelled()
        return result
