# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from odoo import api, fields, models

from .constants import MANAGERS


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "breakfix.field.access"]

    _breakfix_field_writers = {"breakfix_rate_card_id": MANAGERS}

    breakfix_rate_card_id = fields.Many2one(
        comodel_name="breakfix.rate.card",
        string="Default Rate Card",
        ondelete="restrict",
        check_company=True,
        help="Prices the break/fix work of customers without their own rate card.",
    )

    @api.constrains("breakfix_rate_card_id")
    def _check_breakfix_rate_card_company(self):
        # res.company does not check companies on its own writes
        self._check_company(["breakfix_rate_card_id"])

    def write(self, vals):
        result = super().write(vals)
        if vals.get("breakfix_rate_card_id"):
            self._breakfix_fill_missing_rate_cards()
        return result

    def _breakfix_tz(self):
        """The time zone the company's break/fix days are counted in.

        Its default rate card's business hours, else its own address (the
        company's contact), else its working hours, else UTC; never the
        server's or the user's zone.
        """
        self.ensure_one()
        return (
            self.breakfix_rate_card_id.calendar_id.tz
            or self.partner_id.tz
            or self.resource_calendar_id.tz
            or "UTC"
        )

    def _breakfix_today(self, moment=None):
        """The company's day at ``moment`` (UTC naive, default now): every
        day the addon dates or compares is one of these."""
        self.ensure_one()
        moment = moment or fields.Datetime.now()
        zone = ZoneInfo(self._breakfix_tz())
        return moment.replace(tzinfo=timezone.utc).astimezone(zone).date()

    def _breakfix_day_start(self, day=None):
        """The moment (UTC naive) the company's ``day`` (default today)
        begins, to compare with stored datetimes."""
        self.ensure_one()
        zone = ZoneInfo(self._breakfix_tz())
        start = datetime.combine(day or self._breakfix_today(), time.min, tzinfo=zone)
        return start.astimezone(timezone.utc).replace(tzinfo=None)

    def _breakfix_fill_missing_rate_cards(self):
        """Give tickets that had no rate card to price them the one that applies.

        Tickets of a company without a default rate card (or created before
        the addon was installed) stay unpriced until one exists; the cards of
        tickets already priced are left alone.
        """
        tickets = (
            self.env["helpdesk.ticket"]
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "in", self.ids),
                    ("breakfix_rate_card_id", "=", False),
                ]
            )
        )
        # recompute from the same trigger as a change of customer would
        tickets.modified(["partner_id"])
