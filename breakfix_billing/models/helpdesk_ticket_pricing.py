# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import format_amount

from .. import pricing
from .constants import BREAKFIX_ESTIMATE_STATES, PRICE_GROUPS, RATE_CARD_DEPENDENCIES


class HelpdeskTicketPricing(models.Model):
    """The price of a ticket, as the ``pricing`` package gives it from its time,
    parts and rate card."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    breakfix_estimate_used = fields.Monetary(
        string="Estimate Used",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
        help="The billable work of the ticket: invoiced and still to invoice.",
        groups=PRICE_GROUPS,
    )
    breakfix_estimate_percent = fields.Float(
        string="Estimate Used (%)",
        compute="_compute_breakfix_pricing",
        digits=(16, 1),
        groups=PRICE_GROUPS,
    )
    breakfix_estimate_state = fields.Selection(
        selection=BREAKFIX_ESTIMATE_STATES,
        string="Estimate",
        compute="_compute_breakfix_pricing",
        groups=PRICE_GROUPS,
    )
    breakfix_estimate_adjustment = fields.Monetary(
        string="Not-to-exceed Adjustment",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
        help="Taken off the next invoice, so that the invoices stay within the "
        "estimate; positive: given back, as the estimate was raised or removed or "
        "the overrun approved after an adjustment was invoiced.",
        groups=PRICE_GROUPS,
    )
    breakfix_emergency = fields.Boolean(
        string="Emergency",
        tracking=True,
        help="Emergency call-out: the rate card's call-out fee, and at least its "
        "emergency factor on every hour.",
        groups=PRICE_GROUPS,
    )
    breakfix_onsite = fields.Boolean(
        string="On-site",
        tracking=True,
        help="The visit is at the customer's premises: new time entries default "
        "to the team's on-site work type, whose days carry the trip fee. The "
        "flag alone bills no trip for a day of remote work.",
        groups=PRICE_GROUPS,
    )
    breakfix_material_ids = fields.One2many(
        comodel_name="helpdesk.ticket.material",
        inverse_name="ticket_id",
        string="Parts",
        copy=False,
        groups=PRICE_GROUPS,
    )
    breakfix_billed_hours = fields.Float(
        string="Billed Hours",
        compute="_compute_breakfix_pricing",
        digits="Product Unit of Measure",
        groups=PRICE_GROUPS,
    )
    breakfix_labour_amount = fields.Monetary(
        string="Labour",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
        groups=PRICE_GROUPS,
    )
    breakfix_callout_amount = fields.Monetary(
        string="Call-out Fee",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
        groups=PRICE_GROUPS,
    )
    breakfix_minimum_amount = fields.Monetary(
        string="Minimum Charge",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
        groups=PRICE_GROUPS,
    )
    breakfix_trip_amount = fields.Monetary(
        string="Trip Fees",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
        groups=PRICE_GROUPS,
    )
    breakfix_mileage_amount = fields.Monetary(
        string="Mileage",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
        groups=PRICE_GROUPS,
    )
    breakfix_material_amount = fields.Monetary(
        string="Parts Amount",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
        groups=PRICE_GROUPS,
    )
    breakfix_no_charge_value = fields.Monetary(
        string="No-charge Value",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
        help="What the work and parts given free of charge would have cost.",
        groups=PRICE_GROUPS,
    )
    breakfix_amount_to_invoice = fields.Monetary(
        string="To Invoice",
        compute="_compute_breakfix_pricing",
        currency_field="breakfix_currency_id",
        help="Untaxed amount of the billable work, fees and parts.",
        groups=PRICE_GROUPS,
    )
    breakfix_pricing_summary = fields.Html(
        string="Charges",
        compute="_compute_breakfix_pricing",
        sanitize=False,
        groups=PRICE_GROUPS,
    )
    breakfix_pricing_error = fields.Char(
        string="Pricing Problem",
        compute="_compute_breakfix_pricing",
        groups=PRICE_GROUPS,
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends(
        "breakfix_policy",
        "breakfix_emergency",
        "breakfix_rate_card_id",
        *RATE_CARD_DEPENDENCIES,
        "timesheet_ids.unit_amount",
        "timesheet_ids.date_time",
        "timesheet_ids.employee_id",
        "timesheet_ids.breakfix_work_type_id",
        "timesheet_ids.breakfix_billable",
        "timesheet_ids.breakfix_billed_hours_override",
        "timesheet_ids.breakfix_distance_km",
        "partner_id.breakfix_distance_km",
        "partner_id.commercial_partner_id.breakfix_distance_km",
        "breakfix_material_ids.name",
        "breakfix_material_ids.quantity",
        "breakfix_material_ids.price_unit",
        "breakfix_material_ids.billable",
        # what is left to invoice changes as invoices are drafted, cancelled,
        # deleted or released
        "timesheet_ids.breakfix_invoice_line_ids",
        "breakfix_material_ids.invoice_line_id",
        "breakfix_invoice_line_ids.parent_state",
        "breakfix_invoice_line_ids.breakfix_released",
        "breakfix_invoice_line_ids.quantity",
        "breakfix_invoice_line_ids.price_unit",
        "breakfix_estimate_amount",
        "breakfix_overrun_approved_by_id",
    )
    @api.depends_context("lang")
    def _compute_breakfix_pricing(self):
        rules_by_card = {}
        timesheets = self._breakfix_timesheets_to_price()
        for ticket in self:
            result, error = ticket._breakfix_price(
                timesheets=timesheets[ticket].sudo(), rules_by_card=rules_by_card
            )
            ticket.breakfix_pricing_error = error
            if result is None:
                result = pricing.TicketResult()
            ticket.breakfix_billed_hours = float(result.billed_hours)
            # one field per kind the engine prices: breakfix_labour_amount, ...
            for kind in pricing.PRICED_KINDS:
                ticket[f"breakfix_{kind}_amount"] = float(result.amount_of(kind))
            ticket.breakfix_no_charge_value = float(result.no_charge_value)
            due = ticket._breakfix_charges_due(result)
            invoiced = ticket._breakfix_invoiced_amounts()
            adjustment = ticket._breakfix_not_to_exceed_line(result, due, invoiced)
            ticket.breakfix_estimate_adjustment = float(
                adjustment.amount if adjustment else pricing.ZERO
            )
            ticket.breakfix_amount_to_invoice = float(
                pricing.total(due) + (adjustment.amount if adjustment else pricing.ZERO)
            )
            ticket._breakfix_store_estimate_usage(invoiced.work + pricing.total(due))
            ticket.breakfix_pricing_summary = ticket._breakfix_render_summary(
                result, adjustment
            )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

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

    def _breakfix_pricing_input(
        self, timesheets=None, with_materials=True, reviewed_only=False
    ):
        """The ticket as the pricing package reads it; ``reviewed_only``,
        what may be invoiced of it: on a team that requires review, the
        approved work (and what is invoiced already)."""
        self.ensure_one()
        if timesheets is None:
            timesheets = self.timesheet_ids
        materials = self.breakfix_material_ids if with_materials else ()
        if reviewed_only and self.team_id.breakfix_require_review:
            timesheets = timesheets.filtered(
                lambda line: (
                    line._breakfix_is_reviewed() or line.breakfix_invoice_line_ids
                )
            )
            materials = materials.filtered(
                lambda part: part._breakfix_is_reviewed() or part.invoice_line_id
            )
        return pricing.TicketInput(
            billable=self._breakfix_is_billable(),
            emergency=self.breakfix_emergency,
            entries=tuple(line._breakfix_entry_input() for line in timesheets),
            materials=tuple(
                material._breakfix_material_input() for material in materials
            ),
        )

    def _breakfix_price(self, timesheets=None, with_materials=True, rules_by_card=None):
        """Price the ticket: return ``(TicketResult, "")`` or ``(None, why)``,
        ``why`` in the user's language. See ``_breakfix_pricing_result``."""
        try:
            return self._breakfix_pricing_result(
                timesheets, with_materials, rules_by_card
            ), ""
        except pricing.PricingError as error:
            return None, error.translated(self.env._)

    def _breakfix_pricing_result(
        self,
        timesheets=None,
        with_materials=True,
        rules_by_card=None,
        reviewed_only=False,
    ):
        """Price the ticket (``pricing.TicketResult``), its labels in the
        language of ``self``'s context; raises ``pricing.PricingError``.

        ``rules_by_card`` is a dict the caller shares between the tickets of
        a batch, so that each rate card's rules are read once.
        """
        self.ensure_one()
        rate_card = self.breakfix_rate_card_id
        if not rate_card:
            raise pricing.NoRateCard()
        rules_by_card = {} if rules_by_card is None else rules_by_card
        if rate_card not in rules_by_card:
            rules_by_card[rate_card] = rate_card._breakfix_pricing_rules()
        if timesheets is None:
            timesheets = self.timesheet_ids
        rates = rate_card._breakfix_rate_table(timesheets.breakfix_work_type_id)
        return pricing.price_ticket(
            rules_by_card[rate_card],
            rates,
            self._breakfix_pricing_input(timesheets, with_materials, reviewed_only),
            translate=self.env._,
        )

    def _breakfix_render_summary(self, result, adjustment=None):
        currency = self.breakfix_currency_id

        def money(amount):
            return format_amount(self.env, float(amount), currency)

        return self.env["ir.qweb"]._render(
            "breakfix_billing.ticket_pricing_summary",
            {
                "ticket": self,
                "lines": [*result.lines, adjustment] if adjustment else result.lines,
                "money": money,
                "kinds": self._breakfix_charge_kind_labels(),
            },
        )
