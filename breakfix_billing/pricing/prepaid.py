"""Prepaid blocks drawn down by a draft's charges (docs/pricing.md §14),
free of the ORM.

The models read the customer's active, posted blocks in the invoice's
currency into ``PrepaidBlock`` values, pass the charges of the draft (the
output of ``invoicing.lines_to_invoice``: the not-to-exceed adjustment
already in) to ``prepaid_lines``, and turn what comes back into invoice
lines and usage rows.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .decimals import ONE, ZERO, _, quantize, to_decimal, untranslated
from .engine import ChargeLine
from .invoicing import split_by_taxes, split_pro_rata
from .kinds import (
    KIND_CALLOUT,
    KIND_ESTIMATE,
    KIND_LABOUR,
    KIND_MINIMUM,
    KIND_PREPAID,
    KIND_TRIP,
)

UNIT_HOURS = "hours"
UNIT_MONEY = "money"

# What a block pays: labour always; the fees only from a money block that
# covers them. Parts never.
FEES_DRAWN = (KIND_CALLOUT, KIND_MINIMUM, KIND_TRIP)
# The fees that have no day of their own: they take the ticket's first day
# of billable work.
FIRST_DAY_KINDS = (KIND_CALLOUT, KIND_MINIMUM)


@dataclass(frozen=True)
class PrepaidBlock:
    """A prepaid block (``breakfix.prepaid.block``) that may pay the draft:
    the caller gives only the customer's active blocks whose invoice is
    posted, in the invoice's currency; validity by day is applied here."""

    key: Any
    name: str
    unit: str  # UNIT_HOURS or UNIT_MONEY
    # what is left, in hours or in the invoice's currency
    balance: Any
    date_from: date | None = None
    date_to: date | None = None  # None: no expiry
    covers_fees: bool = False

    def __post_init__(self):
        if self.unit not in (UNIT_HOURS, UNIT_MONEY):
            raise ValueError(f"unit of a prepaid block: {self.unit!r}")

    def pays(self, kind):
        if kind == KIND_LABOUR:
            return True
        return self.unit == UNIT_MONEY and self.covers_fees and kind in FEES_DRAWN

    def valid_on(self, day):
        return (
            day is not None
            and (self.date_from is None or self.date_from <= day)
            and (self.date_to is None or day <= self.date_to)
        )

    def order(self):
        """Earliest expiry first, no expiry last; then the oldest."""
        return (
            self.date_to is None,
            self.date_to or date.max,
            self.date_from or date.min,
            str(self.key),
        )


@dataclass(frozen=True)
class PrepaidPayment:
    """What one block paid of one charge."""

    # the charge, as it was given (the same object)
    charge: ChargeLine
    # in the block's unit: hours × the line's factor, or money
    quantity: Decimal
    # money, untaxed
    amount: Decimal
    # the taxes of the charge's invoice line
    tax_key: Any = None


@dataclass
class PrepaidDraw:
    """What one block pays on the draft."""

    block: PrepaidBlock
    # drawn, in the block's unit
    quantity: Decimal
    # drawn, in money (what the negative lines take off)
    amount: Decimal
    # the block's balance after the draw, in its unit
    balance: Decimal
    payments: list = field(default_factory=list)
    # the block's negative lines (among those ``prepaid_lines`` returns)
    lines: list = field(default_factory=list)


@dataclass
class _Held:
    """An eligible charge and what the invoice still holds of it."""

    charge: ChargeLine
    day: date
    tax_key: Any
    money: Decimal  # held after the not-to-exceed adjustment
    units: Decimal  # the same in hours × factor (labour)
    money_left: Decimal = ZERO
    units_left: Decimal = ZERO

    def __post_init__(self):
        self.money_left, self.units_left = self.money, self.units

    def draw(self, block, balance, rules):
        """Draw from ``block`` (``balance`` left): ``(quantity, amount)``."""
        if self.money_left <= 0:
            return ZERO, ZERO
        if block.unit == UNIT_MONEY:
            amount = min(self.money_left, balance)
            self.money_left -= amount
            self.units_left = (
                rules.hours(self.units * self.money_left / self.money)
                if self.money_left
                else ZERO
            )
            return amount, amount
        if self.units_left <= 0:
            return ZERO, ZERO
        quantity = min(self.units_left, balance)
        if quantity == self.units_left:
            amount = self.money_left
        else:
            # the last line in part, pro rata of its hours × factor
            amount = min(
                self.money_left,
                quantize(self.money * quantity / self.units, rules.currency_digits),
            )
        self.units_left -= quantity
        self.money_left -= amount
        return quantity, amount


