# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from typing import Any, NamedTuple

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .constants import MANAGERS, PRICE_GROUPS
from .helpdesk_ticket_prepaid import PrepaidBatch
from .row_locks import lock_rows

BREAKFIX_INVOICE_STATUSES = [
    ("nothing", "Nothing to invoice"),
    ("to_invoice", "To invoice"),
    ("drafted", "Drafted"),
    ("invoiced", "Invoiced"),
]


class TicketDraft(NamedTuple):
    """What a drafting run invoices of one ticket: its charges (prepaid
    draws included), in its company's sales ``journal``, its prepaid
    ``draws``, and the invoice line values of the charges (``lines``, in the
    same order)."""

    ticket: Any
    charges: list
    journal: Any
    draws: tuple
    lines: list


class HelpdeskTicketInvoicing(models.Model):
    """Drafting the invoices of tickets: on a click, on closing and by the cron,
    one ``create`` per batch."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    breakfix_invoice_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="breakfix_ticket_id",
        string="Invoice Lines",
        readonly=True,
        copy=False,
        groups=PRICE_GROUPS,
    )
    breakfix_invoice_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        compute="_compute_breakfix_invoice_ids",
        groups=PRICE_GROUPS,
    )
    breakfix_invoice_count = fields.Integer(
        string="Invoice Count",
        compute="_compute_breakfix_invoice_ids",
        groups=PRICE_GROUPS,
    )
    breakfix_amount_drafted = fields.Monetary(
        string="Drafted",
        compute="_compute_breakfix_invoice_ids",
        currency_field="breakfix_currency_id",
        help="Untaxed amount of the ticket's draft invoices, less its draft "
        "credit notes: drafted, waiting for finance to confirm them.",
        groups=PRICE_GROUPS,
    )
    breakfix_amount_invoiced = fields.Monetary(
        string="Invoiced",
        compute="_compute_breakfix_invoice_ids",
        currency_field="breakfix_currency_id",
        help="Untaxed amount of the ticket's posted invoices, less its posted "
        "credit notes.",
        groups=PRICE_GROUPS,
    )
    breakfix_invoice_status = fields.Selection(
        selection=BREAKFIX_INVOICE_STATUSES,
        string="Invoice Status",
        compute="_compute_breakfix_invoice_status",
        store=True,
        index=True,
        groups=PRICE_GROUPS,
    )
    breakfix_last_draft_attempt = fields.Datetime(
        string="Last Invoicing Attempt",
        readonly=True,
        copy=False,
        groups=PRICE_GROUPS,
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends(
        "breakfix_invoice_line_ids.parent_state",
        "breakfix_invoice_line_ids.price_subtotal",
    )
    def _compute_breakfix_invoice_ids(self):
        for ticket in self:
            lines = ticket.sudo().breakfix_invoice_line_ids.filtered(
                lambda line: line.move_id.state != "cancel"
            )
            ticket.breakfix_invoice_ids = lines.move_id
            ticket.breakfix_invoice_count = len(lines.move_id)
            amounts = {"draft": 0.0, "posted": 0.0}
            for line in lines:
                sign = -1 if line.move_id.move_type == "out_refund" else 1
                amounts[line.parent_state] += sign * line.price_subtotal
            ticket.breakfix_amount_drafted = amounts["draft"]
            ticket.breakfix_amount_invoiced = amounts["posted"]

    @api.depends(
        "breakfix_policy",
        "timesheet_ids.unit_amount",
        "timesheet_ids.breakfix_billable",
        "timesheet_ids.breakfix_work_type_id.billable",
        "timesheet_ids.breakfix_invoice_line_ids",
        "breakfix_material_ids.billable",
        "breakfix_material_ids.invoice_line_id",
        "breakfix_invoice_line_ids.parent_state",
        "breakfix_invoice_line_ids.breakfix_released",
        "breakfix_invoice_line_ids.quantity",
        "breakfix_invoice_line_ids.price_unit",
        "breakfix_estimate_amount",
        "breakfix_overrun_approved_by_id",
    )
    def _compute_breakfix_invoice_status(self):
        for ticket in self.sudo():
            if (
                ticket._breakfix_has_work_to_invoice()
                or ticket._breakfix_has_reversal_due()
            ):
                ticket.breakfix_invoice_status = "to_invoice"
            elif ticket._breakfix_has_draft_invoice():
                ticket.breakfix_invoice_status = "drafted"
            elif ticket._breakfix_has_invoiced_work():
                ticket.breakfix_invoice_status = "invoiced"
            else:
                ticket.breakfix_invoice_status = "nothing"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_breakfix_create_invoice(self):
        """Draft an invoice for every ticket of ``self`` with something to
        invoice; return an action showing them (and what was skipped)."""
        self._breakfix_ensure_role(
            MANAGERS, self.env._("Only break/fix billing managers can draft invoices.")
        )
        self._breakfix_check_caller_access("write")
        Request = self.env["breakfix.drafting.request"]
        if len(self) > Request._breakfix_inline_limit():
            # more than one web request may draft within Odoo's worker limits
            Request._breakfix_submit(self)
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": self.env._("Break/fix invoicing"),
                    "message": self.env._(
                        "Drafting the invoices of %(count)s tickets in the "
                        "background: you will be told when it is done.",
                        count=len(self),
                    ),
                    "type": "info",
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        invoices, skipped = self._breakfix_create_invoices()
        return self._breakfix_invoicing_summary_action(invoices, skipped)

    def action_breakfix_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.breakfix_invoice_ids.ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        if len(self.breakfix_invoice_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.breakfix_invoice_ids.id)
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _breakfix_draft_on_close(self):
        """Draft the invoices of tickets that reached a closed stage; those
        of monthly customers wait for the month's invoice, and say so."""
        closed = self.filtered(
            lambda ticket: (
                ticket.stage_id.closed
                and ticket.stage_id.breakfix_draft_invoice
                and ticket.team_id.breakfix_auto_invoice
                and ticket.breakfix_invoice_status == "to_invoice"
            )
        )
        monthly = closed.filtered(lambda ticket: ticket._breakfix_is_invoiced_monthly())
        monthly._breakfix_note_waits_for_the_month()
        tickets = closed - monthly
        if tickets:
            # drafting is the team's setting, not the closing user's right
            invoices, skipped = tickets.sudo()._breakfix_create_invoices()
            tickets._breakfix_notify_drafted_on_close(invoices, skipped)

    def _breakfix_has_work_to_invoice(self):
        self.ensure_one()
        if not self._breakfix_is_billable():
            return False
        return any(
            entry.unit_amount > 0
            and entry._breakfix_is_billable()
            and not entry.breakfix_invoice_line_ids
            for entry in self.timesheet_ids
        ) or any(
            part.billable and not part.invoice_line_id
            for part in self.breakfix_material_ids
        )

    @api.model
    def _cron_breakfix_draft_invoices(self, batch_size=50):
        """Draft the invoices of closed tickets, a batch per call.

        The cron runner commits after each call and calls again while we
        report work remaining; a ticket is tried once a day, so one that
        cannot be invoiced does not hold up the others. Monthly customers'
        tickets wait for the month's run (``_cron_breakfix_draft_monthly``).
        """
        domain = self._breakfix_daily_due_domain()
        tickets = self.search(domain, limit=batch_size, order="id")
        tickets._breakfix_create_invoices_in_batch()
        self.env["ir.cron"]._notify_progress(
            done=len(tickets), remaining=self.search_count(domain)
        )

    @api.model
    def _breakfix_daily_due_domain(self):
        """The tickets the daily run drafts now: closed to invoice, of
        customers invoiced per ticket, not tried yet today."""
        # "today" is each company's own day, its start a UTC moment as stored
        per_company = []
        for (company,) in self._read_group(
            self._breakfix_closed_to_invoice_domain(), ["company_id"]
        ):
            per_company.append(
                [
                    *self._breakfix_invoicing_mode_domain(company, monthly=False),
                    "|",
                    ("breakfix_last_draft_attempt", "=", False),
                    ("breakfix_last_draft_attempt", "<", company._breakfix_day_start()),
                ]
            )
        return [
            *self._breakfix_closed_to_invoice_domain(),
            *expression.OR(per_company or [expression.FALSE_DOMAIN]),
        ]

    @api.model
    def _breakfix_closed_to_invoice_domain(self):
        """The tickets a cron drafts: closed in a stage that drafts, with
        something to invoice."""
        return [
            ("stage_id.closed", "=", True),
            ("stage_id.breakfix_draft_invoice", "=", True),
            ("breakfix_invoice_status", "=", "to_invoice"),
        ]

    def _breakfix_create_invoices_in_batch(self, period_end=None):
        """A cron's batch: draft it at once; if Odoo refuses one of its
        invoices (e.g. a customer of another company), and so the whole
        batch, draft each invoice on its own, or that ticket would hold up
        its batch every time: the one refused says why on its tickets and
        waits for the next run."""
        if not self:
            return
        try:
            with self.env.cr.savepoint():
                self._breakfix_create_invoices(period_end=period_end)
        except UserError:
            self._breakfix_create_invoices_one_by_one(period_end=period_end)

    def _breakfix_create_invoices_one_by_one(self, period_end=None):
        """Draft each invoice of ``self`` on its own (a customer's month, or
        a ticket)."""
        for tickets in self._breakfix_invoice_groups():
            try:
                with self.env.cr.savepoint():
                    tickets._breakfix_create_invoices(period_end=period_end)
            except UserError as error:
                tickets.breakfix_last_draft_attempt = fields.Datetime.now()
                for ticket in tickets:
                    ticket._breakfix_post_not_drafted(error.args[0])

    def _breakfix_invoice_groups(self):
        """The tickets of ``self`` that go on the same invoices: each ticket
        on its own (monthly customers group theirs)."""
        return list(self)

    def _breakfix_batches(self, size):
        """``self`` split into batches of whole invoice groups (a monthly
        customer's tickets together), about ``size`` tickets each: a batch
        is full before the group that would take it past ``size``, and
        holds one group at least."""
        batches, batch = [], self.browse()
        for group in self._breakfix_invoice_groups():
            if batch and len(batch) + len(group) > size:
                batches.append(batch)
                batch = self.browse()
            batch |= group
        return [*batches, batch] if batch else batches

    def _breakfix_create_invoices(self, period_end=None):
        """Draft one invoice per ticket: prepare, create (with the values Odoo
        would work out, ``account.move._breakfix_create_drafts``), follow-ups.

        :return: ``(invoices, skipped)`` where ``skipped`` maps a ticket to
            the reason it was not invoiced; tickets with nothing to invoice
            are neither.
        """
        # Drafting prices every technician's time and writes invoices: it runs
        # with full rights once the caller is allowed to draft (still as the
        # caller, who authors the messages and the invoices).
        self = self.sudo()  # noqa: PLW0642
        tickets, skipped = self._breakfix_lock_for_invoicing()
        vals_list = tickets._breakfix_prepare_invoices(skipped, period_end=period_end)
        invoices = self.env["account.move"]._breakfix_create_drafts(vals_list)
        tickets._breakfix_after_drafting(invoices, skipped)
        return invoices.sudo(False), {
            ticket.sudo(False): reason for ticket, reason in skipped.items()
        }

    def _breakfix_prepare_invoices(self, skipped, period_end=None):
        """The values of the invoices of the tickets with something to
        invoice; the others that cannot be invoiced go into ``skipped``
        (``{ticket: why}``). ``period_end``: the last day of the month a
        monthly run invoices (none: drafted on demand)."""
        # An invoiced entry keeps the price stored on it: store the pending
        # ones (entries logged or repriced in this transaction) before the
        # invoice freezes them, or they would keep no price at all.
        self.env["account.analytic.line"].flush_model(
            [
                "breakfix_billed_hours",
                "breakfix_amount",
                "breakfix_no_charge_amount",
                "breakfix_pricing_trace",
            ]
        )
        # read once for the batch: each rate card's rules, each company's journal
        rules_by_card, journal_by_company = {}, {}
        tickets, balances = self._breakfix_lock_prepaid_blocks(skipped)
        prepaid = PrepaidBatch(balances)
        drafts = []
        for ticket in tickets:
            drawn = dict(prepaid.balances)
            try:
                charges = ticket._breakfix_get_invoiceable_charges(
                    rules_by_card=rules_by_card, prepaid=prepaid
                )
                if not charges:
                    continue
                journal = ticket._breakfix_sale_journal(journal_by_company)
                ticket._breakfix_check_invoiceable(journal)
                draws = tuple(prepaid.draws.get(ticket, ()))
                lines = ticket._breakfix_prepare_invoice_lines(charges, draws)
                drafts.append(TicketDraft(ticket, charges, journal, draws, lines))
            except UserError as error:
                prepaid.balances = drawn  # a ticket not drafted draws nothing
                skipped[ticket] = error.args[0]
        return self._breakfix_invoice_values(drafts, prepaid, period_end)

    def _breakfix_invoice_values(self, drafts, prepaid, period_end=None):
        """The values of the invoices of the ``drafts`` (``TicketDraft``s of
        a run, with its ``PrepaidBatch``): one invoice per ticket (monthly
        customers' tickets share theirs)."""
        return [draft.ticket._breakfix_prepare_invoice(draft) for draft in drafts]

    def _breakfix_after_drafting(self, invoices, skipped):
        """Follow-ups of a drafting run over ``self``: each ticket was tried
        today, those drafted note their ``invoices`` on their chatter, and
        those ``skipped`` say why."""
        self.breakfix_last_draft_attempt = fields.Datetime.now()
        self._breakfix_log_drafted(invoices)
        for ticket, reason in skipped.items():
            ticket._breakfix_post_not_drafted(reason)

    def _breakfix_lock_for_invoicing(self):
        """Lock the tickets' rows; those another transaction holds are skipped.

        A concurrent run that already invoiced a ticket updated its row: here
        that is a serialization failure, so that ticket is skipped too. All
        rows are locked at once; only when one of them fails so, one by one,
        to skip only that one.
        """
        if not self:
            return self, {}
        locked_ids = lock_rows(self.env.cr, "helpdesk_ticket", self.ids)
        if locked_ids is None:
            # one at a time, to skip only the ticket another run changed
            locked_ids = {
                ticket.id
                for ticket in self
                if lock_rows(self.env.cr, "helpdesk_ticket", ticket.ids)
            }
        busy = self.env._("another invoicing run is drafting this ticket.")
        skipped = {ticket: busy for ticket in self if ticket.id not in locked_ids}
        return self.filtered(lambda ticket: ticket.id in locked_ids), skipped

    def _breakfix_check_invoiceable(self, journal):
        """Raise ``UserError`` saying why the ticket cannot be invoiced in
        ``journal`` (its company's sales journal, if it has one)."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(
                self.env._("Ticket %(ticket)s has no customer.", ticket=self.number)
            )
        rate_card = self.breakfix_rate_card_id
        company = self.company_id
        if rate_card.company_id != company:
            raise UserError(
                self.env._(
                    "Rate card “%(rate_card)s” belongs to %(card_company)s, ticket "
                    "%(ticket)s to %(company)s.",
                    rate_card=rate_card.display_name,
                    card_company=rate_card.company_id.name,
                    ticket=self.number,
                    company=company.name,
                )
            )
        if not journal:
            raise UserError(
                self.env._(
                    "Company %(company)s has no sales journal to invoice ticket "
                    "%(ticket)s in.",
                    company=company.name,
                    ticket=self.number,
                )
            )

    def _breakfix_prepare_invoice(self, draft):
        """The values of the ticket's next invoice, of its ``draft``
        (``TicketDraft``); values only."""
        self.ensure_one()
        company = self.company_id
        return {
            "move_type": "out_invoice",
            "company_id": company.id,
            "journal_id": draft.journal.id,
            "partner_id": self._breakfix_invoice_partner().id,
            "currency_id": self.breakfix_rate_card_id.currency_id.id,
            "date": company._breakfix_today(),
            "invoice_origin": self.number,
            "ref": self._breakfix_invoice_title() + self._breakfix_invoice_po_suffix(),
            "invoice_line_ids": [Command.create(vals) for vals in draft.lines],
        }

    def _breakfix_prepare_invoice_lines(self, charges, draws=()):
        """The invoice line values of the ticket's ``charges``
        (``_breakfix_get_invoiceable_charges``), with the usage rows of its
        prepaid ``draws`` on their lines; a charge that cannot be invoiced
        raises ``UserError`` saying why."""
        self.ensure_one()
        usage = self._breakfix_prepaid_usage_values(draws)
        return [
            self._breakfix_prepare_invoice_line(
                charge,
                **(
                    {"breakfix_prepaid_usage_ids": usage[id(charge)]}
                    if id(charge) in usage
                    else {}
                ),
            )
            for charge in charges
        ]

    def _breakfix_invoice_title(self):
        """What names the ticket on invoices: its invoice's reference, its
        section of a monthly invoice."""
        self.ensure_one()
        return f"{self.number} · {self.name}"

    def _breakfix_sale_journal(self, journal_by_company):
        """The sales journal of the ticket's company (may be empty), found
        once per company of a batch: ``journal_by_company`` is the batch's."""
        company = self.company_id
        if company not in journal_by_company:
            journal_by_company[company] = self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(company),
                    ("type", "=", "sale"),
                ],
                limit=1,
            )
        return journal_by_company[company]

    def _breakfix_invoice_partner(self):
        """The customer's invoice address: the partner of its invoices."""
        customer = self.partner_id.commercial_partner_id
        return customer.browse(customer.address_get(["invoice"])["invoice"])

    def _breakfix_fiscal_position(self):
        """The fiscal position the ticket's invoice gets (as Odoo computes it
        for a move without delivery address)."""
        partner = self._breakfix_invoice_partner()
        delivery = partner.browse(partner.address_get(["delivery"])["delivery"])
        return (
            self.env["account.fiscal.position"]
            .with_company(self.company_id)
            ._get_fiscal_position(partner, delivery=delivery)
        )
