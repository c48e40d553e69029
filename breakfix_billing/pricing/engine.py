"""Price a ticket: labour pieces, fees and parts (docs/pricing.md §2–§7).

All arithmetic is ``Decimal`` and rounds half-up at the precisions Odoo uses
for the invoice line (hours at the UoM's digits, unit prices at "Product
Price", amounts at the currency's), so that every line's quantity × unit
price is exactly its amount, and the amounts shown on the ticket are the
ones the invoice will carry.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from .decimals import (
    ONE,
    ZERO,
    PricingError,
    _,
    quantize,
    to_decimal,
    untranslated,
)
from .kinds import (
    CHARGE_KINDS,
    HOUR_KINDS,
    KIND_CALLOUT,
    KIND_LABOUR,
    KIND_MATERIAL,
    KIND_MINIMUM,
    KIND_TRIP,
    LINE_ORDER,
)
from .timeline import BusinessCalendar, TimeCategory, split_by_calendar

SECONDS_PER_HOUR = Decimal(3600)


def round_minutes(seconds, step_minutes, method):
    """Round a duration in seconds to ``step_minutes`` (0: no rounding)."""
    if not step_minutes:
        return seconds
    step = step_minutes * 60
    rounding = {"up": ROUND_CEILING, "down": ROUND_FLOOR}.get(method, ROUND_HALF_UP)
    steps = (Decimal(seconds) / step).quantize(ONE, rounding=rounding)
    return int(steps) * step


def format_factor(factor):
    text = f"{to_decimal(factor).normalize():f}"
    return text if "." in text else f"{text}.0"


def short_name(name):
    """ "John Smith" → "J. Smith", as on a printed timesheet."""
    parts = (name or "").split()
    if len(parts) < 2:
        return name or ""
    return " ".join([*(f"{p[0]}." for p in parts[:-1]), parts[-1]])


@dataclass(frozen=True)
class PricingRules:
    """A rate card's rules, as plain values."""

    name: str = ""
    rounding_minutes: int = 15
    rounding_method: str = "up"
    minimum_minutes: int = 0
    after_hours_factor: Decimal = Decimal("1.5")
    weekend_factor: Decimal = Decimal("2.0")
    holiday_factor: Decimal = Decimal("2.0")
    emergency_factor: Decimal = Decimal("1.0")
    callout_fee: Decimal = ZERO
    trip_fee: Decimal = ZERO
    material_pricing: str = "pricelist"
    material_markup: Decimal = ZERO
    calendar: BusinessCalendar | None = None
    # the terms of the kinds the table prices (``ChargeKind.lines``), by
    # kind: ``{kind: {term: value}}``
    kind_terms: dict = field(default_factory=dict)
    hours_digits: int = 2
    price_digits: int = 2
    currency_digits: int = 2

    def factor(self, category):
        return to_decimal(
            {
                TimeCategory.BUSINESS: ONE,
                TimeCategory.AFTER_HOURS: self.after_hours_factor,
                TimeCategory.WEEKEND: self.weekend_factor,
                TimeCategory.HOLIDAY: self.holiday_factor,
            }[category]
        )

    def price(self, value):
        return quantize(value, self.price_digits)

    def hours(self, value):
        return quantize(value, self.hours_digits)

    def amount(self, quantity, price_unit):
        return quantize(
            to_decimal(quantity) * to_decimal(price_unit), self.currency_digits
        )

    def material_price_unit(self, unit_cost, pricelist_price, at_cost=False):
        """The sale price of a part, before any manager's override: an
        expense rebilled ``at_cost`` (parking, tolls, couriers) at its cost,
        whatever the parts pricing."""
        if at_cost:
            return self.price(unit_cost)
        if self.material_pricing == "cost_plus":
            markup = ONE + to_decimal(self.material_markup) / 100
            return self.price(to_decimal(unit_cost) * markup)
        return self.price(pricelist_price)


