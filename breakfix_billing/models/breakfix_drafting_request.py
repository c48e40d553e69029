# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .constants import NOBODY
from .row_locks import lock_rows

# Above this many tickets, a click on Draft runs in the background (the
# system parameter of that name overrides it).
INLINE_LIMIT_PARAM = "breakfix_billing.breakfix_inline_limit"
DEFAULT_INLINE_LIMIT = 100


class BreakfixDraftingRequest(models.Model):
    """A drafting request too large for one web request (SPEC §14): its
    tickets are drafted by the cron, a batch per call, each batch well
    inside Odoo's worker limits; the requester is told when it ends."""

    _name = "breakfix.drafting.request"
    _inherit = ["mail.thread", "breakfix.field.access"]
    _description = "Break/fix Drafting in the Background"
    _order = "id"

    # the requests are the drafting code's own
    _breakfix_field_writers = dict.fromkeys(
        ("user_id", "company_id", "state", "ticket_ids", "batch_ids", "date_done"),
        NOBODY,
    )

    user_id = fields.Many2one(
        comodel_name="res.users", string="Requested By", required=True, readonly=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True
    )
    state = fields.Selection(
        selection=[("pending", "Waiting"), ("done", "Done")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        relation="breakfix_drafting_request_ticket_rel",
        string="Tickets",
        readonly=True,
    )
    batch_ids = fields.One2many(
        comodel_name="breakfix.drafting.batch",
        inverse_name="request_id",
        string="Batches",
        readonly=True,
    )
    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices Drafted",
        compute="_compute_results",
    )
    # {ticket id: why it was not drafted}
    skipped = fields.Json(compute="_compute_results")
    date_done = fields.Datetime(string="Done On", readonly=True)

    @api.depends("batch_ids.invoice_ids", "batch_ids.skipped")
    def _compute_results(self):
        for request in self:
            request.invoice_ids = request.batch_ids.invoice_ids
            request.skipped = {
                ticket_id: why
                for batch in request.batch_ids
                for ticket_id, why in (batch.skipped or {}).items()
            }

    @api.model
    def _breakfix_inline_limit(self):
        """How many tickets a click drafts at once, at most."""
        return self._breakfix_size_setting(INLINE_LIMIT_PARAM, DEFAULT_INLINE_LIMIT)

    @api.model
    def _breakfix_size_setting(self, param, default):
        """A size the system parameter ``param`` sets (1 at least), else
        ``default``."""
        value = self.env["ir.config_parameter"].sudo().get_param(param, "")
        try:
            return max(int(value), 1)
        except ValueError:
            return default

    @api.model
    def _breakfix_submit(self, tickets):
        """Record the request of the current user to draft ``tickets`` and
        have it run; return the request."""
        request = self.sudo().create(
            {
                "user_id": self.env.uid,
                "company_id": self.env.company.id,
                "ticket_ids": [fields.Command.set(tickets.ids)],
            }
        )
        request._breakfix_schedule()
        return request

    def _breakfix_schedule(self):
        """Have the request run: wake the cron up (``breakfix_billing_queue``
        enqueues jobs instead)."""
        self.env.ref("breakfix_billing.ir_cron_breakfix_drafting_requests")._trigger()

    @api.model
    def _cron_breakfix_draft_requests(self, batch_size=50):
        """Draft the next batch of the oldest request: its tickets not
        tried yet, whole invoices at a time (a monthly customer's tickets
        together), about ``batch_size`` tickets; the runner calls again
        while work remains."""
        requests = self.search([("state", "=", "pending")])
        done = 0
        for request in requests:
            if done >= batch_size:
                break
            done += request._breakfix_draft_next(batch_size - done)
        remaining = sum(
            len(request._breakfix_unbatched())
            for request in self.search([("state", "=", "pending")])
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    def _breakfix_unbatched(self):
        """The request's tickets in no batch yet (those still there)."""
        self.ensure_one()
        return (self.ticket_ids - self.batch_ids.ticket_ids).exists()

    def _breakfix_add_batches(self, size, limit=None):
        """Split the tickets in no batch yet into batches of whole invoice
        groups, about ``size`` tickets each (the first ``limit`` of them);
        return the batches."""
        self.ensure_one()
        parts = self._breakfix_unbatched()._breakfix_batches(size)[:limit]
        return (
            self.env["breakfix.drafting.batch"]
            .sudo()
            .create(
                [
                    {
                        "request_id": self.id,
                        "ticket_ids": [fields.Command.set(part.ids)],
                    }
                    for part in parts
                ]
            )
        )

    def _breakfix_draft_next(self, size):
        """Draft the next batch of about ``size`` of the request's tickets
        left; finish the request when none is left. Return how many tickets
        were tried."""
        self.ensure_one()
        batch = self._breakfix_add_batches(size, limit=1)
        if batch:
            batch._breakfix_run()
        self._breakfix_finish_when_done()
        return len(batch.ticket_ids)

    def _breakfix_finish_when_done(self):
        """Tell the requester once every batch of the request ran.

        Whoever gets there first (the last batch, or the cron) finishes the
        request, once."""
        self.ensure_one()
        if self._breakfix_unbatched() or "pending" in self.batch_ids.mapped("state"):
            return
        locked = lock_rows(self.env.cr, self._table, self.ids)
        if locked and self.state == "pending":
            self._breakfix_finish()

    def _breakfix_finish(self):
        """Tell the requester what the run did: a notification, and a
        message in their inbox with the summary."""
        self.ensure_one()
        self.write({"state": "done", "date_done": fields.Datetime.now()})
        Ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.user_id)
            .with_context(lang=self.user_id.lang)
        )
        tickets = Ticket.browse(self.ticket_ids.ids)
        skipped = {
            Ticket.browse(int(ticket_id)): reason
            for ticket_id, reason in (self.skipped or {}).items()
        }
        message, _links = tickets._breakfix_drafting_summary(
            self.invoice_ids, skipped, with_links=False
        )
        self.message_post(
            body=message,
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        self.user_id._bus_send(
            "simple_notification",
            {
                "title": self.env._("Break/fix invoicing"),
                "message": message,
                "type": "warning" if skipped else "success",
                "sticky": True,
            },
        )
