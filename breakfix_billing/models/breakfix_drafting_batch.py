# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import fields, models
from odoo.exceptions import UserError

from .constants import NOBODY

_logger = logging.getLogger(__name__)


class BreakfixDraftingBatch(models.Model):
    """A part of a drafting request that one transaction drafts (SPEC §14):
    whole invoice groups, about a batch size of tickets. Each batch keeps
    its own result, so that batches of one request may run at once (in
    queue jobs on several workers) without writing the same row."""

    _name = "breakfix.drafting.batch"
    _inherit = ["breakfix.field.access"]
    _description = "Break/fix Drafting Batch"
    _order = "id"

    # the batches are the drafting code's own
    _breakfix_field_writers = dict.fromkeys(
        ("request_id", "state", "ticket_ids", "invoice_ids", "skipped"), NOBODY
    )

    request_id = fields.Many2one(
        comodel_name="breakfix.drafting.request",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    state = fields.Selection(
        selection=[("pending", "Waiting"), ("done", "Done")],
        default="pending",
        required=True,
        readonly=True,
    )
    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        relation="breakfix_drafting_batch_ticket_rel",
        string="Tickets",
        readonly=True,
    )
    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="breakfix_drafting_batch_move_rel",
        string="Invoices Drafted",
        readonly=True,
    )
    # {ticket id: why it was not drafted}
    skipped = fields.Json(readonly=True)

    def _breakfix_run(self):
        """Draft the batch's tickets as the requester and keep the result.
        When Odoo refuses an invoice (and so the batch), each invoice on its
        own: the refused one is skipped with Odoo's reason, never the
        request held up."""
        self.ensure_one()
        if self.state == "done":
            return
        invoices, skipped = self._breakfix_draft(self.ticket_ids.exists())
        self.sudo().write(
            {
                "state": "done",
                "invoice_ids": [fields.Command.set(invoices.ids)],
                "skipped": {str(ticket.id): why for ticket, why in skipped.items()},
            }
        )

    def _breakfix_draft(self, tickets):
        tickets = tickets.with_user(self.request_id.user_id)
        try:
            with self.env.cr.savepoint():
                return tickets._breakfix_create_invoices()
        except UserError as error:
            _logger.info("Drafting a batch one invoice at a time: %s", error)
        invoices, skipped = self.env["account.move"], {}
        # grouped as drafting sees them (another company's customer too)
        for group_seen in tickets.sudo()._breakfix_invoice_groups():
            group = group_seen.with_user(self.request_id.user_id)
            try:
                with self.env.cr.savepoint():
                    drafted, refused = group._breakfix_create_invoices()
            except UserError as error:
                drafted, refused = (
                    invoices.browse(),
                    dict.fromkeys(group, error.args[0]),
                )
            invoices |= drafted
            skipped.update(refused)
        return invoices, skipped
