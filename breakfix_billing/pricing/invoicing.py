"""What a ticket's next invoice charges, free of the ORM (docs/pricing.md §8
and §9): the charges still due after its earlier invoices, what those
invoices charge already, and the not-to-exceed adjustment split over the
taxes of the work it adjusts.

The models read the ticket's invoice lines into the plain values defined
here (``InvoicedLine``, ``Invoiced``) and turn the charges that come back
into invoice lines.
"""

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from .decimals import ONE, ZERO, _, quantize, to_decimal, untranslated
from .engine import ChargeLine
from .kinds import KIND_ESTIMATE, KIND_PREPAID, KINDS, PER_DAY, PER_SOURCE, PER_TICKET


@dataclass(frozen=True)
class InvoicedLine:
    """A line of the ticket's invoices that still charges its work: of a
    customer invoice (not a credit note), not cancelled, not released."""

    kind: str
    quantity: Any
    price_unit: Any
    # the sorted ids of its taxes
    tax_key: tuple = ()


@dataclass(frozen=True)
class Invoiced:
    """What the ticket's invoices charge already, by the rule of each kind
    (``ChargeKind.invoiced``)."""

    # the kinds invoiced once per ticket that an invoice charges
    kinds: frozenset = frozenset()
    # ``(kind, day)`` of the kinds invoiced once per day
    days: frozenset = frozenset()
    # {``ChargeKind.source``: keys of its invoiced time entries or parts}
    sources: dict = field(default_factory=dict)


class InvoicedAmounts(NamedTuple):
    """What a ticket's customer invoices charge (``Decimal``): the work
    before any not-to-exceed adjustment, the adjustments (0 or negative),
    and the adjustments by tax key."""

    work: Decimal
    adjusted: Decimal
    adjusted_by_taxes: dict


def is_due(line, invoiced):
    """Whether the charge ``line`` of a pricing result is still to invoice:
    billable, and not on an invoice yet by the rule of its kind (time
    entries and parts once, a call-out fee and a minimum charge once per
    ticket, a trip fee once per day)."""
    if not line.billable:
        return False
    kind = KINDS[line.kind]
    if kind.invoiced == PER_TICKET:
        return kind.key not in invoiced.kinds
    if kind.invoiced == PER_DAY:
        return (kind.key, line.local_date) not in invoiced.days
    if kind.invoiced == PER_SOURCE:
        return line.source_key not in invoiced.sources.get(kind.source, ())
    return True


def charges_due(lines, invoiced):
    """The charges of ``lines`` (a pricing result's) not invoiced yet."""
    return [line for line in lines if is_due(line, invoiced)]


def with_no_charge_lines(rules, lines, due, invoiced, translate=None):
    """The ``due`` charges with, in their place among ``lines`` (a pricing
    result's), the time entries and parts given free and on no invoice yet,
    as lines at 0.00 that show their value: "… · no charge, value 90.00"."""
    translate = translate or untranslated
    due_ids = {id(line) for line in due}
    result = []
    for line in lines:
        if id(line) in due_ids:
            result.append(line)
            continue
        kind = KINDS[line.kind]
        if (
            line.billable
            or kind.invoiced != PER_SOURCE
            or line.source_key in invoiced.sources.get(kind.source, ())
        ):
            continue
        value = str(quantize(line.amount, rules.currency_digits))
        # the trace of free time says "no charge" already
        free = translate(_("no charge"))  # pylint: disable=prefer-env-translation
        message = (
            _("%(label)s, value %(value)s")  # pylint: disable=prefer-env-translation
            if line.label.endswith(free)
            else _(  # pylint: disable=prefer-env-translation
                "%(label)s · no charge, value %(value)s"
            )
        )
        label = translate(message, label=line.label, value=value)
        result.append(
            replace(line, label=label, price_unit=ZERO, amount=ZERO, billable=True)
        )
    return result


def invoiced_amounts(lines, currency_digits):
    """The ``InvoicedAmounts`` of the ``InvoicedLine``s of a ticket.

    Amounts are quantity × unit price, as the pricing made them, not the
    invoice's subtotals (tax-included prices make those differ). Prepaid
    draws are neither: they pay the work, they do not change its value.
    """
    work = adjusted = ZERO
    adjusted_by_taxes = {}
    for line in lines:
        amount = quantize(
            to_decimal(line.quantity) * to_decimal(line.price_unit), currency_digits
        )
        if line.kind == KIND_ESTIMATE:
            adjusted += amount
            adjusted_by_taxes[line.tax_key] = (
                adjusted_by_taxes.get(line.tax_key, ZERO) + amount
            )
        elif line.kind != KIND_PREPAID:
            work += amount
    return InvoicedAmounts(work, adjusted, adjusted_by_taxes)