def _charge_tax_key(charge):
    return charge.tax_key


def _held_charges(rules, charges, first_work_day, tax_key_of):
    """The charges a block may pay, in time order, with what the invoice
    still holds of each after its not-to-exceed adjustment: a negative
    adjustment under a tax set takes the same share off each charge of that
    set (it was split over them pro rata, docs/pricing.md §9.5)."""
    digits = rules.currency_digits
    due = [
        (position, charge)
        for position, charge in enumerate(charges)
        if charge.billable and charge.kind not in (KIND_ESTIMATE, KIND_PREPAID)
    ]
    due_by_taxes, adjusted = {}, {}
    for _position, charge in due:
        key = tax_key_of(charge)
        due_by_taxes[key] = due_by_taxes.get(key, ZERO) + charge.amount
    for charge in charges:
        # a positive adjustment gives back earlier invoices' excess: it holds
        # no more of this draft's charges
        if charge.kind == KIND_ESTIMATE and charge.amount < 0:
            adjusted[charge.tax_key] = (
                adjusted.get(charge.tax_key, ZERO) + charge.amount
            )
    stray = sum((a for k, a in adjusted.items() if k not in due_by_taxes), ZERO)
    if stray:
        for key, share in split_pro_rata(stray, due_by_taxes, digits).items():
            adjusted[key] = adjusted.get(key, ZERO) + share
    if first_work_day is None:
        first_work_day = min(
            (
                charge.local_date
                for _position, charge in due
                if charge.kind == KIND_LABOUR and charge.local_date
            ),
            default=None,
        )
    eligible = [
        (position, charge)
        for position, charge in due
        if charge.amount > 0
        and (charge.kind == KIND_LABOUR or charge.kind in FEES_DRAWN)
    ]
    held_money = {position: charge.amount for position, charge in eligible}
    for key, adjustment in adjusted.items():
        if key not in due_by_taxes or not adjustment:
            continue
        lines = {p: c.amount for p, c in eligible if tax_key_of(c) == key}
        weight = sum(lines.values(), ZERO)
        if not weight:
            continue
        due_amount = due_by_taxes[key]
        left = max(ZERO, due_amount + adjustment)
        held = min(weight, quantize(weight * left / due_amount, digits))
        held_money.update(
            split_pro_rata(held, lines, digits) if held else dict.fromkeys(lines, ZERO)
        )
    result = []
    for position, charge in eligible:
        day = first_work_day if charge.kind in FIRST_DAY_KINDS else charge.local_date
        money = held_money[position]
        if day is None or money <= 0:
            continue
        units = rules.hours(charge.quantity * to_decimal(charge.factor))
        if money != charge.amount:
            units = rules.hours(units * money / charge.amount)
        result.append(
            (day, position, _Held(charge, day, tax_key_of(charge), money, units))
        )
    result.sort(key=lambda item: item[:2])
    return [held for _day, _position, held in result]


def _draw_label(rules, draw, translate):
    block = draw.block
    if block.unit == UNIT_HOURS:
        return translate(
            _(  # pylint: disable=prefer-env-translation
                "Prepaid: %(block)s · %(applied)s h applied, %(left)s h left"
            ),
            block=block.name,
            applied=str(rules.hours(draw.quantity)),
            left=str(rules.hours(draw.balance)),
        )
    return translate(
        _(  # pylint: disable=prefer-env-translation
            "Prepaid: %(block)s · %(applied)s applied, %(left)s left"
        ),
        block=block.name,
        applied=str(quantize(draw.quantity, rules.currency_digits)),
        left=str(quantize(draw.balance, rules.currency_digits)),
    )


