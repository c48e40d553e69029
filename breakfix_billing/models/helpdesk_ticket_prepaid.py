# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .. import pricing
from .constants import PRICE_GROUPS
from .row_locks import lock_rows


class PrepaidBatch:
    """What a drafting run's tickets draw from prepaid blocks: each block's
    balance left (``{block: Decimal}``), and each ticket's draws and the
    pricing rules they were drawn by; ``drafting`` when the draws are for
    real (a block skipped then says so on the ticket), not a preview."""

    def __init__(self, balances, drafting=True):
        self.balances = balances
        self.draws = {}
        self.rules = {}
        self.drafting = drafting


class HelpdeskTicketPrepaid(models.Model):
    """Drafting draws the customer's prepaid blocks down (SPEC §9, the rule
    in ``pricing.prepaid``): which blocks a batch may draw, locked, and the
    draw of each ticket's draft; the Billing tab shows what it would draw."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    breakfix_prepaid_balance = fields.Char(
        string="Prepaid Blocks",
        compute="_compute_breakfix_prepaid",
        help="What is left on the customer's prepaid blocks.",
        groups=PRICE_GROUPS,
    )
    breakfix_prepaid_draw = fields.Monetary(
        string="Prepaid Would Pay",
        compute="_compute_breakfix_prepaid",
        currency_field="breakfix_currency_id",
        help="What the customer's prepaid blocks would pay of the next draft "
        "(untaxed), as the ticket is saved.",
        groups=PRICE_GROUPS,
    )

    @api.depends("partner_id", "company_id", "breakfix_amount_to_invoice")
    def _compute_breakfix_prepaid(self):
        Block = self.env["breakfix.prepaid.block"].sudo()
        for ticket in self:
            origin = ticket._origin
            blocks = Block._breakfix_usable(
                ticket.partner_id.commercial_partner_id, ticket.company_id
            ).filtered(
                lambda block, ticket=ticket: (
                    block.currency_id == ticket.breakfix_currency_id
                )
            )
            ticket.breakfix_prepaid_balance = ", ".join(
                self.env._(
                    "%(block)s: %(balance)s left",
                    block=block.name,
                    balance=block.balance_text,
                )
                for block in blocks
            )
            draw = pricing.ZERO
            if blocks and origin.id:
                batch = PrepaidBatch(
                    {block: pricing.to_decimal(block.balance) for block in blocks},
                    drafting=False,
                )
                try:
                    charges = origin._breakfix_get_invoiceable_charges(prepaid=batch)
                except UserError:
                    charges = []
                draw = -sum(
                    (
                        line.amount
                        for line in charges
                        if line.kind == pricing.KIND_PREPAID
                    ),
                    pricing.ZERO,
                )
            ticket.breakfix_prepaid_draw = float(draw)

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
            locked = lock_rows(
                self.env.cr, "breakfix_prepaid_block", customer_blocks.ids
            )
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

    def _breakfix_draw_prepaid(self, result, charges, prepaid):
        """The ``charges`` of the ticket's draft with the draws of its
        customer's blocks (``prepaid.balances``, as
        ``_breakfix_lock_prepaid_blocks`` gives them, updated here), and the
        ``pricing.PrepaidDraw``s. A block in another currency than the
        invoice is not drawn: when drafting, the ticket says so."""
        self.ensure_one()
        balances = prepaid.balances
        customer = self.partner_id.commercial_partner_id
        currency = self.breakfix_rate_card_id.currency_id
        elsewhere = [
            block
            for block, balance in balances.items()
            if block.partner_id == customer
            and block.company_id == self.company_id
            and block.currency_id != currency
            and balance > 0
        ]
        if elsewhere and prepaid.drafting:
            self.message_post(
                body=self.env._(
                    "Prepaid block %(blocks)s not drawn: the invoice is in "
                    "%(currency)s, the block in another currency.",
                    blocks=", ".join(f"“{block.name}”" for block in elsewhere),
                    currency=currency.name,
                )
            )
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
        return {
            id(draw.lines[0]): [self._breakfix_prepaid_usage_command(draw)]
            for draw in draws
            if draw.lines
        }

    def _breakfix_prepaid_usage_command(self, draw):
        """The command creating the usage row of the ticket's ``draw``."""
        self.ensure_one()
        return Command.create(
            {
                "block_id": draw.block.key,
                "ticket_id": self.id,
                "quantity": float(draw.quantity),
                "amount": float(draw.amount),
                "date": self.company_id._breakfix_today(),
            }
        )
