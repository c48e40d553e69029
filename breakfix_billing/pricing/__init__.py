"""Break/fix pricing and invoicing arithmetic, free of the ORM.

The models gather their records into the plain values defined here and store
what comes back; the rules of docs/pricing.md happen in this package, so
they can be read, tested and reasoned about on their own:

- ``kinds``: the kinds of charge, one table;
- ``timeline``: a time entry split by the rate card's business hours;
- ``engine``: the price of a ticket, line by line;
- ``invoicing``: what its next invoice charges;
- ``prepaid``: the customer's prepaid blocks drawn down by that invoice.
"""

from .kinds import (
    CHARGE_KINDS,
    FEE_KINDS,
    HOUR_KINDS,
    KIND_CALLOUT,
    KIND_ESTIMATE,
    KIND_LABOUR,
    KIND_MATERIAL,
    KIND_MINIMUM,
    KIND_PREPAID,
    KIND_MILEAGE,
    KIND_TRIP,
    KINDS,
    LINE_ORDER,
    PER_DAY,
    PER_DRAFT,
    PER_SOURCE,
    PER_TICKET,
    PRICED_KINDS,
    PRODUCT_OF_PART,
    PRODUCT_OF_WORK_TYPE,
    SOURCE_ENTRY,
    SOURCE_PART,
    ChargeKind,
    kind_selection,
)
from .decimals import ZERO, NoRateCard, PricingError, quantize, to_decimal
from .timeline import BusinessCalendar, Piece, TimeCategory, split_by_calendar
from .engine import (
    ChargeLine,
    EntryInput,
    EntryResult,
    MaterialInput,
    PricingRules,
    RateTable,
    TicketInput,
    TicketResult,
    price_ticket,
    round_minutes,
)
from .invoicing import (
    Invoiced,
    InvoicedAmounts,
    InvoicedLine,
    charges_due,
    invoiced_amounts,
    is_due,
    lines_to_invoice,
    not_to_exceed_amount,
    not_to_exceed_line,
    split_by_taxes,
    split_pro_rata,
    total,
    with_no_charge_lines,
)
from .prepaid import (
    UNIT_HOURS,
    UNIT_MONEY,
    PrepaidBlock,
    PrepaidDraw,
    PrepaidPayment,
    merge_draws,
    prepaid_lines,
)
