# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from .constants import NOBODY

_logger = logging.getLogger(__name__)

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
        (
            "user_id",
            "company_id",
            "state",
            "ticket_ids",
            "done_ticket_ids",
            "invoice_ids",
            "skipped",
            "date_done",
        ),
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
    done_ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        relation="breakfix_drafting_request_done_rel",
        string="Tickets Tried",
        readonly=True,
    )
    invoice_ids = fields.Many2many(
        comodel_name="account.move", string="Invoices Drafted", readonly=True
    )
    # {ticket id: why it was not drafted}
    skipped = fields.Json(readonly=True)
    date_done = fields.Datetime(string="Done On", readonly=True)

    @api.model
    def _breakfix_inline_limit(self):
        """How many tickets a click drafts at once, at most."""
        value = self.env["ir.config_parameter"].sudo().get_param(INLINE_LIMIT_PARAM, "")
        try:
            return max(int(value), 1)
        except ValueError:
            return DEFAULT_INLINE_LIMIT

    @api.model
    def _breakfix_submit(self, tickets):
        """Record the request of the current user to draft ``tickets`` and
        wake the cron up; return the request."""
        request = self.sudo().create(
            {
                "user_id": self.env.uid,
                "company_id": self.env.company.id,
                "ticket_ids": [fields.Command.set(tickets.ids)],
            }
        )
        self.env.ref("breakfix_billing.ir_cron_breakfix_drafting_requests")._trigger()
        return request

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
            done += request._breakfix_draft_batch(batch_size - done)
        remaining = sum(
            len(request.ticket_ids - request.done_ticket_ids)
            for request in self.search([("state", "=", "pending")])
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    def _breakfix_draft_batch(self, size):
        """Draft up to about ``size`` of the request's tickets left (whole
        invoice groups); finish the request when none is left. Return how
        many tickets were tried."""
        self.ensure_one()
        left = (self.ticket_ids - self.done_ticket_ids).exists()
        batch = self.env["helpdesk.ticket"]
        for group in left._breakfix_invoice_groups():
            if batch and len(batch) + len(group) > size:
                break
            batch |= group
        if batch:
            invoices, skipped = self._breakfix_draft_tickets(batch)
            self.write(
                {
                    "done_ticket_ids": [fields.Command.link(t.id) for t in batch],
                    "invoice_ids": [fields.Command.link(i.id) for i in invoices],
                    "skipped": {
                        **(self.skipped or {}),
                        **{
                            str(ticket.id): reason for ticket, reason in skipped.items()
                        },
                    },
                }
            )
        if not (self.ticket_ids - self.done_ticket_ids).exists():
            self._breakfix_finish()
        return len(batch)

    def _breakfix_draft_tickets(self, tickets):
        """Draft ``tickets`` as the requester: ``(invoices, skipped)``. When
        Odoo refuses an invoice (and so the batch), each invoice on its own:
        the refused one is skipped with Odoo's reason, never the request
        held up."""
        self.ensure_one()
        tickets = tickets.with_user(self.user_id)
        try:
            with self.env.cr.savepoint():
                return tickets._breakfix_create_invoices()
        except UserError as error:
            _logger.info("Drafting a batch one invoice at a time: %s", error)
        invoices, skipped = self.env["account.move"], {}
        # grouped as drafting sees them (another company's customer too)
        for group_seen in tickets.sudo()._breakfix_invoice_groups():
            group = group_seen.with_user(self.user_id)
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