@dataclass(frozen=True)
class RateTable:
    """Hourly rates: the rate card's lines, then each work type's own rate.

    ``card_rates`` maps ``(work_type_key, employee_key)`` to a rate, with
    ``employee_key`` None for the line that applies to everybody;
    ``default_rates`` maps a work type to its ``hourly_rate``.
    """

    card_rates: dict = field(default_factory=dict)
    default_rates: dict = field(default_factory=dict)

    def rate_for(self, work_type_key, employee_key=None):
        for key in ((work_type_key, employee_key), (work_type_key, None)):
            if key in self.card_rates:
                return to_decimal(self.card_rates[key])
        rate = to_decimal(self.default_rates.get(work_type_key) or 0)
        return rate if rate > 0 else None


@dataclass(frozen=True)
class EntryInput:
    """A time entry (``account.analytic.line``) of the ticket."""

    key: Any
    start: datetime
    hours: Any
    work_type_key: Any
    work_type_name: str
    employee_key: Any = None
    employee_name: str = ""
    onsite: bool = False
    billable: bool = True
    # the hours a billing manager bills instead of the rounded duration
    # (None: the rounding applies), and who set them
    billed_hours_override: Any = None
    override_by: str = ""
    # what the kinds the table prices read of the entry (``ChargeKind.lines``)
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class MaterialInput:
    """A part used on the ticket, its unit price already decided."""

    key: Any
    name: str
    quantity: Any
    price_unit: Any
    billable: bool = True
    uom_name: str = ""
    at_cost: bool = False


@dataclass(frozen=True)
class TicketInput:
    billable: bool = True
    emergency: bool = False
    entries: tuple = ()
    materials: tuple = ()


@dataclass
class ChargeLine:
    """One line of the ticket's bill (an invoice line, once drafted)."""

    kind: str
    label: str
    quantity: Decimal
    price_unit: Decimal
    amount: Decimal
    billable: bool
    source_key: Any = None
    work_type_key: Any = None
    local_date: date | None = None
    start: datetime | None = None
    factor: Decimal = ONE
    category: TimeCategory | None = None
    # the invoice line's taxes, when they are not its product's (not-to-exceed
    # adjustments follow the taxes of the lines they adjust)
    tax_key: Any = None


@dataclass
class EntryResult:
    key: Any
    running: bool = False
    logged_seconds: int = 0
    billed_seconds: int = 0
    billed_hours: Decimal = ZERO
    amount: Decimal = ZERO
    billable: bool = True
    lines: list = field(default_factory=list)


@dataclass
class TicketResult:
    lines: list = field(default_factory=list)
    entries: dict = field(default_factory=dict)
    rules: PricingRules | None = None

    def _sum(self, billable, kinds=LINE_ORDER):
        return sum(
            (
                line.amount
                for line in self.lines
                if line.billable is billable and line.kind in kinds
            ),
            ZERO,
        )

    @property
    def amount_to_invoice(self):
        return self._sum(True)

    @property
    def no_charge_value(self):
        return self._sum(False)

    def amount_of(self, kind):
        return self._sum(True, (kind,))

    @property
    def billed_hours(self):
        return sum(
            (line.quantity for line in self.lines
             if line.billable and line.kind in HOUR_KINDS),
            ZERO,
        )  # fmt: skip


def _allocate_hours(rules, pieces, total_hours):
    """Hours per piece at the UoM's digits, adding up to ``total_hours``."""
    unit = Decimal(1).scaleb(-rules.hours_digits)
    exact = [Decimal(p.seconds) / SECONDS_PER_HOUR for p in pieces]
    floored = [quantize(h, rules.hours_digits, ROUND_FLOOR) for h in exact]
    missing = int((total_hours - sum(floored, ZERO)) / unit)
    by_remainder = sorted(
        range(len(pieces)), key=lambda i: (-(exact[i] - floored[i]), i)
    )
    for index in by_remainder[: max(missing, 0)]:
        floored[index] += unit
    return floored


