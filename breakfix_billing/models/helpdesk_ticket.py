# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_amount

from .. import pricing

BREAKFIX_POLICIES = [
    ("billable", "Billable"),
    ("covered", "Covered by a plan"),
    ("warranty", "Warranty"),
    ("non_billable", "Non-billable"),
]
# Ticket fields that decide the price: only billing managers change them
# by hand (their computed defaults follow the customer and the team).
BREAKFIX_MANAGER_FIELDS = ("breakfix_policy", "breakfix_rate_card_id")
# What the pricing of the ticket (and of its time entries) depends on.
RATE_CARD_DEPENDENCIES = tuple(
    f"breakfix_rate_card_id.{fname}"
    for fname in (
        "rounding_minutes",
        "rounding_method",
        "minimum_minutes",
        "after_hours_factor",
        "weekend_factor",
        "holiday_factor",
        "emergency_factor",
        "callout_fee",
        "trip_fee",
        "currency_id",
        "line_ids.hourly_rate",
        "line_ids.work_type_id",
        "line_ids.employee_id",
        "calendar_id.tz",
        "calendar_id.attendance_ids.hour_from",
        "calendar_id.attendance_ids.hour_to",
        "calendar_id.attendance_ids.dayofweek",
        "calendar_id.global_leave_ids.date_from",
        "calendar_id.global_leave_ids.date_to",
    )
)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    breakfix_policy = fields.Selection(
        selection=BREAKFIX_POLICIES,
        string="Billing Policy",
        compute="_compute_breakfix_policy",
        store=True,
        readonly=False,
        tracking=True,
        help="Only billable tickets are invoiced; the others show what the work "
        "would have cost as no-charge value.",
    )
    breakfix_emergency = fields.Boolean(
        string="Emergency",
        tracking=True,
        help="Emergency call-out: the rate card's call-out fee, and at least its "
        "emergency factor on every hour.",
    )
    breakfix_onsite = fields.Boolean(
        string="On-site",
        tracking=True,
        help="The work is done at the customer's premises: every day with work "
        "carries the trip fee.",
    )
    breakfix_rate_card_id = fields.Many2one(
        comodel_name="breakfix.rate.card",
        string="Rate Card",
        compute="_compute_breakfix_rate_card_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
        help="The customer's rate card, else the company's default one.",
    )
    breakfix_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Billing Currency",
        compute="_compute_breakfix_currency_id",
        store=True,
        precompute=True,
    )
    breakfix_material_ids = fields.One2many(
        comodel_name="helpdesk.ticket.material",
        inverse_name="ticket_id",
        string="Parts",
        copy=False,
    )
    breakfix_billed_hours = fields.Float(
        string="Billed Hours",
        compute="_compute_breakfix_pricing",
        digits="Product Unit of Measure",
    )
    breakfix_labour_amount = fields.Monetary(
        string="Labour",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
    )
    breakfix_callout_amount = fields.Monetary(
        string="Call-out Fee",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
    )
    breakfix_minimum_amount = fields.Monetary(
        string="Minimum Charge",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
    )
    breakfix_trip_amount = fields.Monetary(
        string="Trip Fees",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
    )
    breakfix_material_amount = fields.Monetary(
        string="Parts Amount",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
    )
    breakfix_no_charge_value = fields.Monetary(
        string="No-charge Value",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
        help="What the work and parts given free of charge would have cost.",
    )
    breakfix_amount_to_invoice = fields.Monetary(
        string="To Invoice",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
        help="Untaxed amount of the billable work, fees and parts.",
    )
    breakfix_pricing_summary = fields.Html(
        string="Charges",
        compute="_compute_breakfix_pricing",
        sanitize=False,
    )
    breakfix_pricing_error = fields.Char(
        string="Pricing Problem",
        compute="_compute_breakfix_pricing",
    )
    breakfix_is_manager = fields.Boolean(compute="_compute_breakfix_is_manager")

    @api.depends("team_id")
    def _compute_breakfix_policy(self):
        for ticket in self:
            team_policy = ticket.team_id.breakfix_default_policy
            ticket.breakfix_policy = team_policy or "billable"

    @api.depends("partner_id", "company_id")
    def _compute_breakfix_rate_card_id(self):
        for ticket in self:
            company = ticket.company_id or self.env.company
            if ticket.partner_id:
                rate_card = ticket.partner_id._breakfix_get_rate_card(company)
            else:
                rate_card = company.breakfix_rate_card_id
            ticket.breakfix_rate_card_id = rate_card

    @api.depends("breakfix_rate_card_id.currency_id", "company_id")
    def _compute_breakfix_currency_id(self):
        for ticket in self:
            ticket.breakfix_currency_id = (
                ticket.breakfix_rate_card_id.currency_id
                or (ticket.company_id or self.env.company).currency_id
            )

    @api.depends_context("uid")
    def _compute_breakfix_is_manager(self):
        is_manager = self.env.user.has_group("breakfix_billing.group_breakfix_manager")
        self.breakfix_is_manager = is_manager

    @api.depends(
        "breakfix_policy",
        "breakfix_emergency",
        "breakfix_onsite",
        "breakfix_rate_card_id",
        *RATE_CARD_DEPENDENCIES,
        "timesheet_ids.unit_amount",
        "timesheet_ids.date_time",
        "timesheet_ids.employee_id",
        "timesheet_ids.breakfix_work_type_id",
        "timesheet_ids.breakfix_billable",
        "breakfix_material_ids.name",
        "breakfix_material_ids.quantity",
        "breakfix_material_ids.price_unit",
        "breakfix_material_ids.billable",
    )
    @api.depends_context("lang")
    def _compute_breakfix_pricing(self):
        context = {}
        timesheets = self._breakfix_timesheets_to_price()
        for ticket in self:
            result, error = ticket._breakfix_price(
                timesheets=timesheets[ticket].sudo(), context=context
            )
            ticket.breakfix_pricing_error = error
            if result is None:
                result = pricing.TicketResult()
            ticket.breakfix_billed_hours = float(result.billed_hours)
            ticket.breakfix_labour_amount = float(result.amount_of(pricing.KIND_LABOUR))
            ticket.breakfix_callout_amount = float(
                result.amount_of(pricing.KIND_CALLOUT)
            )
            ticket.breakfix_minimum_amount = float(
                result.amount_of(pricing.KIND_MINIMUM)
            )
            ticket.breakfix_trip_amount = float(result.amount_of(pricing.KIND_TRIP))
            ticket.breakfix_material_amount = float(
                result.amount_of(pricing.KIND_MATERIAL)
            )
            ticket.breakfix_no_charge_value = float(result.no_charge_value)
            ticket.breakfix_amount_to_invoice = float(result.amount_to_invoice)
            ticket.breakfix_pricing_summary = ticket._breakfix_render_summary(result)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._breakfix_check_manager_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        if any(fname in vals for fname in BREAKFIX_MANAGER_FIELDS):
            changed = {
                fname: value
                for fname, value in vals.items()
                if fname in BREAKFIX_MANAGER_FIELDS
                and any(
                    ticket._fields[fname].convert_to_write(ticket[fname], ticket)
                    != value
                    for ticket in self
                )
            }
            self._breakfix_check_manager_fields(changed)
        return super().write(vals)

    def _breakfix_check_manager_fields(self, vals):
        """Refuse a technician's hand-set policy or rate card."""
        fnames = [fname for fname in BREAKFIX_MANAGER_FIELDS if fname in vals]
        if not fnames or self.env.su:
            return
        if self.env.user.has_group("breakfix_billing.group_breakfix_manager"):
            return
        raise AccessError(
            self.env._(
                "Only break/fix billing managers can change the %(field)s of a ticket.",
                field=self._fields[fnames[0]]._description_string(self.env),
            )
        )

    def _breakfix_timesheets_to_price(self):
        """The time entries that price each ticket of ``self``, by ticket.

        ``timesheet_ids`` holds the entries the user reads (in a form, the
        ones being edited); the timesheet record rules hide the other
        technicians' time from a technician, yet it is billed all the same:
        those entries are added back, so that everybody sees the same price
        (read them as superuser).  The ticket's ``timesheet_ids`` are not read
        as superuser: that would put the hidden entries in the cache of the
        user's own read of the ticket.
        """
        origins = self._origin.filtered("id")
        lines = self.env["account.analytic.line"].sudo()
        if origins:
            lines = lines.search([("ticket_id", "in", origins.ids)])
        hidden = lines - lines.with_user(self.env.uid)._filtered_access("read")
        hidden_by_ticket = hidden.grouped("ticket_id")
        return {
            ticket: ticket.timesheet_ids
            | (
                hidden_by_ticket.get(ticket._origin, lines.browse())
                - ticket.timesheet_ids._origin
            )
            for ticket in self
        }

    def _breakfix_pricing_input(self, timesheets=None, with_materials=True):
        """The ticket as the pricing package reads it."""
        self.ensure_one()
        if timesheets is None:
            timesheets = self.timesheet_ids
        return pricing.TicketInput(
            billable=self.breakfix_policy == "billable",
            emergency=self.breakfix_emergency,
            onsite=self.breakfix_onsite,
            entries=tuple(line._breakfix_entry_input() for line in timesheets),
            materials=tuple(
                material._breakfix_material_input()
                for material in (self.breakfix_material_ids if with_materials else ())
            ),
        )

    def _breakfix_price(self, timesheets=None, with_materials=True, context=None):
        """Price the ticket: return ``(TicketResult, "")`` or ``(None, error)``.

        ``context`` is a dict the caller shares between the tickets of a
        batch, so that each rate card is read once.
        """
        self.ensure_one()
        rate_card = self.breakfix_rate_card_id
        if not rate_card:
            return None, self.env._(
                "No rate card applies: give the customer a rate card, or the "
                "company a default one."
            )
        context = {} if context is None else context
        if rate_card not in context:
            context[rate_card] = rate_card._breakfix_pricing_rules()
        if timesheets is None:
            timesheets = self.timesheet_ids
        rates = rate_card._breakfix_rate_table(timesheets.breakfix_work_type_id)
        try:
            result = pricing.price_ticket(
                context[rate_card],
                rates,
                self._breakfix_pricing_input(timesheets, with_materials),
                translate=self.env._,
            )
        except pricing.PricingError as error:
            return None, str(error)
        return result, ""

    def _breakfix_render_summary(self, result):
        currency = self.breakfix_currency_id

        def money(amount):
            return format_amount(self.env, float(amount), currency)

        return self.env["ir.qweb"]._render(
            "breakfix_billing.ticket_pricing_summary",
            {
                "ticket": self,
                "lines": result.lines,
                "money": money,
                "kinds": dict(self._breakfix_line_kinds()),
            },
        )

    def _breakfix_line_kinds(self):
        return [
            (pricing.KIND_CALLOUT, self.env._("Call-out")),
            (pricing.KIND_LABOUR, self.env._("Labour")),
            (pricing.KIND_MINIMUM, self.env._("Minimum charge")),
            (pricing.KIND_TRIP, self.env._("Trip")),
            (pricing.KIND_MATERIAL, self.env._("Part")),
        ]