def total(lines):
    """The sum of the charges' amounts (``Decimal``)."""
    return sum((line.amount for line in lines), ZERO)


def lines_to_invoice(rules, due, adjustment, invoiced, due_by_taxes):
    """The charges of the next invoice: the ``due`` ones, and the
    not-to-exceed ``adjustment`` (None: none) as one line per tax set.

    A negative adjustment is taken off the due lines, under their taxes
    (``due_by_taxes()`` gives them: ``{tax key: amount}``); a positive one
    gives back the earlier adjustments (``invoiced``'s ``InvoicedAmounts``),
    under theirs.
    """
    if not adjustment:
        return due
    if adjustment.amount < 0:
        weights = due_by_taxes()
    else:
        weights = {key: -amount for key, amount in invoiced.adjusted_by_taxes.items()}
    return [*due, *split_by_taxes(rules, adjustment, weights)]


def not_to_exceed_amount(estimate, work, adjusted, due, approved=False):
    """The not-to-exceed adjustment of a ticket's next draft (Decimal; 0 for
    none), by the cumulative rule.

    ``work`` is the value of all the ticket's billable work, invoiced and
    ``due`` on this draft, before any adjustment; ``adjusted`` the sum of the
    adjustments its invoices already carry (0 or negative). Together the
    adjustments should come to the target: nothing when the overrun is
    approved or there is no estimate, else what the work exceeds the
    estimate by. The draft carries the difference: negative takes more off,
    positive gives back what was taken off too much (the estimate raised or
    removed, the overrun approved). A draft never goes below zero: the
    adjustment never takes off more than ``due``.
    """
    estimate = to_decimal(estimate)
    if approved or estimate <= 0:
        target = ZERO
    else:
        target = min(ZERO, estimate - to_decimal(work))
    return max(target - to_decimal(adjusted), -to_decimal(due))


def not_to_exceed_line(
    rules, estimate, work, adjusted, due, approved=False, translate=None
):
    """The line of ``not_to_exceed_amount``, or None when it is zero.

    A negative line takes the excess off ("Not-to-exceed adjustment"); a
    positive one reverses earlier adjustments and says so.
    """
    translate = translate or untranslated
    price_unit = rules.price(
        not_to_exceed_amount(estimate, work, adjusted, due, approved)
    )
    if not price_unit:
        return None
    digits = Decimal(1).scaleb(-rules.currency_digits)
    params = {
        "estimate": str(to_decimal(estimate).quantize(digits, ROUND_HALF_UP)),
        "work": str(to_decimal(work).quantize(digits, ROUND_HALF_UP)),
    }
    if price_unit < 0:
        label = translate(
            "Not-to-exceed adjustment: estimate %(estimate)s, work %(work)s", **params
        )
    elif approved:
        label = translate(
            "Not-to-exceed adjustment reversed: overrun approved, work %(work)s",
            **params,
        )
    elif to_decimal(estimate) <= 0:
        label = translate(
            "Not-to-exceed adjustment reversed: no estimate any more, work %(work)s",
            **params,
        )
    else:
        label = translate(
            "Not-to-exceed adjustment reversed: estimate %(estimate)s, work %(work)s",
            **params,
        )
    return ChargeLine(
        kind=KIND_ESTIMATE,
        label=label,
        quantity=ONE,
        price_unit=price_unit,
        amount=rules.amount(ONE, price_unit),
        billable=True,
    )


def split_pro_rata(amount, weights, digits):
    """Split ``amount`` over the keys of ``weights`` in proportion to them,
    each share rounded to ``digits``; the rounding remainder goes to the
    largest weight (the first of equal ones), so that the shares add up to
    ``amount`` exactly. Keys of zero weight get nothing; no weight at all:
    ``{None: amount}``."""
    amount = to_decimal(amount)
    weights = {key: to_decimal(w) for key, w in weights.items() if to_decimal(w)}
    total = sum(weights.values(), ZERO)
    if not total:
        return {None: amount}
    shares = {key: quantize(amount * w / total, digits) for key, w in weights.items()}
    largest = max(weights, key=lambda key: abs(weights[key]))
    shares[largest] += amount - sum(shares.values(), ZERO)
    return shares


def split_by_taxes(rules, line, weights):
    """The not-to-exceed ``line`` as one line per tax set, pro rata of
    ``weights`` (``{tax_key: amount}``: the due lines it takes off from, or
    the earlier adjustments it reverses); each line's ``tax_key`` names its
    tax set (None: the adjustment product's own taxes)."""
    shares = split_pro_rata(line.amount, weights, rules.currency_digits)
    return [
        replace(line, price_unit=share, amount=share, tax_key=key)
        for key, share in shares.items()
        if share
    ]
