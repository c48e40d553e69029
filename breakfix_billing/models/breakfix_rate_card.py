# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .. import pricing
from .constants import MANAGERS, MAX_AMOUNT

# Premiums multiply the rate: a factor below 1 would silently discount the work.
FACTOR_FIELDS = (
    "after_hours_factor",
    "weekend_factor",
    "holiday_factor",
    "emergency_factor",
)
AMOUNT_FIELDS = (
    "callout_fee",
    "trip_fee",
    "mileage_rate",
    "managed_plan_monthly_price",
)
NON_NEGATIVE_FIELDS = (
    "rounding_minutes",
    "minimum_minutes",
    "material_markup",
    "warranty_days",
)


class BreakfixRateCard(models.Model):
    _name = "breakfix.rate.card"
    _description = "Break/fix Rate Card"
    _inherit = ["mail.thread", "breakfix.field.access"]
    _order = "name, id"
    _check_company_auto = True
    _breakfix_field_writers = dict.fromkeys(
        (
            "name",
            "active",
            "company_id",
            "currency_id",
            "line_ids",
            "rounding_minutes",
            "rounding_method",
            "minimum_minutes",
            "calendar_id",
            *FACTOR_FIELDS,
            *AMOUNT_FIELDS,
            "material_pricing",
            "material_markup",
            "warranty_days",
            "note",
        ),
        MANAGERS,
    )
    # below the lowest: the constraints below say why
    _breakfix_field_bounds = {
        "rounding_minutes": (None, 1440),
        "minimum_minutes": (None, 1440),
        "material_markup": (None, 1000),
        "warranty_days": (None, 3650),
        **dict.fromkeys(FACTOR_FIELDS, (None, 10)),
        **dict.fromkeys(AMOUNT_FIELDS, (None, MAX_AMOUNT)),
    }

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Currency of the rates and fees, and of the invoices priced with "
        "this rate card.",
    )
    line_ids = fields.One2many(
        comodel_name="breakfix.rate.card.line",
        inverse_name="rate_card_id",
        string="Rates",
        copy=True,
    )
    rounding_minutes = fields.Integer(
        string="Rounding (minutes)",
        default=15,
        tracking=True,
        help="Each time entry is rounded to a multiple of this many minutes. "
        "0 bills the exact time.",
    )
    rounding_method = fields.Selection(
        selection=[("up", "Up"), ("nearest", "Nearest"), ("down", "Down")],
        required=True,
        default="up",
        tracking=True,
    )
    minimum_minutes = fields.Integer(
        string="Minimum Charge (minutes)",
        default=0,
        tracking=True,
        help="A ticket is billed at least this many minutes of labour.",
    )
    calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Business Hours",
        compute="_compute_calendar_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        tracking=True,
        help="Work outside these hours is billed with the after-hours, weekend "
        "or holiday factor. The calendar's public holidays are the holidays.",
    )
    after_hours_factor = fields.Float(
        string="After-hours Factor", default=1.5, digits=(16, 2), tracking=True
    )
    weekend_factor = fields.Float(default=2.0, digits=(16, 2), tracking=True)
    holiday_factor = fields.Float(default=2.0, digits=(16, 2), tracking=True)
    emergency_factor = fields.Float(
        default=1.0,
        digits=(16, 2),
        tracking=True,
        help="Minimum factor of every piece of work on an emergency ticket.",
    )
    callout_fee = fields.Monetary(
        string="Call-out Fee",
        tracking=True,
        help="Charged once per emergency ticket.",
    )
    trip_fee = fields.Monetary(
        tracking=True,
        help="Charged once per day with on-site work.",
    )
    mileage_rate = fields.Monetary(
        string="Mileage Rate (per km)",
        tracking=True,
        help="Charged a kilometre of the round trip to the site, on each day with "
        "on-site work, beside the trip fee; the distance is the site's (the "
        "customer's contact or company) unless the day's time entry says. 0: no "
        "mileage.",
    )
    material_pricing = fields.Selection(
        selection=[("pricelist", "Customer pricelist"), ("cost_plus", "Cost plus")],
        required=True,
        default="pricelist",
        tracking=True,
    )
    material_markup = fields.Float(
        string="Markup (%)",
        digits=(16, 2),
        tracking=True,
        help="Added to the unit cost of parts when they are priced at cost plus.",
    )
    managed_plan_monthly_price = fields.Monetary(
        tracking=True,
        help="Monthly price of a managed-services plan for this customer, to "
        "compare with what break/fix costs them.",
    )
    warranty_days = fields.Integer(
        string="Workmanship Warranty (days)",
        default=14,
        tracking=True,
        help="A new ticket of the same customer in the same category within this "
        "many days of an invoice of an earlier ticket is a possible repeat "
        "visit: its policy defaults to Warranty. 0: no warranty.",
    )
    note = fields.Html()
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Customers",
        compute="_compute_partner_ids",
        help="The customers (commercial partners) whose rate card this is, in "
        "the rate card's company; their contacts follow them.",
    )
    partner_count = fields.Integer(
        string="Customer Count", compute="_compute_partner_ids"
    )
    is_company_default = fields.Boolean(
        string="Company Default",
        compute="_compute_is_company_default",
        help="The default rate card of its company: it prices the work of every "
        "customer without a rate card of their own.",
    )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for rate_card in self:
            rate_card.currency_id = rate_card.company_id.currency_id

    @api.depends("company_id")
    def _compute_calendar_id(self):
        for rate_card in self:
            rate_card.calendar_id = rate_card.company_id.resource_calendar_id

    @api.depends("company_id")
    def _compute_partner_ids(self):
        partners_by_card = {}
        for company, rate_cards in self.grouped("company_id").items():
            # the rate card of a partner is company-dependent: read in the
            # rate card's company
            partners = (
                self.env["res.partner"]
                .with_company(company)
                .search(
                    [
                        ("breakfix_rate_card_id", "in", rate_cards._origin.ids),
                        "|",
                        ("is_company", "=", True),
                        ("parent_id", "=", False),
                    ]
                )
            )
            for partner in partners:
                card_id = partner.breakfix_rate_card_id.id
                partners_by_card.setdefault(card_id, []).append(partner.id)
        for rate_card in self:
            partner_ids = partners_by_card.get(rate_card._origin.id, [])
            rate_card.partner_ids = [Command.set(partner_ids)]
            rate_card.partner_count = len(partner_ids)

    @api.depends("company_id.breakfix_rate_card_id")
    def _compute_is_company_default(self):
        for rate_card in self:
            rate_card.is_company_default = bool(
                rate_card._origin
                and rate_card.company_id.breakfix_rate_card_id == rate_card._origin
            )

    @api.constrains("currency_id")
    def _check_currency_id(self):
        # Checked before the database's NOT NULL, to say it in the user's words
        for rate_card in self:
            if not rate_card.currency_id:
                raise ValidationError(
                    self.env._(
                        "Rate card “%(rate_card)s” needs a currency.",
                        rate_card=rate_card.display_name,
                    )
                )

    @api.constrains(*FACTOR_FIELDS)
    def _check_factors(self):
        for rate_card in self:
            for fname in FACTOR_FIELDS:
                if float_compare(rate_card[fname], 1.0, precision_digits=2) < 0:
                    raise ValidationError(
                        self.env._(
                            "The %(factor)s of rate card “%(rate_card)s” cannot be "
                            "lower than 1.",
                            factor=self._fields[fname]._description_string(self.env),
                            rate_card=rate_card.display_name,
                        )
                    )

    @api.constrains(*AMOUNT_FIELDS, *NON_NEGATIVE_FIELDS)
    def _check_non_negative(self):
        for rate_card in self:
            currency = rate_card.currency_id
            negatives = [
                fname
                for fname in AMOUNT_FIELDS
                if currency.compare_amounts(rate_card[fname], 0.0) < 0
            ] + [
                fname
                for fname in NON_NEGATIVE_FIELDS
                if float_compare(rate_card[fname], 0.0, precision_digits=2) < 0
            ]
            if negatives:
                raise ValidationError(
                    self.env._(
                        "The %(field)s of rate card “%(rate_card)s” cannot be "
                        "negative.",
                        field=self._fields[negatives[0]]._description_string(self.env),
                        rate_card=rate_card.display_name,
                    )
                )

    def action_view_partners(self):
        """The customers priced with this rate card."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customers of %(rate_card)s", rate_card=self.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", self.partner_ids.ids)],
            "context": {"create": False},
        }

    def _breakfix_pricing_rules(self, with_calendar=True):
        """This rate card's rules as plain values for the pricing package.

        Parts need no calendar: ``with_calendar=False`` spares reading it.
        """
        self.ensure_one()
        precision = self.env["decimal.precision"].precision_get
        return pricing.PricingRules(
            name=self.display_name,
            rounding_minutes=self.rounding_minutes,
            rounding_method=self.rounding_method,
            minimum_minutes=self.minimum_minutes,
            after_hours_factor=pricing.to_decimal(self.after_hours_factor),
            weekend_factor=pricing.to_decimal(self.weekend_factor),
            holiday_factor=pricing.to_decimal(self.holiday_factor),
            emergency_factor=pricing.to_decimal(self.emergency_factor),
            callout_fee=pricing.to_decimal(self.callout_fee),
            trip_fee=pricing.to_decimal(self.trip_fee),
            kind_terms={
                pricing.KIND_MILEAGE: {"rate": pricing.to_decimal(self.mileage_rate)}
            },
            material_pricing=self.material_pricing,
            material_markup=pricing.to_decimal(self.material_markup),
            calendar=(
                self.calendar_id._breakfix_business_calendar()
                if with_calendar
                else None
            ),
            hours_digits=precision("Product Unit of Measure"),
            price_digits=precision("Product Price"),
            currency_digits=self.currency_id.decimal_places,
        )

    def _breakfix_rate_table(self, work_types):
        """The hourly rates of ``work_types`` under this rate card.

        A work type's own rate is in its company's currency: it is converted
        to the rate card's currency at today's rate.
        """
        self.ensure_one()
        today = (self.company_id or self.env.company)._breakfix_today()
        return pricing.RateTable(
            card_rates={
                (line.work_type_id.id, line.employee_id.id or None): line.hourly_rate
                for line in self.line_ids
            },
            default_rates={
                work_type.id: work_type.currency_id._convert(
                    work_type.hourly_rate, self.currency_id, self.company_id, today
                )
                for work_type in work_types
            },
        )
