"""The arithmetic and the messages the pricing package shares: decimals
from the ORM's floats, rounding half-up, and errors said in the reader's
language."""

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)


class PricingError(Exception):
    """A ticket that cannot be priced, and why, for the user.

    It keeps the English ``message`` and its ``params``: ``translated()``
    says it in the language of whoever reads it, which need not be the
    language the ticket was priced in (its invoice speaks its customer's).
    """

    def __init__(self, message, **params):
        super().__init__(untranslated(message, **params))
        self.message, self.params = message, params

    def translated(self, translate=None):
        return (translate or untranslated)(self.message, **self.params)


class NoRateCard(PricingError):
    """No rate card applies to the ticket."""

    def __init__(self):
        super().__init__(
            _(  # pylint: disable=prefer-env-translation
                "No rate card applies: give the customer a rate card, or the "
                "company a default one."
            )
        )


def _(message):
    """Marks ``message`` for Odoo's term extraction; it is translated when
    it is shown (``PricingError.translated``). The package has no ``env``:
    pylint-odoo's ``prefer-env-translation`` does not apply to the marker."""
    return message


def to_decimal(value):
    """Floats from the ORM become the decimal they were typed as."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value or 0.0)))


def quantize(value, digits, rounding=ROUND_HALF_UP):
    return to_decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=rounding)


def untranslated(message, **params):
    """The default ``translate``: the English message, with its values."""
    return message % params if params else message
