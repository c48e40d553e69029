# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

import psycopg2.errors

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, format_amount, format_date

from .. import pricing
from .field_changes import changed_fields

BREAKFIX_POLICIES = [
    ("billable", "Billable"),
    ("covered", "Covered by a plan"),
    ("warranty", "Warranty"),
    ("non_billable", "Non-billable"),
]
# Ticket fields that decide the price: only billing managers change them
# by hand (their computed defaults follow the customer and the team).
BREAKFIX_MANAGER_FIELDS = (
    "breakfix_policy",
    "breakfix_policy_manual",
    "breakfix_policy_decided_by_id",
    "breakfix_rate_card_id",
    "breakfix_estimate_amount",
    "breakfix_overrun_approved_by_id",
    "breakfix_overrun_approved_date",
)
# Ticket fields that price its work: locked once some of it is invoiced.
BREAKFIX_LOCKED_FIELDS = (
    "breakfix_policy",
    "breakfix_rate_card_id",
    "breakfix_emergency",
    "breakfix_onsite",
)
BREAKFIX_ESTIMATE_STATES = [
    ("none", "No estimate"),
    ("ok", "Within the estimate"),
    ("warning", "80 % of the estimate used"),
    ("exceeded", "Estimate used up"),
]
# The share of the estimate from which the technicians are warned.
ESTIMATE_WARNING_PERCENT = 80
# The prices, invoices and billing terms (policy and why, coverage, repeat
# visit, emergency, on-site) of a ticket are its company's and its
# customer's business: portal users (who may follow a ticket of another
# customer) read the charges on the ticket's portal page only, for their own
# customer's tickets.
PRICE_GROUPS = "base.group_user"
BREAKFIX_INVOICE_STATUSES = [
    ("nothing", "Nothing to invoice"),
    ("to_invoice", "To invoice"),
    ("invoiced", "Fully invoiced"),
]
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


