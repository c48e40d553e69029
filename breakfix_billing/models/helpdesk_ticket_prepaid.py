# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import psycopg2.errors

from odoo import Command, models
from odoo.tools import SQL

from .. import pricing


class HelpdeskTicketPrepaid(models.Model):
    """Drafting draws the customer's prepaid blocks down (SPEC §9, the rule
    in ``pricing.prepaid``): which blocks a batch may draw, locked, and the
    draw of each ticket's draft."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    def _breakfix_lock_prepaid_blocks(self, skipped):
        """The usable blocks of the tickets' customers, their rows locked for
        the batch: ``{block: balance left}``. A customer whose block another
        run holds (or changed since this one began) is not drafted: its
        tickets go into ``skipped``; the others are returned."""
        blocks = (
            self.env["breakfix.prepaid.block"]
            .sudo()
            ._breakfix_usable(self.partner_id.commercial_partner_id, self.company_id)
        )
        busy_customers = self.env["res.partner"]
        balances = {}
        for customer, customer_blocks in blocks.grouped("partner_id").items():
            try:
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(
                        SQL(
                            "SELECT id FROM breakfix_prepaid_block WHERE id IN %s "
                            "ORDER BY id FOR UPDATE SKIP LOCKED",
                            tuple(customer_blocks.ids),
                        ),
                        log_exceptions=False,
                    )
                    locked = {row[0] for row in self.env.cr.fetchall()}
            except psycopg2.errors.SerializationFailure:
                locked = set()
            if locked != set(customer_blocks.ids):
                busy_customers |= customer
                continue
            for block in customer_blocks:
                balances[block] = pricing.to_decimal(block.balance)
        busy = self.env._(
            "another invoicing run is drawing the customer's prepaid block."
        )
        tickets = self.browse()
        for ticket in self:
            if ticket.partner_id.commercial_partner_id in busy_customers:
                skipped[ticket] = busy
            else:
                tickets |= ticket
        return tickets, balances

    def _breakfix_draw_prepaid(self, result, charges, balances):
        """The ``charges`` of the ticket's draft with the draws of its
        customer's blocks (``balances``, as ``_breakfix_lock_prepaid_blocks``
        gives them, updated here), and the ``pricing.PrepaidDraw``s."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        currency = self.breakfix_rate_card_id.currency_id
        blocks = [
            pricing.PrepaidBlock(
                key=block.id,
                name=block.name,
                unit=block.unit,
                balance=balance,
                date_from=block.date_from or None,
                date_to=block.date_to or None,
                covers_fees=block.covers_fees,
            )
            for block, balance in balances.items()
            if block.partner_id == customer
            and block.company_id == self.company_id
            and block.currency_id == currency
            and balance > 0
        ]
        if not blocks:
            return charges, []
        billable_days = [
            line.local_date
            for line in result.lines
            if line.kind == pricing.KIND_LABOUR and line.billable and line.local_date
        ]
        lines, draws = pricing.prepaid_lines(
            result.rules,
            charges,
            blocks,
            first_work_day=min(billable_days, default=None),
            tax_key_of=self._breakfix_charge_tax_keys(),
            translate=self.env._,
        )
        Block = self.env["breakfix.prepaid.block"]
        for draw in draws:
            balances[Block.browse(draw.block.key)] = draw.balance
        return lines, draws

    def _breakfix_prepaid_usage_values(self, draws):
        """``{id(first line of a draw): [Command.create(usage values)]}``: the
        usage row of each draw, on the first of its invoice lines."""
        day = self.company_id._breakfix_today()
        return {
            id(draw.lines[0]): [
                Command.create(
                    {
                        "block_id": draw.block.key,
                        "ticket_id": self.id,
                        "quantity": float(draw.quantity),
                        "amount": float(draw.amount),
                        "date": day,
                    }
                )
            ]
            for draw in draws
            if draw.lines
        }
