# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from odoo import api, fields, models

from .constants import INVOICING_MODES, INVOICING_PER_TICKET, MANAGERS


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "breakfix.field.access"]

    _breakfix_field_writers = {
        "breakfix_rate_card_id": MANAGERS,
        "breakfix_invoicing_mode": MANAGERS,
    }

    breakfix_rate_card_id = fields.Many2one(
        comodel_name="breakfix.rate.card",
        string="Default Rate Card",
        ondelete="restrict",
        check_company=True,
        help="Prices the break/fix work of customers without their own rate card.",
    )

    breakfix_invoicing_mode = fields.Selection(
        selection=INVOICING_MODES,
        string="Break/fix Invoicing",
        required=True,
        default=INVOICING_PER_TICKET,
        help="How the tickets of customers who do not say otherwise are "
        "invoiced: a draft per ticket when it closes, or one invoice per "
        "customer for the month, drafted on the first of the next.",
    )

    @api.constrains("breakfix_rate_card_id")
    def _check_breakfix_rate_card_company(self):
        # res.company does not check companies on its own writes
        self._check_company(["breakfix_rate_card_id"])

    def write(self, vals):
        result = super().write(vals)
        if vals.get("breakfix_rate_card_id"):
            self._breakfix_fill_missing_rate_cards()
        if "breakfix_invoicing_mode" in vals:
            self._breakfix_set_partner_invoicing_default()
        return result

    def _breakfix_set_partner_invoicing_default(self):
        """The company's invoicing mode is the default of its customers'
        (company-dependent) one: Odoo reads and searches a customer without
        its own value with the company's default (without one, the global
        default of the addon's data: per ticket)."""
        IrDefault = self.env["ir.default"].sudo()
        for company in self:
            IrDefault.set(
                "res.partner",
                "breakfix_invoicing_mode",
                company.breakfix_invoicing_mode,
                company_id=company.id,
            )

    def _breakfix_tz(self):
        """The time zone the company's break/fix days are counted in.

        Its default rate card's business hours, else its own address (the
        company's contact), else its working hours, else UTC; never the
        server's or the user's zone.
        """
        self.ensure_one()
        # whoever asks (a portal customer too): the zone is no secret
        company = self.sudo()
        return (
            company.breakfix_rate_card_id.calendar_id.tz
            or company.partner_id.tz
            or company.resource_calendar_id.tz
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
