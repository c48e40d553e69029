"""The kinds of charge on a ticket's bill: one table, read everywhere.

Each row says what the pricing, the invoicing and the reports need to know
of a kind (docs/pricing.md §7): its place on the invoice, whether its
quantity is hours, how often it is invoiced, and the product that invoices
it. The engine, the invoice lines' selection, the ticket's and the portal's
lists of charges, the billing report's query and the per-kind amounts of the
ticket all read it; a new kind is a row here, its product's data, and its
own fields (a ticket field ``breakfix_<key>_amount`` shows the amount of
each kind the engine prices).
"""

from dataclasses import dataclass
from typing import Any

from .decimals import ZERO, _, to_decimal

# How often a kind is invoiced (``ChargeKind.invoiced``).
PER_TICKET = "ticket"  # once per ticket: a later invoice does not charge it again
PER_DAY = "day"  # once per day of work (the line's ``local_date``)
PER_SOURCE = "source"  # once per time entry or part (the line's ``source_key``)
PER_DRAFT = "draft"  # worked out anew for each draft (not-to-exceed, prepaid)

# What a kind's line comes from (``ChargeKind.source``).
SOURCE_ENTRY = "entry"  # a time entry of the ticket
SOURCE_PART = "part"  # a part used on the ticket

# The product of a kind (``ChargeKind.product``) that is not one of the
# addon's own products (an XML id in the addon's data).
PRODUCT_OF_WORK_TYPE = "work_type"  # the work type's product, invoiced in hours
PRODUCT_OF_PART = "part"  # the part's own product and unit of measure


@dataclass(frozen=True)
class ChargeKind:
    key: str
    # the English label: the selection label of the invoice line's
    # ``breakfix_kind``, which the models show translated
    label: str
    counts_hours: bool
    invoiced: str
    product: str
    source: str | None = None
    # the kind's lines, when the table prices it: ``lines(pricer, entries,
    # results)`` (the engine's pricer — its ``rules``, ``ticket``, ``_`` and
    # ``onsite_days`` — the ticket's entries in time order and their
    # ``EntryResult``s by key) gives its ``ChargeLine``s
    lines: Any = None


KIND_CALLOUT = "callout"
KIND_LABOUR = "labour"
KIND_MINIMUM = "minimum"
KIND_TRIP = "trip"
KIND_MILEAGE = "mileage"
KIND_MATERIAL = "material"
KIND_ESTIMATE = "estimate"
KIND_PREPAID = "prepaid"


def mileage_lines(pricer, entries, results):
    """One "Mileage" line per on-site day (the days of the trip fee): the
    round trip's kilometres at the rate card's rate a kilometre
    (``kind_terms["mileage"]["rate"]``; 0: none). A day's distance is its
    first entry's (``extra["distance_km"]``: the entry's own, else the
    site's)."""
    from .engine import ChargeLine  # the engine reads this table

    rules = pricer.rules
    rate = to_decimal(rules.kind_terms.get(KIND_MILEAGE, {}).get("rate") or 0)
    if rate <= 0:
        return []
    lines = []
    for day, day_entries in pricer.onsite_days(entries, results).items():
        km = to_decimal(day_entries[0].extra.get("distance_km") or 0)
        if km <= ZERO:
            continue
        price_unit = rules.price(rate)
        km_text = f"{km.normalize():f}"
        lines.append(
            ChargeLine(
                kind=KIND_MILEAGE,
                label=pricer._(
                    _("Mileage · %(date)s · %(km)s km"),  # pylint: disable=prefer-env-translation
                    date=day.isoformat(),
                    km=km_text,
                ),
                quantity=km,
                price_unit=price_unit,
                amount=rules.amount(km, price_unit),
                billable=pricer.ticket.billable,
                local_date=day,
            )
        )
    return lines


# In invoice order: a ticket's lines come in the order of their kind here.
CHARGE_KINDS = (
    ChargeKind(
        KIND_CALLOUT,
        "Call-out fee",
        counts_hours=False,
        invoiced=PER_TICKET,
        product="product_breakfix_callout",
    ),
    ChargeKind(
        KIND_LABOUR,
        "Labour",
        counts_hours=True,
        invoiced=PER_SOURCE,
        product=PRODUCT_OF_WORK_TYPE,
        source=SOURCE_ENTRY,
    ),
    ChargeKind(
        KIND_MINIMUM,
        "Minimum charge",
        counts_hours=True,
        invoiced=PER_TICKET,
        product=PRODUCT_OF_WORK_TYPE,
    ),
    ChargeKind(
        KIND_TRIP,
        "Trip fee",
        counts_hours=False,
        invoiced=PER_DAY,
        product="product_breakfix_trip",
    ),
    ChargeKind(
        KIND_MILEAGE,
        "Mileage",
        counts_hours=False,
        invoiced=PER_DAY,
        product="product_breakfix_mileage",
        lines=mileage_lines,
    ),
    ChargeKind(
        KIND_MATERIAL,
        "Part",
        counts_hours=False,
        invoiced=PER_SOURCE,
        product=PRODUCT_OF_PART,
        source=SOURCE_PART,
    ),
    ChargeKind(
        KIND_ESTIMATE,
        "Not-to-exceed adjustment",
        counts_hours=False,
        invoiced=PER_DRAFT,
        product="product_breakfix_not_to_exceed",
    ),
    ChargeKind(
        KIND_PREPAID,
        "Prepaid draw",
        counts_hours=False,
        invoiced=PER_DRAFT,
        product="product_breakfix_prepaid",
    ),
)
KINDS = {kind.key: kind for kind in CHARGE_KINDS}
LINE_ORDER = tuple(kind.key for kind in CHARGE_KINDS)
HOUR_KINDS = tuple(kind.key for kind in CHARGE_KINDS if kind.counts_hours)
# The kinds whose lines come from no time entry nor part: they exist on the
# ticket's invoices only (the billing report reads them there).
# The kinds the engine prices; the others are worked out for each draft.
PRICED_KINDS = tuple(kind.key for kind in CHARGE_KINDS if kind.invoiced != PER_DRAFT)
FEE_KINDS = tuple(kind.key for kind in CHARGE_KINDS if kind.source is None)


def kind_selection():
    """The ``(key, label)`` pairs of a selection field, in invoice order."""
    return [(kind.key, kind.label) for kind in CHARGE_KINDS]
