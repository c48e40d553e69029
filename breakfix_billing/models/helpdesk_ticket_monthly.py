# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, api, models
from odoo.tools.misc import format_date

from .. import pricing
from .constants import INVOICING_MONTHLY


class HelpdeskTicketMonthly(models.Model):
    """Monthly customers (SPEC §10): their tickets are not drafted as they
    close; a month's go on one invoice per customer, company and currency, a
    section per ticket, drafted on the first of the next month or on demand."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Who is invoiced monthly
    # ------------------------------------------------------------------

    def _breakfix_is_invoiced_monthly(self):
        self.ensure_one()
        return bool(self.partner_id) and self.partner_id._breakfix_invoiced_monthly(
            self.company_id
        )

    @api.model
    def _breakfix_invoicing_mode_domain(self, company, monthly=True):
        """The tickets of ``company`` whose customers are invoiced monthly
        (or, not ``monthly``, the others, those without customer included);
        the mode is the customers' for that company."""
        customers = (
            self.env["res.partner"]
            .with_company(company)
            .with_context(active_test=False)
            ._search([("breakfix_invoicing_mode", "=", INVOICING_MONTHLY)])
        )
        if monthly:
            return [
                ("company_id", "=", company.id),
                ("commercial_partner_id", "in", customers),
            ]
        return [
            ("company_id", "=", company.id),
            "|",
            ("commercial_partner_id", "=", False),
            ("commercial_partner_id", "not in", customers),
        ]

    def _breakfix_note_waits_for_the_month(self):
        """Say on each ticket, closed with work to invoice, that it waits
        for its customer's monthly invoice, and when that is drafted."""
        for ticket in self:
            today = ticket.company_id._breakfix_today()
            next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
            ticket.message_post(
                body=self.env._(
                    "Not drafted on closing: %(customer)s is invoiced monthly. "
                    "This ticket goes on its invoice drafted on %(day)s.",
                    customer=ticket.commercial_partner_id.name,
                    day=format_date(self.env, next_month),
                )
            )

    # ------------------------------------------------------------------
    # The month-start run
    # ------------------------------------------------------------------

    @api.model
    def _cron_breakfix_draft_monthly(self, batch_size=50, max_tickets=100):
        """On the first of each month, in each company's own day, draft each
        monthly customer's invoice of the month before: its tickets closed
        before the month began, with something to invoice, not tried since.

        A batch is at most ``batch_size`` customers with all their tickets,
        and no more than ``max_tickets`` tickets (but always one customer),
        so that a call stays well inside Odoo's worker limits; the cron
        runner commits after each call and calls again while we report
        customers remaining. A first of the month the run missed (the server
        down) is caught up the next day; a ticket closed or worked after the
        run waits for the next month's.
        """
        done = remaining = 0
        for domain, period_end in self._breakfix_monthly_due():
            customers = self._read_group(
                domain,
                ["commercial_partner_id"],
                ["__count"],
                order="commercial_partner_id",
            )
            batch, tickets_in_batch = [], 0
            for customer, count in customers:
                if done + len(batch) >= batch_size or (
                    batch and tickets_in_batch + count > max_tickets
                ):
                    break
                batch.append(customer)
                tickets_in_batch += count
            if batch:
                tickets = self.search(
                    [*domain, ("commercial_partner_id", "in", [c.id for c in batch])],
                    order="id",
                )
                tickets._breakfix_create_invoices_in_batch(period_end=period_end)
            done += len(batch)
            remaining += len(customers) - len(batch)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _breakfix_monthly_due(self):
        """What the month-start run drafts now, per company: ``[(domain,
        period_end)]``, the domain of its monthly customers' tickets due
        (closed before the company's month began, not tried since) and the
        last day of the month they are invoiced for."""
        due = []
        closed_to_invoice = self._breakfix_closed_to_invoice_domain()
        for (company,) in self._read_group(closed_to_invoice, ["company_id"]):
            month_start = company._breakfix_today().replace(day=1)
            since = company._breakfix_day_start(month_start)
            domain = [
                *closed_to_invoice,
                *self._breakfix_invoicing_mode_domain(company),
                "|",
                ("closed_date", "=", False),
                ("closed_date", "<", since),
                "|",
                ("breakfix_last_draft_attempt", "=", False),
                ("breakfix_last_draft_attempt", "<", since),
            ]
            due.append((domain, month_start - timedelta(days=1)))
        return due

    # ------------------------------------------------------------------
    # The invoice
    # ------------------------------------------------------------------

    def _breakfix_invoice_groups(self):
        singles = self.filtered(
            lambda ticket: not ticket._breakfix_is_invoiced_monthly()
        )
        monthly = (self - singles).grouped(
            lambda ticket: (ticket.commercial_partner_id, ticket.company_id)
        )
        groups = super(HelpdeskTicketMonthly, singles)._breakfix_invoice_groups()
        return groups + list(monthly.values())

    def _breakfix_invoice_values(self, drafts, prepaid, period_end=None):
        singles, monthly = [], {}
        for draft in drafts:
            ticket = draft.ticket
            if ticket._breakfix_is_invoiced_monthly():
                key = (
                    ticket.commercial_partner_id,
                    ticket.company_id,
                    ticket.breakfix_rate_card_id.currency_id,
                )
                monthly.setdefault(key, []).append(draft)
            else:
                singles.append(draft)
        return super()._breakfix_invoice_values(singles, prepaid, period_end) + [
            self._breakfix_prepare_monthly_invoice(group, prepaid, period_end)
            for group in monthly.values()
        ]

    @api.model
    def _breakfix_prepare_monthly_invoice(self, drafts, prepaid, period_end=None):
        """The values of one customer's invoice of the ``drafts`` of its
        tickets (one company, one currency): a section per ticket, in ticket
        order, with its lines and its not-to-exceed adjustment; then the
        prepaid draws, one line per block (and tax set). ``period_end``: the
        last day of the month invoiced, its invoice date (none: drafted on
        demand, for the current month, dated when posted)."""
        drafts = sorted(drafts, key=lambda draft: draft.ticket.id)
        first = drafts[0].ticket
        company = first.company_id
        lines = []
        for draft in drafts:
            ticket = draft.ticket
            lines.append(
                {
                    "display_type": "line_section",
                    "name": ticket._breakfix_invoice_title(),
                    "breakfix_ticket_id": ticket.id,
                }
            )
            lines.extend(
                vals
                for charge, vals in zip(draft.charges, draft.lines, strict=True)
                if charge.kind != pricing.KIND_PREPAID
            )
        lines.extend(self._breakfix_merged_prepaid_lines(drafts, prepaid))
        month = period_end or company._breakfix_today()
        vals = {
            "move_type": "out_invoice",
            "company_id": company.id,
            "journal_id": drafts[0].journal.id,
            "partner_id": first._breakfix_invoice_partner().id,
            "currency_id": first.breakfix_rate_card_id.currency_id.id,
            "invoice_origin": ", ".join(draft.ticket.number for draft in drafts),
            "ref": first._breakfix_monthly_ref(month)
            + "".join(
                dict.fromkeys(
                    draft.ticket._breakfix_invoice_po_suffix() for draft in drafts
                )
            ),
            "invoice_line_ids": [
                Command.create({**line, "sequence": sequence})
                for sequence, line in enumerate(lines, start=1)
            ],
        }
        if period_end:
            vals["invoice_date"] = period_end
        else:
            vals["date"] = month
        return vals

    @api.model
    def _breakfix_merged_prepaid_lines(self, drafts, prepaid):
        """The invoice line values of the ``drafts``' prepaid draws, one per
        block and tax set, the usage rows of every ticket on the block's
        first line; of no ticket: each usage row says whose."""
        draws = [draw for draft in drafts for draw in draft.draws]
        if not draws:
            return []
        usage = {}
        for draft in drafts:
            for draw in draft.draws:
                usage.setdefault(draw.block.key, []).append(
                    draft.ticket._breakfix_prepaid_usage_command(draw)
                )
        drawer = next(draft.ticket for draft in drafts if draft.draws)
        customer_lang = drawer._breakfix_in_customer_lang()
        lines = []
        for total in pricing.merge_draws(
            prepaid.rules[drawer], draws, translate=customer_lang.env._
        ):
            for index, line in enumerate(total.lines):
                extra = (
                    {"breakfix_prepaid_usage_ids": usage[total.block.key]}
                    if index == 0
                    else {}
                )
                lines.append(
                    drawer._breakfix_prepare_invoice_line(
                        line, breakfix_ticket_id=False, **extra
                    )
                )
        return lines

    def _breakfix_monthly_ref(self, month):
        """The reference of a monthly invoice of ``month`` (a day of it), in
        the customer's language: "Break/fix November 2026"."""
        self.ensure_one()
        ticket = self._breakfix_in_customer_lang()
        return ticket.env._(
            "Break/fix %(month)s",
            month=format_date(ticket.env, month, date_format="MMMM y"),
        )