class _Pricer:
    def __init__(self, rules, rates, ticket, translate):
        self.rules, self.rates, self.ticket = rules, rates, ticket
        self._ = translate

    def rate(self, entry, employee_key):
        rate = self.rates.rate_for(entry.work_type_key, employee_key)
        if rate is None:
            raise PricingError(
                _(  # pylint: disable=prefer-env-translation
                    "No hourly rate for work type “%(work_type)s” on rate card "
                    "“%(rate_card)s”: add a line for it to the rate card or give "
                    "the work type a default rate."
                ),
                work_type=entry.work_type_name,
                rate_card=self.rules.name,
            )
        return rate

    def entry_billable(self, entry):
        return self.ticket.billable and entry.billable

    def price_entry(self, entry):
        logged = int(
            (to_decimal(entry.hours) * SECONDS_PER_HOUR).to_integral_value(
                ROUND_HALF_UP
            )
        )
        result = EntryResult(
            entry.key, logged_seconds=logged, billable=self.entry_billable(entry)
        )
        if logged <= 0:
            result.running = True
            return result
        rules = self.rules
        if entry.billed_hours_override is not None:
            billed = int(
                (
                    to_decimal(entry.billed_hours_override) * SECONDS_PER_HOUR
                ).to_integral_value(ROUND_HALF_UP)
            )
        else:
            billed = round_minutes(
                logged, rules.rounding_minutes, rules.rounding_method
            )
        result.billed_seconds = billed
        result.billed_hours = rules.hours(Decimal(billed) / SECONDS_PER_HOUR)
        pieces = split_by_calendar(rules.calendar, entry.start, billed)
        if not pieces:
            return result
        base_rate = self.rate(entry, entry.employee_key)
        hours = _allocate_hours(rules, pieces, result.billed_hours)
        for piece, piece_hours in zip(pieces, hours, strict=True):
            factor, reason = self._factor(piece.category)
            price_unit = rules.price(base_rate * factor)
            line = ChargeLine(
                kind=KIND_LABOUR,
                label=self._trace(entry, piece, piece_hours, result, factor, reason),
                quantity=piece_hours,
                price_unit=price_unit,
                amount=rules.amount(piece_hours, price_unit),
                billable=result.billable,
                source_key=entry.key,
                work_type_key=entry.work_type_key,
                local_date=piece.local_date,
                start=piece.start,
                factor=factor,
                category=piece.category,
            )
            result.lines.append(line)
            result.amount += line.amount
        return result

    def _factor(self, category):
        factor = self.rules.factor(category)
        if self.ticket.emergency:
            emergency = to_decimal(self.rules.emergency_factor)
            if emergency > factor:
                return emergency, "emergency"
        return factor, category.value

    def _trace(self, entry, piece, piece_hours, result, factor, reason):
        rules = self.rules
        parts = [
            piece.local_date.isoformat(),
            short_name(entry.employee_name),
            entry.work_type_name,
        ]
        hours_text = self._("%(hours)s h", hours=str(piece_hours))
        if entry.billed_hours_override is not None:
            hours_text = self._(
                "%(hours)s (logged %(logged)s h, set by %(user)s)",
                hours=hours_text,
                logged=str(
                    rules.hours(Decimal(result.logged_seconds) / SECONDS_PER_HOUR)
                ),
                user=short_name(entry.override_by),
            )
        elif result.billed_seconds != result.logged_seconds:
            logged_hours = rules.hours(
                Decimal(result.logged_seconds) / SECONDS_PER_HOUR
            )
            method = {
                "up": self._(
                    "rounded up to %(minutes)s min", minutes=rules.rounding_minutes
                ),
                "down": self._(
                    "rounded down to %(minutes)s min", minutes=rules.rounding_minutes
                ),
                "nearest": self._(
                    "rounded to the nearest %(minutes)s min",
                    minutes=rules.rounding_minutes,
                ),
            }[rules.rounding_method]
            hours_text = self._(
                "%(hours)s (logged %(logged)s h, %(rounding)s)",
                hours=hours_text,
                logged=str(logged_hours),
                rounding=method,
            )
        parts.append(hours_text)
        if factor != ONE or reason != TimeCategory.BUSINESS.value:
            label = {
                "business": self._("business hours"),
                "after_hours": self._("after hours"),
                "weekend": self._("weekend"),
                "holiday": self._("public holiday"),
                "emergency": self._("emergency"),
            }[reason]
            parts.append(f"{label} ×{format_factor(factor)}")
        if not result.billable:
            parts.append(self._("no charge"))
        return " · ".join(p for p in parts if p)

    def minimum_line(self, entries, results):
        rules = self.rules
        billable = [
            e for e in entries if results[e.key].billable and not results[e.key].running
        ]
        if not rules.minimum_minutes or not billable:
            return None
        billed = sum(results[e.key].billed_seconds for e in billable)
        missing = rules.minimum_minutes * 60 - billed
        if missing <= 0:
            return None
        first = billable[0]
        # the work type's base rate; a card with only per-technician rates for
        # it falls back to the rate of the technician who did that work
        rate = self.rates.rate_for(first.work_type_key) or self.rate(
            first, first.employee_key
        )
        quantity = rules.hours(Decimal(missing) / SECONDS_PER_HOUR)
        return ChargeLine(
            kind=KIND_MINIMUM,
            label=self._(
                "Minimum charge: %(minimum)s min per ticket, %(billed)s min billed",
                minimum=rules.minimum_minutes,
                billed=billed // 60,
            ),
            quantity=quantity,
            price_unit=rules.price(rate),
            amount=rules.amount(quantity, rules.price(rate)),
            billable=self.ticket.billable,
            work_type_key=first.work_type_key,
        )

    def onsite_days(self, entries, results):
        """``{day: [entries]}`` of the days of on-site work that are charged
        (or valued, on a ticket that is not billable), in day order: the
        days of the trip fee, and of the kinds charged per visit."""
        days = {}
        for entry in entries:
            result = results[entry.key]
            if (
                entry.onsite
                and result.lines
                and (result.billable or not self.ticket.billable)
            ):
                days.setdefault(result.lines[0].local_date, []).append(entry)
        return dict(sorted(days.items()))

    def trip_lines(self, entries, results):
        rules = self.rules
        fee = to_decimal(rules.trip_fee)
        if fee <= 0:
            return []
        days = self.onsite_days(entries, results)
        return [
            ChargeLine(
                kind=KIND_TRIP,
                label=self._("Trip fee · %(date)s", date=day.isoformat()),
                quantity=ONE,
                price_unit=rules.price(fee),
                amount=rules.amount(ONE, fee),
                billable=self.ticket.billable,
                local_date=day,
            )
            for day in days
        ]

    def callout_line(self):
        fee = to_decimal(self.rules.callout_fee)
        if not self.ticket.emergency or fee <= 0:
            return None
        return ChargeLine(
            kind=KIND_CALLOUT,
            label=self._("Emergency call-out fee"),
            quantity=ONE,
            price_unit=self.rules.price(fee),
            amount=self.rules.amount(ONE, fee),
            billable=self.ticket.billable,
        )

    def material_line(self, material):
        quantity = to_decimal(material.quantity)
        price_unit = self.rules.price(material.price_unit)
        label = material.name
        if material.at_cost:
            label = self._("%(part)s · at cost", part=label)
        return ChargeLine(
            kind=KIND_MATERIAL,
            label=label,
            quantity=quantity,
            price_unit=price_unit,
            amount=self.rules.amount(quantity, price_unit),
            billable=self.ticket.billable and material.billable,
            source_key=material.key,
        )


