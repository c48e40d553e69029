"""Break/fix pricing, free of the ORM.

The models gather their records into the plain values defined here and store
what comes back; everything SPEC §4 says about prices happens in this
package, so it can be read, tested and reasoned about on its own.
"""

from .timeline import BusinessCalendar, Piece, TimeCategory, split_by_calendar
from .engine import (
    KIND_CALLOUT,
    KIND_ESTIMATE,
    KIND_LABOUR,
    KIND_MATERIAL,
    KIND_MINIMUM,
    KIND_TRIP,
    ZERO,
    ChargeLine,
    EntryInput,
    EntryResult,
    MaterialInput,
    PricingError,
    PricingRules,
    RateTable,
    TicketInput,
    TicketResult,
    not_to_exceed_amount,
    not_to_exceed_line,
    price_ticket,
    quantize,
    round_minutes,
    split_by_taxes,
    split_pro_rata,
    to_decimal,
)