class InvoicedAmounts(NamedTuple):
    """What a ticket's customer invoices charge (``Decimal``): the work
    before any not-to-exceed adjustment, the adjustments (0 or negative),
    and the adjustments by tax key."""

    work: Decimal
    adjusted: Decimal
    adjusted_by_taxes: dict


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
        "would have cost as no-charge value. Follows the customer's coverage, "
        "the workmanship warranty and the team, unless a billing manager sets "
        "it by hand.",
        groups=PRICE_GROUPS,
    )
    breakfix_policy_manual = fields.Boolean(
        string="Policy Set by Hand",
        readonly=True,
        copy=False,
        tracking=True,
        help="A billing manager chose another policy than the automatic one: "
        "it stays as set when the ticket's customer, category, team or tags "
        "change.",
        groups=PRICE_GROUPS,
    )
    breakfix_policy_decided_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Policy Decided By",
        readonly=True,
        copy=False,
        tracking=True,
        help="The billing manager who set the policy by hand.",
        groups=PRICE_GROUPS,
    )
    breakfix_policy_reason = fields.Char(
        string="Policy Reason",
        compute="_compute_breakfix_policy_reason",
        groups=PRICE_GROUPS,
    )
    breakfix_coverage_id = fields.Many2one(
        comodel_name="breakfix.coverage",
        string="Managed Coverage",
        compute="_compute_breakfix_coverage_id",
        store=True,
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        help="The customer's managed-services agreement that covers this ticket, "
        "judged on the day the ticket was created.",
        groups=PRICE_GROUPS,
    )
    breakfix_repeat_of_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Possible Repeat Of",
        compute="_compute_breakfix_repeat_of_id",
        store=True,
        index="btree_not_null",
        check_company=True,
        ondelete="set null",
        help="An invoiced ticket of the same customer in the same category, "
        "invoiced within the rate card's workmanship warranty before this one "
        "was created.",
        groups=PRICE_GROUPS,
    )
    breakfix_estimate_amount = fields.Monetary(
        string="Estimate (not to exceed)",
        currency_field="breakfix_currency_id",
        tracking=True,
        copy=False,
        help="What the customer was told the ticket would cost at most (untaxed). "
        "The invoices never charge more, unless a billing manager approves the "
        "overrun. 0: no estimate.",
        groups=PRICE_GROUPS,
    )
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
    breakfix_overrun_approved_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Overrun Approved By",
        readonly=True,
        copy=False,
        tracking=True,
        groups=PRICE_GROUPS,
    )
    breakfix_overrun_approved_date = fields.Datetime(
        string="Overrun Approved On",
        readonly=True,
        copy=False,
        tracking=True,
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
        help="The work is done at the customer's premises: every day with work "
        "carries the trip fee.",
        groups=PRICE_GROUPS,
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
        groups=PRICE_GROUPS,
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
    breakfix_is_manager = fields.Boolean(compute="_compute_breakfix_is_manager")
    breakfix_invoice_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="breakfix_ticket_id",
        string="Invoice Lines",
        readonly=True,
        copy=False,
        groups=PRICE_GROUPS,
    )
    breakfix_invoice_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        compute="_compute_breakfix_invoice_ids",
        groups=PRICE_GROUPS,
    )
    breakfix_invoice_count = fields.Integer(
        string="Invoice Count",
        compute="_compute_breakfix_invoice_ids",
        groups=PRICE_GROUPS,
    )
    breakfix_amount_invoiced = fields.Monetary(
        string="Invoiced",
        compute="_compute_breakfix_invoice_ids",
        currency_field="breakfix_currency_id",
        help="Untaxed amount of the ticket's invoices, less its credit notes "
        "(cancelled ones left out).",
        groups=PRICE_GROUPS,
    )
    breakfix_invoice_status = fields.Selection(
        selection=BREAKFIX_INVOICE_STATUSES,
        string="Invoice Status",
        compute="_compute_breakfix_invoice_status",
        store=True,
        index=True,
        groups=PRICE_GROUPS,
    )
    breakfix_last_draft_attempt = fields.Datetime(
        string="Last Invoicing Attempt",
        readonly=True,
        copy=False,
        groups=PRICE_GROUPS,
    )

    @api.depends("team_id", "breakfix_coverage_id", "breakfix_repeat_of_id")
    def _compute_breakfix_policy(self):
        for ticket in self:
            if ticket.breakfix_policy_manual:
                continue  # a billing manager decided
            if ticket._breakfix_has_invoiced_work():
                continue  # the invoiced work was priced under this policy
            ticket.breakfix_policy = ticket._breakfix_automatic_policy()

    @api.depends(
        "breakfix_policy",
        "breakfix_policy_manual",
        "breakfix_policy_decided_by_id",
        "breakfix_coverage_id",
        "breakfix_repeat_of_id",
        "team_id",
    )
    @api.depends_context("lang")
    def _compute_breakfix_policy_reason(self):
        for ticket in self:
            ticket.breakfix_policy_reason = ticket._breakfix_explain_policy()

    @api.depends(
        "partner_id",
        "company_id",
        "category_id",
        "team_id",
        "tag_ids",
        "breakfix_rate_card_id",
    )
    def _compute_breakfix_coverage_id(self):
        # the agreements are the shop's, not the user's: read them all
        coverages = self.env["breakfix.coverage"].sudo()
        customers = self.partner_id.commercial_partner_id
        if customers:
            coverages = coverages.search(
                [
                    ("partner_id", "in", customers.ids),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
        for ticket in self:
            if ticket._breakfix_has_invoiced_work():
                continue  # the invoiced work was priced under this coverage
            day = ticket._breakfix_opening_day()
            ticket.breakfix_coverage_id = next(
                (
                    coverage
                    for coverage in coverages
                    if coverage._breakfix_matches(ticket, day)
                ),
                False,
            )

    @api.depends("partner_id", "company_id", "category_id", "breakfix_rate_card_id")
    def _compute_breakfix_repeat_of_id(self):
        invoiced = self._breakfix_recently_invoiced()
        for ticket in self:
            if ticket._breakfix_has_invoiced_work():
                continue  # billed on its own: not a repeat any more
            ticket.breakfix_repeat_of_id = ticket._breakfix_find_repeat_of(invoiced)

    @api.depends("partner_id", "company_id")
    def _compute_breakfix_rate_card_id(self):
        for ticket in self:
            if ticket._breakfix_has_invoiced_work():
                continue  # the invoiced work was priced with this rate card
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
        self.breakfix_is_manager = self._breakfix_user_is_manager()

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
            due = ticket._breakfix_charges_due(result)
            invoiced = ticket._breakfix_invoiced_amounts()
            adjustment = ticket._breakfix_not_to_exceed_line(result, due, invoiced)
            ticket.breakfix_estimate_adjustment = float(
                adjustment.amount if adjustment else pricing.ZERO
            )
            to_invoice = [*due, adjustment] if adjustment else due
            ticket.breakfix_amount_to_invoice = float(
                sum((line.amount for line in to_invoice), pricing.ZERO)
            )
            ticket._breakfix_store_estimate_usage(
                invoiced.work + sum((line.amount for line in due), pricing.ZERO)
            )
            ticket.breakfix_pricing_summary = ticket._breakfix_render_summary(
                result, adjustment
            )

    @api.depends(
        "breakfix_invoice_line_ids.parent_state",
        "breakfix_invoice_line_ids.price_subtotal",
    )
    def _compute_breakfix_invoice_ids(self):
        for ticket in self:
            lines = ticket.sudo().breakfix_invoice_line_ids.filtered(
                lambda line: line.move_id.state != "cancel"
            )
            ticket.breakfix_invoice_ids = lines.move_id
            ticket.breakfix_invoice_count = len(lines.move_id)
            ticket.breakfix_amount_invoiced = sum(
                line.price_subtotal
                * (-1 if line.move_id.move_type == "out_refund" else 1)
                for line in lines
            )

    @api.depends(
        "breakfix_policy",
        "timesheet_ids.unit_amount",
        "timesheet_ids.breakfix_billable",
        "timesheet_ids.breakfix_work_type_id.billable",
        "timesheet_ids.breakfix_invoice_line_ids",
        "breakfix_material_ids.billable",
        "breakfix_material_ids.invoice_line_id",
        "breakfix_invoice_line_ids.parent_state",
        "breakfix_invoice_line_ids.breakfix_released",
        "breakfix_invoice_line_ids.quantity",
        "breakfix_invoice_line_ids.price_unit",
        "breakfix_estimate_amount",
        "breakfix_overrun_approved_by_id",
    )
    def _compute_breakfix_invoice_status(self):
        for ticket in self.sudo():
            if (
                ticket._breakfix_has_work_to_invoice()
                or ticket._breakfix_has_reversal_due()
            ):
                ticket.breakfix_invoice_status = "to_invoice"
            elif ticket._breakfix_has_invoiced_work():
                ticket.breakfix_invoice_status = "invoiced"
            else:
                ticket.breakfix_invoice_status = "nothing"

    @api.constrains("breakfix_estimate_amount")
    def _check_breakfix_estimate_amount(self):
        for ticket in self:
            currency = ticket.breakfix_currency_id
            if currency.compare_amounts(ticket.breakfix_estimate_amount, 0.0) < 0:
                raise ValidationError(
                    self.env._(
                        "The estimate of ticket %(ticket)s cannot be negative "
                        "(%(amount)s). Leave it at 0 for no estimate.",
                        ticket=ticket.number,
                        amount=format_amount(
                            self.env, ticket.breakfix_estimate_amount, currency
                        ),
                    )
                )

    @api.onchange("timesheet_ids")
    def _onchange_breakfix_estimate_warning(self):
        """Tell the technician logging time that the estimate is running out."""
        message = self._breakfix_estimate_crossing(self._origin.breakfix_estimate_state)
        if message:
            return {
                "warning": {
                    "title": self.env._("Estimate"),
                    "message": message,
                }
            }

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._breakfix_check_manager_fields(
                [fname for fname in BREAKFIX_MANAGER_FIELDS if fname in vals]
            )
        tickets = super().create(vals_list)
        if self.env.su or self._breakfix_user_is_manager():
            tickets.browse(
                ticket.id
                for ticket, vals in zip(tickets, vals_list, strict=True)
                if "breakfix_policy" in vals
            )._breakfix_flag_manual_policy()
        return tickets

    def write(self, vals):
        self._breakfix_check_manager_fields(
            changed_fields(self, vals, BREAKFIX_MANAGER_FIELDS)
        )
        self._breakfix_check_locked_fields(vals)
        closing = "stage_id" in vals and self.filtered(
            lambda ticket: not ticket.stage_id.closed
        )
        # the web client writes the policy back with every save: only a
        # billing manager's change of it is a decision
        decided = self.browse()
        if "breakfix_policy" in vals and (
            self.env.su or self._breakfix_user_is_manager()
        ):
            decided = self.filtered(
                lambda ticket: ticket.breakfix_policy != vals["breakfix_policy"]
            )
        # a new estimate is a new promise: an overrun approved for the old one
        # does not carry over
        reestimated = self.env["helpdesk.ticket"]
        if "breakfix_estimate_amount" in vals:
            reestimated = self.filtered(
                lambda ticket: (
                    ticket.breakfix_overrun_approved_by_id
                    and ticket.breakfix_currency_id.compare_amounts(
                        ticket.breakfix_estimate_amount,
                        vals["breakfix_estimate_amount"] or 0.0,
                    )
                )
            )
        result = super().write(vals)
        if reestimated:
            reestimated.write(
                {
                    "breakfix_overrun_approved_by_id": False,
                    "breakfix_overrun_approved_date": False,
                }
            )
        if decided:
            decided._breakfix_flag_manual_policy()
        if closing:
            closing._breakfix_draft_on_close()
        return result

    def action_breakfix_create_invoice(self):
        """Draft an invoice for every ticket of ``self`` with something to
        invoice; return an action showing them (and what was skipped)."""
        self._breakfix_ensure_manager(
            self.env._("Only break/fix billing managers can draft invoices.")
        )
        invoices, skipped = self._breakfix_draft_invoices()
        return self._breakfix_invoicing_summary_action(invoices, skipped)

    def action_breakfix_approve_overrun(self):
        """Let the tickets invoice their work in full, beyond their estimate."""
        self._breakfix_ensure_manager(
            self.env._(
                "Only break/fix billing managers can approve an overrun of the "
                "estimate."
            )
        )
        for ticket in self:
            if not ticket._breakfix_has_estimate():
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s has no estimate to overrun.",
                        ticket=ticket.number,
                    )
                )
        self.write(
            {
                "breakfix_overrun_approved_by_id": self.env.uid,
                "breakfix_overrun_approved_date": fields.Datetime.now(),
            }
        )
        for ticket in self:
            ticket.message_post(
                body=self.env._(
                    "%(user)s approved going beyond the estimate of %(estimate)s: "
                    "the work is invoiced in full.",
                    user=self.env.user.name,
                    estimate=format_amount(
                        self.env,
                        ticket.breakfix_estimate_amount,
                        ticket.breakfix_currency_id,
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_breakfix_bill_repeat_visit(self):
        """Bill a possible repeat visit as usual: a billing manager decided it
        is new work, not the earlier work's warranty."""
        self._breakfix_decide_repeat_visit("billable")
        return True

    def action_breakfix_confirm_warranty(self):
        """Confirm that a possible repeat visit is under warranty."""
        self._breakfix_decide_repeat_visit("warranty")
        return True

    def action_breakfix_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.breakfix_invoice_ids.ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        if len(self.breakfix_invoice_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.breakfix_invoice_ids.id)
        return action

    def _breakfix_flag_manual_policy(self):
        """A billing manager's policy other than the rules give is an
        override: it sticks, and who decided is recorded. Set back to the
        automatic one, the ticket follows the rules again."""
        for ticket in self:
            if ticket._breakfix_has_invoiced_work():
                continue  # locked: nothing to decide
            manual = ticket.breakfix_policy != ticket._breakfix_automatic_policy()
            if manual != ticket.breakfix_policy_manual:
                ticket.sudo().write(
                    {
                        "breakfix_policy_manual": manual,
                        "breakfix_policy_decided_by_id": manual and self.env.uid,
                    }
                )

    def _breakfix_decide_repeat_visit(self, policy):
        self._breakfix_ensure_manager(
            self.env._(
                "Only break/fix billing managers decide whether a repeat visit is "
                "billed."
            )
        )
        for ticket in self:
            if not ticket.breakfix_repeat_of_id:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s is not a possible repeat visit.",
                        ticket=ticket.number,
                    )
                )
        self.write({"breakfix_policy": policy})
        # a decision even when it agrees with the rules: it sticks
        self.sudo().write(
            {
                "breakfix_policy_manual": True,
                "breakfix_policy_decided_by_id": self.env.uid,
            }
        )

    def _breakfix_rejudge_coverage(self):
        """Judge the coverage (and so the policy) of these tickets again, in
        one batch: an agreement of their customer changed. Tickets with
        invoiced work or a billing manager's policy keep theirs."""
        self.modified(["breakfix_coverage_id"])
        self.env.add_to_compute(self._fields["breakfix_coverage_id"], self)

    def _breakfix_check_locked_fields(self, vals):
        changed = changed_fields(self, vals, BREAKFIX_LOCKED_FIELDS)
        if not changed:
            return
        for ticket in self:
            if ticket._breakfix_has_invoiced_work():
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s has invoiced work: its %(field)s cannot "
                        "change any more. Cancel its invoices first.",
                        ticket=ticket.number,
                        field=self._fields[changed[0]]._description_string(self.env),
                    )
                )

    def _breakfix_opening_day(self):
        """The day the ticket was created (today for a ticket being created):
        coverage and warranty are judged on it.

        The company's day (``res.company._breakfix_today``), as the invoice
        dates it is compared with, whoever makes the ticket judged again.
        """
        self.ensure_one()
        company = self.company_id or self.env.company
        return company._breakfix_today(self.create_date)

    def _breakfix_automatic_policy(self):
        """The policy the rules give: covered by a managed-services agreement,
        else a possible repeat visit under warranty, else the team's."""
        self.ensure_one()
        if self.breakfix_coverage_id:
            return "covered"
        if self.breakfix_repeat_of_id:
            return "warranty"
        return self.team_id.breakfix_default_policy or "billable"

    def _breakfix_explain_policy(self):
        """Why the ticket has its policy, for the Billing tab ("" if billable by
        default)."""
        self.ensure_one()
        automatic = self._breakfix_automatic_policy()
        if self.breakfix_policy_manual:
            return self._breakfix_explain_decision(automatic)
        if self.breakfix_policy != automatic:
            return ""  # kept as invoiced
        if automatic == "covered":
            return self.breakfix_coverage_id.sudo()._breakfix_describe()
        if automatic == "warranty":
            earlier = self.breakfix_repeat_of_id.sudo()
            opening_day = self._breakfix_opening_day()
            last_invoiced = max(
                (
                    line.date
                    for line in earlier.breakfix_invoice_line_ids
                    if line._breakfix_is_charging() and line.date <= opening_day
                ),
                default=False,
            )
            return self.env._(
                "Possible repeat visit of %(ticket)s, invoiced on %(date)s, within "
                "the %(days)s-day workmanship warranty: a billing manager decides "
                "whether it is billed.",
                ticket=earlier.display_name,
                date=format_date(self.env, last_invoiced),
                days=self.breakfix_rate_card_id.warranty_days,
            )
        if self.team_id.breakfix_default_policy not in (False, "billable"):
            return self.env._(
                "Default policy of team %(team)s.", team=self.team_id.display_name
            )
        return ""

    def _breakfix_explain_decision(self, automatic):
        """Who set the policy by hand, and what the rules would give."""
        decided_by = self.breakfix_policy_decided_by_id.sudo().name
        # a decision on a possible repeat visit (see _breakfix_decide_repeat_visit)
        earlier = (
            automatic == "warranty" and self.breakfix_repeat_of_id.sudo().display_name
        )
        if decided_by and earlier and self.breakfix_policy == "billable":
            return self.env._(
                "Billed as usual, as %(user)s decided: a possible repeat visit of "
                "%(ticket)s.",
                user=decided_by,
                ticket=earlier,
            )
        if decided_by and earlier and self.breakfix_policy == "warranty":
            return self.env._(
                "Warranty confirmed by %(user)s: a repeat visit of %(ticket)s.",
                user=decided_by,
                ticket=earlier,
            )
        labels = dict(self._fields["breakfix_policy"]._description_selection(self.env))
        if decided_by:
            return self.env._(
                "Set by %(user)s, billing manager (the rules give “%(policy)s”).",
                user=decided_by,
                policy=labels[automatic],
            )
        return self.env._(
            "Set by a billing manager (the rules give “%(policy)s”).",
            policy=labels[automatic],
        )

    def _breakfix_recently_invoiced(self):
        """The invoiced tickets that may be repeated by those of ``self``.

        One query for the batch: ``{earlier ticket: its invoice days,
        newest first}`` for the tickets of the same customers and categories
        invoiced within the longest warranty before the newest ticket; each
        new ticket then picks the days before its own opening day.
        """
        candidates = self.filtered(
            lambda ticket: (
                ticket.partner_id
                and ticket.category_id
                and ticket.breakfix_rate_card_id.warranty_days > 0
            )
        )
        if not candidates:
            return {}
        days = max(candidates.breakfix_rate_card_id.mapped("warranty_days"))
        opening_days = [ticket._breakfix_opening_day() for ticket in candidates]
        Line = self.env["account.move.line"].sudo()
        groups = Line._read_group(
            [
                *Line._breakfix_charging_domain(),
                (
                    "breakfix_ticket_id.commercial_partner_id",
                    "in",
                    candidates.partner_id.commercial_partner_id.ids,
                ),
                ("breakfix_ticket_id.category_id", "in", candidates.category_id.ids),
                ("breakfix_ticket_id.company_id", "in", candidates.company_id.ids),
                ("date", ">=", min(opening_days) - timedelta(days=days)),
                ("date", "<=", max(opening_days)),
            ],
            groupby=["breakfix_ticket_id", "date:day"],
        )
        invoiced = {}
        for earlier, day in groups:
            invoiced.setdefault(earlier, []).append(fields.Date.to_date(day))
        return {
            earlier: sorted(days, reverse=True) for earlier, days in invoiced.items()
        }

    def _breakfix_find_repeat_of(self, invoiced):
        """The ticket this one possibly repeats, among ``invoiced`` (see
        ``_breakfix_recently_invoiced``): the latest invoiced one of the same
        customer, company and category within the warranty before this
        ticket's opening day; else nothing."""
        self.ensure_one()
        days = self.breakfix_rate_card_id.warranty_days
        if not (self.partner_id and self.category_id and days > 0):
            return self.browse()
        opening_day = self._breakfix_opening_day()
        customer = self.partner_id.commercial_partner_id
        matches = []
        for earlier, invoice_days in invoiced.items():
            if (
                earlier == self._origin
                or earlier.commercial_partner_id != customer
                or earlier.company_id != self.company_id
                or earlier.category_id != self.category_id
            ):
                continue
            last_invoiced = next(
                (day for day in invoice_days if day <= opening_day), None
            )
            if last_invoiced and last_invoiced >= opening_day - timedelta(days=days):
                matches.append((last_invoiced, earlier.id))
        return self.browse(max(matches)[1] if matches else ())

    def _breakfix_store_estimate_usage(self, work):
        self.breakfix_estimate_used = float(work)
        if not self._breakfix_has_estimate():
            self.breakfix_estimate_percent = 0.0
            self.breakfix_estimate_state = "none"
            return
        estimate = self.breakfix_estimate_amount
        compare = self.breakfix_currency_id.compare_amounts
        self.breakfix_estimate_percent = float(work) * 100 / estimate
        if compare(float(work), estimate) >= 0:
            self.breakfix_estimate_state = "exceeded"
        elif compare(float(work), estimate * ESTIMATE_WARNING_PERCENT / 100) >= 0:
            self.breakfix_estimate_state = "warning"
        else:
            self.breakfix_estimate_state = "ok"

    def _breakfix_has_estimate(self):
        self.ensure_one()
        return (
            self.breakfix_currency_id.compare_amounts(
                self.breakfix_estimate_amount, 0.0
            )
            > 0
        )

    def _breakfix_estimate_crossing(self, previous_state):
        """The warning for a technician whose work took the ticket from
        ``previous_state`` over 80 % or 100 % of its estimate; else ""."""
        self.ensure_one()
        levels = [state for state, _label in BREAKFIX_ESTIMATE_STATES]
        state = self.breakfix_estimate_state
        if (
            state not in ("warning", "exceeded")
            or self.breakfix_overrun_approved_by_id
            or levels.index(state) <= levels.index(previous_state or "none")
        ):
            return ""
        currency = self.breakfix_currency_id
        used = format_amount(self.env, self.breakfix_estimate_used, currency)
        estimate = format_amount(self.env, self.breakfix_estimate_amount, currency)
        if state == "warning":
            return self.env._(
                "%(percent)s %% of the estimate is used: %(used)s of %(estimate)s.",
                percent=int(self.breakfix_estimate_percent),
                used=used,
                estimate=estimate,
            )
        return self.env._(
            "The estimate is used up: %(used)s of work for an estimate of "
            "%(estimate)s. The customer is not invoiced beyond the estimate unless "
            "a billing manager approves the overrun.",
            used=used,
            estimate=estimate,
        )

    def _breakfix_estimate_states(self):
        """``{ticket: estimate state}`` of the tickets with an estimate to
        watch, before their work changes (see ``_breakfix_post_estimate_crossings``)."""
        return {
            ticket: ticket.breakfix_estimate_state
            for ticket in self.sudo()
            if ticket._breakfix_has_estimate()
            and not ticket.breakfix_overrun_approved_by_id
        }

    @api.model
    def _breakfix_post_estimate_crossings(self, previous_states):
        """Post a note on each ticket whose work just crossed 80 % or 100 % of
        its estimate: the technicians following it see it in the chatter."""
        for ticket, previous_state in previous_states.items():
            message = ticket._breakfix_estimate_crossing(previous_state)
            if message:
                ticket.message_post(body=message, subtype_xmlid="mail.mt_note")

    def _breakfix_draft_on_close(self):
        """Draft the invoices of tickets that reached a closed stage."""
        tickets = self.filtered(
            lambda ticket: (
                ticket.stage_id.closed
                and ticket.team_id.breakfix_auto_invoice
                and ticket.breakfix_invoice_status == "to_invoice"
            )
        )
        if tickets:
            # drafting is the team's setting, not the closing user's right
            tickets.sudo()._breakfix_draft_invoices()

    def _breakfix_has_invoiced_work(self):
        """Whether an invoice (not cancelled, not released) charges this
        ticket's work."""
        self.ensure_one()
        return any(
            line._breakfix_is_charging()
            for line in self.sudo().breakfix_invoice_line_ids
        )

    def _breakfix_has_work_to_invoice(self):
        self.ensure_one()
        if self.breakfix_policy != "billable":
            return False
        return any(
            entry.unit_amount > 0
            and entry.breakfix_billable
            and entry.breakfix_work_type_id.billable
            and not entry.breakfix_invoice_line_ids
            for entry in self.timesheet_ids
        ) or any(
            part.billable and not part.invoice_line_id
            for part in self.breakfix_material_ids
        )

    def _breakfix_check_manager_fields(self, fnames):
        """Refuse a technician's hand-set policy or rate card."""
        if fnames:
            self._breakfix_ensure_manager(
                self.env._(
                    "Only break/fix billing managers can change the %(field)s of a "
                    "ticket.",
                    field=self._fields[fnames[0]]._description_string(self.env),
                )
            )

    def _breakfix_user_is_manager(self):
        return self.env.user.has_group("breakfix_billing.group_breakfix_manager")

    def _breakfix_ensure_manager(self, message):
        """Raise ``AccessError(message)`` unless the user is a billing manager
        (or the code runs as superuser)."""
        if not self.env.su and not self._breakfix_user_is_manager():
            raise AccessError(message)

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
            (pricing.KIND_ESTIMATE, self.env._("Not to exceed")),
        ]

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------

    @api.model
    def _cron_breakfix_draft_invoices(self, batch_size=50):
        """Draft the invoices of closed tickets, a batch per call.

        The cron runner commits after each call and calls again while we
        report work remaining; a ticket is tried once a day, so one that
        cannot be invoiced does not hold up the others.
        """
        closed_to_invoice = [
            ("stage_id.closed", "=", True),
            ("breakfix_invoice_status", "=", "to_invoice"),
        ]
        # "today" is each company's own day, its start a UTC moment as stored
        not_tried_today = [[("breakfix_last_draft_attempt", "=", False)]]
        for (company,) in self._read_group(closed_to_invoice, ["company_id"]):
            day_start = company._breakfix_day_start()
            not_tried_today.append(
                [
                    ("company_id", "=", company.id),
                    ("breakfix_last_draft_attempt", "<", day_start),
                ]
            )
        domain = [*closed_to_invoice, *expression.OR(not_tried_today)]
        tickets = self.search(domain, limit=batch_size, order="id")
        if tickets:
            try:
                with self.env.cr.savepoint():
                    tickets._breakfix_draft_invoices()
            except UserError:
                # Odoo refused one of the invoices (e.g. a customer of another
                # company), and so the whole batch: draft them one by one, or
                # that ticket would hold up its batch every day.
                tickets._breakfix_draft_invoices_one_by_one()
        self.env["ir.cron"]._notify_progress(
            done=len(tickets), remaining=self.search_count(domain)
        )

    def _breakfix_draft_invoices_one_by_one(self):
        """Draft each ticket on its own: one whose invoice is refused says
        why on the ticket and waits for the next day."""
        for ticket in self:
            try:
                with self.env.cr.savepoint():
                    ticket._breakfix_draft_invoices()
            except UserError as error:
                ticket.breakfix_last_draft_attempt = fields.Datetime.now()
                ticket._breakfix_post_not_drafted(error.args[0])

    def _breakfix_post_not_drafted(self, reason):
        self.message_post(
            body=self.env._("No invoice drafted: %(reason)s", reason=reason)
        )

    def _breakfix_draft_invoices(self):
        """Draft one invoice per ticket, all in one ``create``.

        :return: ``(invoices, skipped)`` where ``skipped`` maps a ticket to
            the reason it was not invoiced; tickets with nothing to invoice
            are neither.
        """
        # Drafting prices every technician's time and writes invoices: it runs
        # with full rights once the caller is allowed to draft (still as the
        # caller, who authors the messages and the invoices).
        self = self.sudo()  # noqa: PLW0642
        locked, skipped = self._breakfix_lock_for_invoicing()
        # An invoiced entry keeps the price stored on it: store the pending
        # ones (entries logged or repriced in this transaction) before the
        # invoice freezes them, or they would keep no price at all.
        self.env["account.analytic.line"].flush_model(
            [
                "breakfix_billed_hours",
                "breakfix_amount",
                "breakfix_no_charge_amount",
                "breakfix_pricing_trace",
            ]
        )
        vals_list = []
        context = {}
        for ticket in locked:
            try:
                vals = ticket._breakfix_prepare_invoice_vals(context)
            except UserError as error:
                skipped[ticket] = error.args[0]
                continue
            if vals:
                vals_list.append(vals)
        invoices = self.env["account.move"].create(vals_list)
        locked.breakfix_last_draft_attempt = fields.Datetime.now()
        for ticket, reason in skipped.items():
            ticket._breakfix_post_not_drafted(reason)
        return invoices.sudo(False), {
            ticket.sudo(False): reason for ticket, reason in skipped.items()
        }

    def _breakfix_lock_for_invoicing(self):
        """Lock the tickets' rows; those another transaction holds are skipped.

        A concurrent run that already invoiced a ticket updated its row: here
        that is a serialization failure, so that ticket is skipped too.
        """
        locked_ids, skipped = [], {}
        busy = self.env._("another invoicing run is drafting this ticket.")
        for ticket in self:
            try:
                with self.env.cr.savepoint(flush=False):
                    # an expected failure: not an error for the server log
                    self.env.cr.execute(
                        SQL(
                            "SELECT id FROM helpdesk_ticket WHERE id = %s "
                            "FOR UPDATE SKIP LOCKED",
                            ticket.id,
                        ),
                        log_exceptions=False,
                    )
                    if self.env.cr.fetchone():
                        locked_ids.append(ticket.id)
                    else:
                        skipped[ticket] = busy
            except psycopg2.errors.SerializationFailure:
                skipped[ticket] = busy
        return self.browse(locked_ids), skipped

    def _breakfix_prepare_invoice_vals(self, context):
        """The values of the ticket's next invoice, None when nothing is due.

        Raises ``UserError`` saying why the ticket cannot be invoiced.
        """
        self.ensure_one()
        if self.breakfix_policy != "billable":
            return None
        # the labels of the invoice lines speak the customer's language
        customer_lang = self.partner_id.lang or self.env.lang
        result, error = self.with_context(lang=customer_lang)._breakfix_price(
            context=context
        )
        if error:
            raise UserError(self._breakfix_price(context=context)[1])
        lines = self.with_context(lang=customer_lang)._breakfix_lines_to_invoice(result)
        if not lines:
            return None
        if not self.partner_id:
            raise UserError(
                self.env._("Ticket %(ticket)s has no customer.", ticket=self.number)
            )
        rate_card = self.breakfix_rate_card_id
        company = self.company_id
        if rate_card.company_id != company:
            raise UserError(
                self.env._(
                    "Rate card “%(rate_card)s” belongs to %(card_company)s, ticket "
                    "%(ticket)s to %(company)s.",
                    rate_card=rate_card.display_name,
                    card_company=rate_card.company_id.name,
                    ticket=self.number,
                    company=company.name,
                )
            )
        journal = self._breakfix_sale_journal(context)
        return {
            "move_type": "out_invoice",
            "company_id": company.id,
            "journal_id": journal.id,
            "partner_id": self._breakfix_invoice_partner().id,
            "currency_id": rate_card.currency_id.id,
            "date": company._breakfix_today(),
            "invoice_origin": self.number,
            "ref": f"{self.number} · {self.name}",
            "invoice_line_ids": [
                Command.create(self._breakfix_prepare_invoice_line_vals(line))
                for line in lines
            ],
        }

    def _breakfix_sale_journal(self, context):
        company = self.company_id
        key = ("journal", company)
        if key not in context:
            context[key] = self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(company),
                    ("type", "=", "sale"),
                ],
                limit=1,
            )
        if not context[key]:
            raise UserError(
                self.env._(
                    "Company %(company)s has no sales journal to invoice ticket "
                    "%(ticket)s in.",
                    company=company.name,
                    ticket=self.number,
                )
            )
        return context[key]

    def _breakfix_prepare_invoice_line_vals(self, line):
        """Invoice line values for one charge of the pricing result."""
        product, uom = self._breakfix_charge_product(line)
        vals = {
            "product_id": product.id,
            "product_uom_id": uom.id,
            "name": line.label,
            "quantity": float(line.quantity),
            "price_unit": float(line.price_unit),
            "breakfix_ticket_id": self.id,
            "breakfix_kind": line.kind,
            "breakfix_date": line.local_date,
        }
        if line.kind == pricing.KIND_LABOUR:
            vals["breakfix_timesheet_ids"] = [Command.link(line.source_key)]
        elif line.kind == pricing.KIND_MATERIAL:
            vals["breakfix_material_ids"] = [Command.link(line.source_key)]
        if line.tax_key is not None:
            vals["tax_ids"] = [Command.set(list(line.tax_key))]
        return vals

    def _breakfix_charge_product(self, line):
        """The product and unit of measure that invoice a charge; checked."""
        # not env.ref(): it checks that the record exists, a query per line
        xmlid_to_res_id = self.env["ir.model.data"]._xmlid_to_res_id
        hours = self.env["uom.uom"].browse(
            xmlid_to_res_id("uom.product_uom_hour", raise_if_not_found=True)
        )
        if line.kind in (pricing.KIND_LABOUR, pricing.KIND_MINIMUM):
            product, uom = (
                self.env["breakfix.work.type"].browse(line.work_type_key).product_id,
                hours,
            )
        elif line.kind == pricing.KIND_MATERIAL:
            material = self.env["helpdesk.ticket.material"].browse(line.source_key)
            product, uom = material.product_id, material.product_uom_id
        else:
            product = self.env["product.product"].browse(
                xmlid_to_res_id(
                    "breakfix_billing."
                    + {
                        pricing.KIND_CALLOUT: "product_breakfix_callout",
                        pricing.KIND_TRIP: "product_breakfix_trip",
                        pricing.KIND_ESTIMATE: "product_breakfix_not_to_exceed",
                    }[line.kind],
                    raise_if_not_found=True,
                )
            )
            uom = product.uom_id
        if product.company_id and product.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "Product “%(product)s” belongs to %(product_company)s, ticket "
                    "%(ticket)s to %(company)s.",
                    product=product.display_name,
                    product_company=product.company_id.name,
                    ticket=self.number,
                    company=self.company_id.name,
                )
            )
        accounts = product.with_company(self.company_id)._get_product_accounts()
        if not accounts["income"]:
            raise UserError(
                self.env._(
                    "Product “%(product)s” has no income account (nor has its "
                    "category): ticket %(ticket)s cannot be invoiced.",
                    product=product.display_name,
                    ticket=self.number,
                )
            )
        return product, uom

    def _breakfix_lines_to_invoice(self, result):
        """The charges of the ticket's next invoice: the billable charges of
        ``result`` not invoiced yet, and the not-to-exceed adjustment that
        keeps the invoices within the estimate (or gives back what earlier
        ones took off too much), one line per tax set."""
        due = self._breakfix_charges_due(result)
        invoiced = self._breakfix_invoiced_amounts()
        adjustment = self._breakfix_not_to_exceed_line(result, due, invoiced)
        if not adjustment:
            return due
        if adjustment.amount < 0:
            # taken off the lines it adjusts, under their taxes
            weights = self._breakfix_amounts_by_taxes(due)
        else:
            # gives back the earlier adjustments, under theirs
            weights = {
                key: -amount for key, amount in invoiced.adjusted_by_taxes.items()
            }
        return [*due, *pricing.split_by_taxes(result.rules, adjustment, weights)]

    def _breakfix_invoiced_amounts(self):
        """What the ticket's customer invoices charge, as the pricing made it.

        Amounts are quantity × unit price, not the subtotals (tax-included
        prices make those differ); credit notes count for nothing: they
        settle a charge, they make no room under the estimate.
        """
        self.ensure_one()
        digits = self.breakfix_currency_id.decimal_places
        work = adjusted = pricing.ZERO
        adjusted_by_taxes = {}
        for line in self.sudo().breakfix_invoice_line_ids:
            if not line._breakfix_is_charging():
                continue
            amount = pricing.quantize(
                pricing.to_decimal(line.quantity) * pricing.to_decimal(line.price_unit),
                digits,
            )
            if line.breakfix_kind == pricing.KIND_ESTIMATE:
                adjusted += amount
                key = tuple(sorted(line.tax_ids.ids))
                adjusted_by_taxes[key] = (
                    adjusted_by_taxes.get(key, pricing.ZERO) + amount
                )
            else:
                work += amount
        return InvoicedAmounts(work, adjusted, adjusted_by_taxes)

    def _breakfix_not_to_exceed_line(self, result, due, invoiced):
        """The not-to-exceed adjustment of the next draft (see
        ``pricing.not_to_exceed_amount``), or None."""
        self.ensure_one()
        if result.rules is None or self.breakfix_policy != "billable":
            return None
        due_amount = sum((line.amount for line in due), pricing.ZERO)
        return pricing.not_to_exceed_line(
            result.rules,
            estimate=self.breakfix_estimate_amount,
            work=invoiced.work + due_amount,
            adjusted=invoiced.adjusted,
            due=due_amount,
            approved=bool(self.breakfix_overrun_approved_by_id),
            translate=self.env._,
        )

    def _breakfix_has_reversal_due(self):
        """Whether the next draft gives back adjustments its invoices took
        off (the estimate raised or removed, the overrun approved), with no
        work to invoice."""
        self.ensure_one()
        if self.breakfix_policy != "billable":
            return False
        invoiced = self._breakfix_invoiced_amounts()
        if not invoiced.adjusted:
            return False
        reversal = pricing.not_to_exceed_amount(
            self.breakfix_estimate_amount,
            work=invoiced.work,
            adjusted=invoiced.adjusted,
            due=pricing.ZERO,
            approved=bool(self.breakfix_overrun_approved_by_id),
        )
        return self.breakfix_currency_id.compare_amounts(float(reversal), 0.0) > 0

    def _breakfix_amounts_by_taxes(self, lines):
        """``{tax key: amount}`` of the charges ``lines`` by the taxes their
        invoice lines get, as Odoo gives them: the product's taxes for the
        company (else its income account's), mapped by the customer's fiscal
        position. A tax key is the sorted tuple of the taxes' ids."""
        company = self.company_id
        fiscal_position = self._breakfix_fiscal_position()
        company_domain = self.env["account.tax"]._check_company_domain(company)
        amounts = {}
        for line in lines:
            product = self._breakfix_charge_product(line)[0]
            taxes = product.taxes_id.filtered_domain(company_domain)
            if not taxes:
                accounts = product.with_company(company)._get_product_accounts()
                taxes = fiscal_position.map_account(accounts["income"]).tax_ids
                taxes = taxes.filtered(lambda tax: tax.type_tax_use == "sale")
            taxes = taxes._filter_taxes_by_company(company)
            if taxes and fiscal_position:
                taxes = fiscal_position.map_tax(taxes)
            key = tuple(sorted(taxes.ids))
            amounts[key] = amounts.get(key, pricing.ZERO) + line.amount
        return amounts

    def _breakfix_invoice_partner(self):
        """The customer's invoice address: the partner of its invoices."""
        customer = self.partner_id.commercial_partner_id
        return customer.browse(customer.address_get(["invoice"])["invoice"])

    def _breakfix_fiscal_position(self):
        """The fiscal position the ticket's invoice gets (as Odoo computes it
        for a move without delivery address)."""
        partner = self._breakfix_invoice_partner()
        delivery = partner.browse(partner.address_get(["delivery"])["delivery"])
        return (
            self.env["account.fiscal.position"]
            .with_company(self.company_id)
            ._get_fiscal_position(partner, delivery=delivery)
        )

    def _breakfix_charges_due(self, result):
        """The billable charges of ``result`` not invoiced yet.

        Time entries and parts are invoiced once; the call-out fee and the
        minimum charge once per ticket; a trip fee once per day.
        """
        self.ensure_one()
        # technicians see what is left to invoice, not the invoices themselves
        ticket = self.sudo()
        charging = ticket.breakfix_invoice_line_ids.filtered(
            lambda line: line._breakfix_is_charging()
        )
        invoiced_kinds = set(charging.mapped("breakfix_kind"))
        invoiced_days = set(
            charging.filtered(lambda line: line.breakfix_kind == "trip").mapped(
                "breakfix_date"
            )
        )
        invoiced_entries = set(
            ticket.timesheet_ids.filtered("breakfix_invoice_line_ids").ids
        )
        invoiced_parts = set(
            ticket.breakfix_material_ids.filtered("invoice_line_id").ids
        )
        due = []
        for line in result.lines:
            if not line.billable:
                continue
            if line.kind == pricing.KIND_LABOUR and line.source_key in invoiced_entries:
                continue
            if line.kind == pricing.KIND_MATERIAL and line.source_key in invoiced_parts:
                continue
            if line.kind in (pricing.KIND_CALLOUT, pricing.KIND_MINIMUM) and (
                line.kind in invoiced_kinds
            ):
                continue
            if line.kind == pricing.KIND_TRIP and line.local_date in invoiced_days:
                continue
            due.append(line)
        return due

    def _breakfix_invoicing_summary_action(self, invoices, skipped):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"default_move_type": "out_invoice"}
        if len(invoices) == 1:
            action.update(views=[(False, "form")], res_id=invoices.id)
        if not skipped:
            return action
        message = self.env._(
            "%(count)s invoice(s) drafted. Not invoiced:\n%(skipped)s",
            count=len(invoices),
            skipped="\n".join(
                f"{ticket.number}: {reason}" for ticket, reason in skipped.items()
            ),
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Break/fix invoicing"),
                "message": message,
                "type": "warning",
                "sticky": True,
                "next": action if invoices else {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    def _breakfix_portal_shows_charges(self, user):
        """Whether ``user`` sees the charges of this ticket on the portal:
        only the people of the ticket's customer do (not the followers from
        elsewhere, who may see the ticket itself)."""
        self.ensure_one()
        customer = self.sudo().partner_id.commercial_partner_id
        return bool(
            customer
            and not user._is_public()
            and user.partner_id.commercial_partner_id == customer
        )

    def _breakfix_portal_charges(self):
        """The charges of the ticket as its customer sees them on the portal.

        Read as superuser, on a ticket the portal user was checked to see
        (``_breakfix_portal_shows_charges``): the posted invoices and credit
        notes of the ticket's customer with their lines and the pricing
        trace in their labels; when the team shows them, the charges not on
        a posted invoice yet (draft invoices and work still to invoice).
        Never costs nor internal notes: only what the customer's invoices
        say. The invoices of a former customer of the ticket (moved to
        another one after invoicing) are not this customer's: left out. An
        invoice is linked (without access token) only when the user may
        read it.
        """
        self.ensure_one()
        user = self.env.user
        ticket = self.sudo()
        kinds = dict(ticket._breakfix_line_kinds())
        currency = ticket.breakfix_currency_id
        customer = ticket.partner_id.commercial_partner_id
        lines = ticket.breakfix_invoice_line_ids.filtered(
            lambda line: (
                line.display_type == "product"
                and line.move_id.move_type in ("out_invoice", "out_refund")
                and line.move_id.commercial_partner_id == customer
            )
        )
        invoices = []
        invoiced = billed_hours = 0.0
        for move in lines.move_id.filtered(lambda move: move.state == "posted").sorted(
            lambda move: (move.invoice_date, move.id)
        ):
            charges = [
                ticket._breakfix_portal_invoice_line_charge(kinds, line)
                for line in move.invoice_line_ids & lines
            ]
            amount = sum(charge["amount"] for charge in charges)
            invoiced += amount
            billed_hours += sum(charge["hours"] for charge in charges)
            invoices.append(
                {
                    "invoice": move,
                    "url": move.access_url
                    if move.with_user(user).has_access("read")
                    else False,
                    "charges": charges,
                    "amount": amount,
                    "currency": move.currency_id,
                }
            )
        pending = []
        if ticket.team_id.breakfix_portal_show_draft:
            pending = [
                ticket._breakfix_portal_invoice_line_charge(kinds, line)
                for line in lines.filtered(lambda line: line.parent_state == "draft")
            ]
            result, _error = ticket._breakfix_price()
            if result is not None:
                pending += [
                    ticket._breakfix_portal_charge(
                        kinds,
                        line.kind,
                        line.label,
                        line.quantity,
                        line.price_unit,
                        line.amount,
                    )
                    for line in ticket._breakfix_lines_to_invoice(result)
                ]
        pending_amount = sum(charge["amount"] for charge in pending)
        return {
            "currency": currency,
            "invoices": invoices,
            "pending": pending,
            "show_pending": ticket.team_id.breakfix_portal_show_draft,
            "amount_invoiced": invoiced,
            "amount_pending": pending_amount,
            "billed_hours": billed_hours + sum(charge["hours"] for charge in pending),
        }

    def _breakfix_portal_invoice_line_charge(self, kinds, line):
        """A charge as an invoice line of the ticket says it (credit notes
        negative)."""
        return self._breakfix_portal_charge(
            kinds,
            line.breakfix_kind,
            line.name,
            line.quantity,
            line.price_unit,
            line.price_subtotal,
            -1 if line.move_id.move_type == "out_refund" else 1,
        )

    def _breakfix_portal_charge(
        self, kinds, kind, label, quantity, price_unit, amount, sign=1
    ):
        hours = quantity if kind in (pricing.KIND_LABOUR, pricing.KIND_MINIMUM) else 0
        return {
            "kind": kinds.get(kind, ""),
            "label": label,
            "quantity": float(quantity) * sign,
            "price_unit": float(price_unit),
            "amount": float(amount) * sign,
            "hours": float(hours) * sign,
        }