def price_ticket(rules, rates, ticket, translate=None):
    """Price a ticket; lines come in invoice order (the order of the kinds in
    ``kinds.CHARGE_KINDS``).

    ``translate(message, **params)`` says the lines' labels in the language
    of the invoice (the models pass ``env._``); by default they stay English.
    Raises ``PricingError`` when a billable entry has no rate.
    """
    pricer = _Pricer(rules, rates, ticket, translate or untranslated)
    entries = sorted(ticket.entries, key=lambda e: (e.start, str(e.key)))
    result = TicketResult(rules=rules)
    for entry in entries:
        result.entries[entry.key] = pricer.price_entry(entry)
    callout = pricer.callout_line()
    minimum = pricer.minimum_line(entries, result.entries)
    lines_by_kind = {
        KIND_CALLOUT: [callout] if callout else [],
        KIND_LABOUR: [line for e in entries for line in result.entries[e.key].lines],
        KIND_MINIMUM: [minimum] if minimum else [],
        KIND_TRIP: pricer.trip_lines(entries, result.entries),
        KIND_MATERIAL: [pricer.material_line(m) for m in ticket.materials],
    }
    # the kinds the table prices itself: a new kind is a row of the table
    for kind in CHARGE_KINDS:
        if kind.lines is not None:
            lines_by_kind[kind.key] = kind.lines(pricer, entries, result.entries)
    result.lines = [line for kind in LINE_ORDER for line in lines_by_kind.get(kind, ())]
    return result