def prepaid_lines(
    rules, charges, blocks, first_work_day=None, tax_key_of=None, translate=None
):
    """The draft's lines with the prepaid ``blocks`` drawn: ``(lines,
    draws)``.

    ``charges`` are the draft's (``lines_to_invoice``'s output, its
    not-to-exceed adjustment included); ``lines`` are those charges followed
    by one negative ``prepaid`` line per block drawn and tax set of what it
    paid (``tax_key`` set, ``source_key`` the block's key); ``draws`` one
    ``PrepaidDraw`` per block drawn, in the order they were drawn.

    A block pays, in time order, the labour (and, for a money block that
    covers fees, the call-out, minimum and trip fees) of the days within its
    validity, earliest expiry first: an hours block hours × the line's time
    factor, the last line in part, a money block the untaxed amounts. A
    labour or trip line's day is its ``local_date``; a call-out fee's and a
    minimum charge's is ``first_work_day`` (the ticket's first day of
    billable work), by default the earliest day of the labour among the
    charges. ``tax_key_of(charge)`` gives the tax set of a charge's invoice
    line (by default its ``tax_key``), to match the adjustment's lines.
    """
    translate = translate or untranslated
    tax_key_of = tax_key_of or _charge_tax_key
    held = _held_charges(rules, charges, first_work_day, tax_key_of)
    lines, draws = list(charges), []
    for block in sorted(blocks, key=PrepaidBlock.order):
        balance = to_decimal(block.balance)
        draw = PrepaidDraw(block, ZERO, ZERO, balance)
        for item in held:
            if draw.balance <= 0:
                break
            if not block.pays(item.charge.kind) or not block.valid_on(item.day):
                continue
            quantity, amount = item.draw(block, draw.balance, rules)
            if not quantity:
                continue
            draw.payments.append(
                PrepaidPayment(item.charge, quantity, amount, item.tax_key)
            )
            draw.quantity += quantity
            draw.amount += amount
            draw.balance -= quantity
        if not draw.payments:
            continue
        weights = {}
        for payment in draw.payments:
            weights[payment.tax_key] = (
                weights.get(payment.tax_key, ZERO) + payment.amount
            )
        line = ChargeLine(
            kind=KIND_PREPAID,
            label=_draw_label(rules, draw, translate),
            quantity=ONE,
            price_unit=-draw.amount,
            amount=-draw.amount,
            billable=True,
            source_key=block.key,
        )
        draw.lines = split_by_taxes(rules, line, weights) if draw.amount else []
        lines.extend(draw.lines)
        draws.append(draw)
    return lines, draws


def merge_draws(rules, draws, translate=None):
    """The ``draws`` of several drafts on one invoice (SPEC §10): one
    ``PrepaidDraw`` per block, in the order the blocks were first drawn; its
    quantity, amount and payments those of all its draws, its balance the
    one left after the last, and its ``lines`` one negative ``prepaid`` line
    per tax set, the sum of the drafts' lines of that set, labelled as one
    draw."""
    translate = translate or untranslated
    merged, amounts = {}, {}
    for draw in draws:
        key = draw.block.key
        if key not in merged:
            merged[key] = PrepaidDraw(draw.block, ZERO, ZERO, draw.balance)
            amounts[key] = {}
        total = merged[key]
        total.quantity += draw.quantity
        total.amount += draw.amount
        total.balance = min(total.balance, draw.balance)
        total.payments.extend(draw.payments)
        for line in draw.lines:
            by_taxes = amounts[key]
            by_taxes[line.tax_key] = by_taxes.get(line.tax_key, ZERO) + line.amount
    for key, total in merged.items():
        label = _draw_label(rules, total, translate)
        total.lines = [
            ChargeLine(
                kind=KIND_PREPAID,
                label=label,
                quantity=ONE,
                price_unit=amount,
                amount=amount,
                billable=True,
                source_key=key,
                tax_key=tax_key,
            )
            for tax_key, amount in amounts[key].items()
            if amount
        ]
    return list(merged.values())
