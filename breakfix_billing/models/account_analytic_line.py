# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_compare

from .. import pricing
from .constants import (
    MANAGERS,
    MAX_AMOUNT,
    MAX_DISTANCE_KM,
    NOBODY,
    RATE_CARD_DEPENDENCIES,
    STAFF,
)
from .field_changes import changed_fields, refuse_invoiced

MAX_ENTRY_HOURS = 24

# What an invoiced time entry was billed on: frozen with the invoice.
BREAKFIX_LOCKED_FIELDS = (
    "unit_amount",
    "date_time",
    "date",
    "employee_id",
    "user_id",
    "breakfix_work_type_id",
    "breakfix_billable",
    "breakfix_billed_hours_override",
    "breakfix_distance_km",
    "ticket_id",
)


class AccountAnalyticLine(models.Model):
    _name = "account.analytic.line"
    _inherit = [
        "account.analytic.line",
        "breakfix.field.access",
        "breakfix.review.mixin",
    ]

    # The technicians say what kind of work they did; the billing managers
    # what is given free; the pricing and the invoices keep the rest.
    _breakfix_field_writers = {
        "breakfix_work_type_id": STAFF,
        "breakfix_billable": MANAGERS,
        "breakfix_billed_hours_override": MANAGERS,
        "breakfix_override_user_id": NOBODY,
        "breakfix_distance_km": MANAGERS,
        "breakfix_review_state": NOBODY,
        "breakfix_reviewed_by_id": NOBODY,
        "breakfix_reviewed_date": NOBODY,
        "breakfix_customer_id": NOBODY,
        "breakfix_currency_id": NOBODY,
        "breakfix_billed_hours": NOBODY,
        "breakfix_amount": NOBODY,
        "breakfix_no_charge_amount": NOBODY,
        "breakfix_invoice_line_ids": NOBODY,
        "breakfix_pricing_trace": NOBODY,
    }
    # any entry: a duration is a number (a ticket's has its own rules below)
    _breakfix_field_bounds = {
        "unit_amount": (None, MAX_AMOUNT),
        "breakfix_billed_hours_override": (0, MAX_ENTRY_HOURS),
        "breakfix_distance_km": (0, MAX_DISTANCE_KM),
    }

    breakfix_work_type_id = fields.Many2one(
        comodel_name="breakfix.work.type",
        string="Work Type",
        compute="_compute_breakfix_work_type_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="Kind of work: its rate on the customer's rate card applies.",
    )
    breakfix_billable = fields.Boolean(
        string="Billable",
        default=True,
        help="Unticked by a billing manager, the entry is reported as no-charge "
        "work and never invoiced.",
    )
    breakfix_billed_hours_override = fields.Float(
        string="Bill Hours",
        digits="Product Unit of Measure",
        copy=False,
        help="Set by a billing manager: the hours billed instead of the rounded "
        "duration, before the time factors and the minimum. 0: the rate card's "
        "rounding applies.",
    )
    breakfix_distance_km = fields.Float(
        string="Distance (km)",
        digits=(16, 1),
        copy=False,
        help="Set by a billing manager: the round trip of this day's visit, "
        "instead of the site's usual distance.",
    )
    breakfix_override_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Hours Set By",
        readonly=True,
        copy=False,
    )
    breakfix_customer_id = fields.Many2one(
        related="ticket_id.commercial_partner_id",
        string="Ticket Customer",
        store=True,
    )
    breakfix_currency_id = fields.Many2one(
        related="ticket_id.breakfix_currency_id",
        string="Billing Currency",
        store=True,
    )
    breakfix_billed_hours = fields.Float(
        string="Billed Hours",
        compute="_compute_breakfix_amount",
        store=True,
        digits="Product Unit of Measure",
        help="The duration after the rate card's rounding; 0 while a timer runs.",
    )
    breakfix_amount = fields.Monetary(
        string="Billed Amount",
        compute="_compute_breakfix_amount",
        store=True,
        currency_field="breakfix_currency_id",
    )
    breakfix_no_charge_amount = fields.Monetary(
        string="No-charge Value",
        compute="_compute_breakfix_amount",
        store=True,
        currency_field="breakfix_currency_id",
        help="What the entry would have cost, when it is not charged.",
    )
    breakfix_invoice_line_ids = fields.Many2many(
        comodel_name="account.move.line",
        relation="breakfix_timesheet_invoice_line_rel",
        column1="timesheet_id",
        column2="move_line_id",
        string="Invoice Lines",
        copy=False,
        readonly=True,
        help="The invoice lines that bill this entry (one per piece of time).",
    )
    breakfix_pricing_trace = fields.Text(
        string="Pricing",
        compute="_compute_breakfix_amount",
        store=True,
        help="How the entry was priced, one line per piece of time.",
    )

    @api.depends(
        "ticket_id.breakfix_onsite",
        "ticket_id.team_id.breakfix_work_type_id",
        "ticket_id.team_id.breakfix_onsite_work_type_id",
    )
    def _compute_breakfix_work_type_id(self):
        """A new entry's work type: the team's on-site one on a ticket marked
        on-site, else the team's default; an entry keeps the one it has."""
        for line in self:
            if not line.ticket_id:
                line.breakfix_work_type_id = False
            elif not line.breakfix_work_type_id:
                line.breakfix_work_type_id = line.ticket_id.team_id._breakfix_work_type(
                    onsite=line.ticket_id.breakfix_onsite
                )

    @api.depends(
        "unit_amount",
        "date_time",
        "date",
        "employee_id",
        "breakfix_work_type_id.hourly_rate",
        "breakfix_work_type_id.billable",
        "breakfix_work_type_id.onsite",
        "breakfix_billable",
        "breakfix_billed_hours_override",
        "breakfix_override_user_id",
        "ticket_id.breakfix_policy",
        "ticket_id.breakfix_emergency",
        "ticket_id.breakfix_rate_card_id",
        *(f"ticket_id.{dependency}" for dependency in RATE_CARD_DEPENDENCIES),
    )
    @api.depends_context("lang")
    def _compute_breakfix_amount(self):
        rules_by_card = {}
        # an invoiced entry keeps the price it was invoiced at
        to_price = self.filtered(lambda line: not line.sudo().breakfix_invoice_line_ids)
        for ticket, lines in to_price.grouped("ticket_id").items():
            result = None
            if ticket:
                result, _error = ticket._breakfix_price(
                    timesheets=lines, with_materials=False, rules_by_card=rules_by_card
                )
            for line in lines:
                entry = result and result.entries.get(line.id)
                line._breakfix_store_entry(entry)

    def _breakfix_store_entry(self, entry):
        if entry is None:
            self.breakfix_billed_hours = 0.0
            self.breakfix_amount = 0.0
            self.breakfix_no_charge_amount = 0.0
            self.breakfix_pricing_trace = False
            return
        # a no-charge entry bills no hours: its value is no-charge value
        self.breakfix_billed_hours = float(
            entry.billed_hours if entry.billable else pricing.ZERO
        )
        charged = entry.amount if entry.billable else pricing.ZERO
        self.breakfix_amount = float(charged)
        self.breakfix_no_charge_amount = float(entry.amount - charged)
        self.breakfix_pricing_trace = "\n".join(line.label for line in entry.lines)

    @api.constrains("unit_amount", "ticket_id")
    def _check_breakfix_duration(self):
        for line in self.filtered("ticket_id"):
            if float_compare(line.unit_amount, 0.0, precision_digits=4) < 0:
                raise ValidationError(
                    self.env._(
                        "The time entry “%(entry)s” on ticket %(ticket)s ends "
                        "before it starts: its duration (%(hours)s h) is negative.",
                        entry=line.name or "/",
                        ticket=line.ticket_id.number,
                        hours=round(line.unit_amount, 2),
                    )
                )
            if float_compare(line.unit_amount, MAX_ENTRY_HOURS, precision_digits=4) > 0:
                raise ValidationError(
                    self.env._(
                        "The time entry “%(entry)s” on ticket %(ticket)s lasts "
                        "%(hours)s h: a single entry cannot exceed %(max)s hours. "
                        "Log each day separately.",
                        entry=line.name or "/",
                        ticket=line.ticket_id.number,
                        hours=round(line.unit_amount, 2),
                        max=MAX_ENTRY_HOURS,
                    )
                )

    @api.constrains("breakfix_work_type_id")
    def _check_breakfix_work_type_company(self):
        self._check_company(["breakfix_work_type_id"])

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._breakfix_check_end_time(vals)
        tickets = self.env["helpdesk.ticket"].browse(
            {vals["ticket_id"] for vals in vals_list if vals.get("ticket_id")}
        )
        estimate_states = tickets._breakfix_estimate_states()
        lines = super().create(vals_list)
        for line, vals in zip(lines, vals_list, strict=True):
            line._breakfix_stamp_override(vals)
        tickets._breakfix_post_estimate_crossings(estimate_states)
        tickets._breakfix_check_monthly_caps()
        return lines

    def write(self, vals):
        # before the locks read the values
        self._breakfix_check_bounds([vals])
        for line in self if "date_time_end" in vals else ():
            line._breakfix_check_end_time(vals)
        self._breakfix_check_invoiced(
            changed_fields(self, vals, BREAKFIX_LOCKED_FIELDS)
        )
        estimate_states = {}
        if any(fname in vals for fname in BREAKFIX_LOCKED_FIELDS):
            tickets = self.ticket_id | self.ticket_id.browse(vals.get("ticket_id"))
            estimate_states = tickets._breakfix_estimate_states()
        result = super().write(vals)
        self._breakfix_stamp_override(vals)
        self._breakfix_review_again(vals, BREAKFIX_LOCKED_FIELDS)
        if estimate_states:
            self.env["helpdesk.ticket"]._breakfix_post_estimate_crossings(
                estimate_states
            )
        if any(fname in vals for fname in BREAKFIX_LOCKED_FIELDS):
            self.ticket_id._breakfix_check_monthly_caps()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_breakfix_invoiced(self):
        self._breakfix_check_invoiced()

    def _breakfix_check_invoiced(self, fnames=None):
        """Refuse to change (``fnames``) or delete invoiced time entries."""
        refuse_invoiced(
            self,
            lambda line: line.breakfix_invoice_line_ids.move_id[:1],
            lambda line: self.env._(
                "The time entry “%(entry)s” of %(date)s",
                entry=line.name or "/",
                date=line.date,
            ),
            fnames,
        )

    def _breakfix_stamp_override(self, vals):
        """Record who set the billed hours of ``vals``: whoever wrote them
        (the field's declaration says who may)."""
        if "breakfix_billed_hours_override" in vals:
            self.sudo().breakfix_override_user_id = (
                vals["breakfix_billed_hours_override"] and self.env.user
            ) or False

    def _breakfix_check_end_time(self, vals):
        """An end before the start, or over a day after it, is refused: the
        timer's inverse would turn it into an entry of the wrong length."""
        if not vals.get("date_time_end"):
            return
        start = fields.Datetime.to_datetime(vals.get("date_time", self.date_time))
        end = fields.Datetime.to_datetime(vals["date_time_end"])
        if not start:
            return
        label = self._fields["date_time_end"].get_description(self.env)["string"]
        if end < start:
            raise ValidationError(
                self.env._(
                    "The %(field)s of the time entry “%(entry)s” (%(end)s) is "
                    "before its start (%(start)s).",
                    field=label,
                    entry=vals.get("name", self.name) or "/",
                    end=end,
                    start=start,
                )
            )
        if end - start > timedelta(hours=MAX_ENTRY_HOURS):
            raise ValidationError(
                self.env._(
                    "The %(field)s of the time entry “%(entry)s” (%(end)s) is more "
                    "than %(max)s hours after its start (%(start)s). Log each day "
                    "separately.",
                    field=label,
                    entry=vals.get("name", self.name) or "/",
                    end=end,
                    start=start,
                    max=MAX_ENTRY_HOURS,
                )
            )

    def _breakfix_is_billable(self):
        """Whether the entry's time is charged when its ticket is billable:
        nobody gave it free, and its work type is billable."""
        self.ensure_one()
        return self.breakfix_billable and self.breakfix_work_type_id.billable

    @api.model
    def _breakfix_is_billable_sql(self, entry, work_type):
        """``_breakfix_is_billable`` of the rows named ``entry`` and
        ``work_type`` (its ``breakfix_work_type``) in a query."""
        return SQL(
            "%s.breakfix_billable AND %s.billable",
            SQL.identifier(entry),
            SQL.identifier(work_type),
        )

    def _breakfix_entry_input(self):
        self.ensure_one()
        work_type = self.breakfix_work_type_id
        return pricing.EntryInput(
            key=self.id,
            start=self.date_time or datetime.combine(self.date, time()),
            hours=self.unit_amount,
            work_type_key=work_type.id,
            work_type_name=work_type.name or self.env._("(no work type)"),
            employee_key=self.employee_id.id or None,
            employee_name=self.employee_id.name or self.user_id.name or "",
            onsite=work_type.onsite,
            billable=self._breakfix_is_billable(),
            billed_hours_override=self.breakfix_billed_hours_override or None,
            override_by=self.breakfix_override_user_id.name or "",
            # only on-site work travels: remote entries read no distance
            extra={"distance_km": self._breakfix_distance_km()}
            if work_type.onsite
            else {},
        )

    def _breakfix_distance_km(self):
        """The round trip of the entry's visit: its own, else its ticket's
        site's (the contact's, else its company's)."""
        self.ensure_one()
        site = self.ticket_id.partner_id
        return (
            self.breakfix_distance_km
            or site.breakfix_distance_km
            or site.commercial_partner_id.breakfix_distance_km
        )
