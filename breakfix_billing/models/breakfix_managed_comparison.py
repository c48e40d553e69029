# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools import format_amount, format_date

from .. import pricing
from .constants import NOBODY

MONTHS = 12


class BreakfixManagedComparison(models.TransientModel):
    """What a customer paid for break/fix work over the trailing 12 months,
    next to what a managed plan at its rate card's monthly price would have
    cost over the same months.

    The months are the 12 full calendar months before the current one (the
    current month is not over: it would always look cheap). The charges are
    the customer's posted break/fix invoice lines, less its posted credit
    notes, untaxed, by invoice date, in the rate card's currency (the lines
    of another currency converted at their invoice's date).

    A customer with no posted break/fix invoice in the period has nothing to
    compare yet: no verdict, no difference. What it has not been charged yet
    is shown beside, never counted in: its draft break/fix invoices
    (drafted) and the work of its tickets still to invoice (open), at
    today's rate when of another currency.
    """

    _name = "breakfix.managed.comparison"
    _description = "Break/fix vs Managed Plan"
    # no difference without a managed plan price or a posted history: after
    # the others
    _order = "has_managed_plan desc, has_history desc, difference desc, id"
    _inherit = ["breakfix.field.access"]
    _rec_name = "partner_id"
    _check_company_auto = True
    # computed from the invoices when the comparison is made
    _breakfix_field_writers = dict.fromkeys(
        (
            "partner_id",
            "company_id",
            "rate_card_id",
            "currency_id",
            "date_from",
            "date_to",
            "breakfix_amount",
            "managed_monthly_price",
            "has_managed_plan",
            "managed_amount",
            "difference",
            "has_history",
            "drafted_amount",
            "open_amount",
            "month_ids",
            "chart_line_ids",
        ),
        NOBODY,
    )

    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", required=True, readonly=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True
    )
    rate_card_id = fields.Many2one(
        comodel_name="breakfix.rate.card",
        readonly=True,
        check_company=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency", required=True, readonly=True
    )
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    breakfix_amount = fields.Monetary(
        string="Break/fix Charges",
        readonly=True,
        help="Untaxed break/fix invoices of the period, less credit notes.",
    )
    managed_monthly_price = fields.Monetary(
        string="Managed Plan per Month", readonly=True
    )
    has_managed_plan = fields.Boolean(
        string="Has a Managed Plan Price",
        readonly=True,
        help="The rate card has a managed plan monthly price to compare with.",
    )
    managed_amount = fields.Monetary(
        string="Managed Plan",
        readonly=True,
        help="12 × the rate card's managed plan monthly price.",
    )
    difference = fields.Monetary(
        readonly=True,
        help="Break/fix charges less the managed plan: positive, the managed "
        "plan would have cost the customer that much less. 0 when there is "
        "nothing to compare.",
    )
    has_history = fields.Boolean(
        string="Has Posted Break/fix Invoices",
        readonly=True,
        help="The customer has posted break/fix invoices or credit notes in the "
        "period: there is something to compare.",
    )
    drafted_amount = fields.Monetary(
        string="Drafted",
        readonly=True,
        help="Untaxed break/fix invoices still in draft, less draft credit "
        "notes, whatever their date: not in the comparison until posted.",
    )
    open_amount = fields.Monetary(
        string="Open",
        readonly=True,
        help="Work of the customer's tickets still to invoice, untaxed: not in "
        "the comparison until invoiced and posted.",
    )
    verdict = fields.Char(compute="_compute_verdict")
    period_label = fields.Char(string="Period", compute="_compute_period_label")
    month_ids = fields.One2many(
        comodel_name="breakfix.managed.comparison.month",
        inverse_name="comparison_id",
        string="Months",
        readonly=True,
        domain=[("series", "=", "breakfix")],
        help="The break/fix charges of each month, next to the managed plan's "
        "monthly price.",
    )
    chart_line_ids = fields.One2many(
        comodel_name="breakfix.managed.comparison.month",
        inverse_name="comparison_id",
        string="Chart Lines",
        readonly=True,
        help="Both series of the chart: a line per month and series.",
    )

    @api.depends(
        "difference",
        "managed_amount",
        "breakfix_amount",
        "rate_card_id",
        "has_history",
        "date_from",
        "date_to",
    )
    @api.depends_context("lang")
    def _compute_verdict(self):
        for comparison in self:
            comparison.verdict = comparison._breakfix_verdict()

    @api.depends("date_from", "date_to")
    @api.depends_context("lang")
    def _compute_period_label(self):
        for comparison in self:
            comparison.period_label = comparison._breakfix_period_label()

    def _breakfix_period_label(self):
        """The period in words: "December 2025 – November 2026"."""
        self.ensure_one()
        if not (self.date_from and self.date_to):
            return ""
        return self.env._(
            "%(first_month)s – %(last_month)s",
            first_month=format_date(self.env, self.date_from, date_format="MMMM y"),
            last_month=format_date(self.env, self.date_to, date_format="MMMM y"),
        )

    def _breakfix_verdict(self):
        self.ensure_one()
        if not self.rate_card_id:
            return self.env._(
                "No rate card applies to this customer: there is no managed plan "
                "price to compare with."
            )
        if not self.managed_monthly_price:
            return self.env._(
                "Rate card “%(rate_card)s” has no managed plan price: there is "
                "nothing to compare with.",
                rate_card=self.rate_card_id.display_name,
            )
        if not self.has_history:
            return self.env._(
                "No posted break/fix invoices in %(period)s: nothing to compare yet.",
                period=self._breakfix_period_label(),
            )
        values = {
            "amount": format_amount(self.env, abs(self.difference), self.currency_id),
            "managed": format_amount(self.env, self.managed_amount, self.currency_id),
            "breakfix": format_amount(self.env, self.breakfix_amount, self.currency_id),
        }
        comparison = self.currency_id.compare_amounts(self.difference, 0.0)
        if comparison > 0:
            return self.env._(
                "A managed plan would have cost %(amount)s less: %(managed)s "
                "instead of %(breakfix)s of break/fix charges.",
                **values,
            )
        if comparison < 0:
            return self.env._(
                "A managed plan would have cost %(amount)s more: %(managed)s "
                "instead of %(breakfix)s of break/fix charges.",
                **values,
            )
        return self.env._(
            "A managed plan would have cost the same as break/fix: %(managed)s.",
            **values,
        )

    def action_view_months(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "breakfix_billing.breakfix_managed_comparison_month_action"
        )
        action["domain"] = [("comparison_id", "=", self.id)]
        action["name"] = self.env._(
            "%(customer)s: break/fix by month", customer=self.partner_id.display_name
        )
        return action

    @api.model
    def action_compare_all(self):
        """Compare every customer charged for break/fix work in the period."""
        date_from, date_to = self._breakfix_period()
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                self._breakfix_charge_domain(self.env.company, date_from, date_to),
                groupby=["partner_id"],
            )
        )
        partners = self.env["res.partner"].browse(
            partner.id for (partner,) in groups if partner
        )
        comparisons = self._breakfix_compare(partners)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "breakfix_billing.breakfix_managed_comparison_action"
        )
        action["domain"] = [("id", "in", comparisons.ids)]
        return action

    @api.model
    def _breakfix_period(self):
        """The trailing 12 full months: ``(first day, last day)``."""
        first_of_month = self.env.company._breakfix_today().replace(day=1)
        return (
            first_of_month - relativedelta(months=MONTHS),
            first_of_month - relativedelta(days=1),
        )

    @api.model
    def _breakfix_charge_domain(self, company, date_from, date_to):
        """Break/fix invoice and credit note lines of ``company``, posted
        in the period: every kind of charge, whatever produced it, but the
        prepaid draws (the block's own invoice paid that work)."""
        return [
            ("company_id", "=", company.id),
            ("breakfix_ticket_id", "!=", False),
            ("breakfix_kind", "!=", pricing.KIND_PREPAID),
            ("display_type", "=", "product"),
            ("parent_state", "=", "posted"),
            ("move_id.move_type", "in", ("out_invoice", "out_refund")),
            ("invoice_date", ">=", date_from),
            ("invoice_date", "<=", date_to),
        ]

    @api.model
    def _breakfix_compare(self, partners):
        """Create one comparison per commercial partner of ``partners``, in
        the current company; return them."""
        # the figures are the addon's to set: made as superuser, for the
        # users who may make comparisons
        self.check_access("create")
        company = self.env.company
        customers = partners.commercial_partner_id
        date_from, date_to = self._breakfix_period()
        # Billing managers compare without reading invoices themselves: the
        # figures are aggregated, and limited to the current company.
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    *self._breakfix_charge_domain(company, date_from, date_to),
                    ("partner_id", "in", customers.ids),
                ],
                groupby=["partner_id", "invoice_date:day", "currency_id"],
                aggregates=["amount_currency:sum"],
            )
        )
        charges = {}
        for partner, day, currency, amount_currency in groups:
            # income is a credit: minus the signed amount, credit notes negative
            charges.setdefault(partner, []).append((day, currency, -amount_currency))
        pending = self._breakfix_pending_charges(company, customers)
        rates = {}  # (from currency, to currency, day): rate, for all customers

        def convert(amount, from_currency, to_currency, day):
            if from_currency == to_currency:
                return amount
            # our drafts are in the rate card's currency; others (made by
            # hand, or before the card's currency changed) at the rate of
            # their day
            key = (from_currency, to_currency, day)
            if key not in rates:
                rates[key] = self.env["res.currency"]._get_conversion_rate(
                    from_currency, to_currency, company, day
                )
            return amount * rates[key]

        today = company._breakfix_today()
        vals_list = []
        for customer in customers:
            rate_card = customer._breakfix_get_rate_card(company)
            currency = rate_card.currency_id or company.currency_id
            by_month = dict.fromkeys(
                (date_from + relativedelta(months=index) for index in range(MONTHS)),
                0.0,
            )
            for day, charge_currency, amount in charges.get(customer, ()):
                by_month[day.replace(day=1)] += convert(
                    amount, charge_currency, currency, day
                )
            has_history = customer in charges
            drafted, open_work = (
                currency.round(
                    sum(
                        convert(amount, pending_currency, currency, today)
                        for pending_currency, amount in pending[kind]
                        .get(customer, {})
                        .items()
                    )
                )
                for kind in ("drafted", "open")
            )
            breakfix_amount = currency.round(sum(by_month.values()))
            monthly_price = rate_card.managed_plan_monthly_price
            managed_amount = currency.round(MONTHS * monthly_price)
            vals_list.append(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "rate_card_id": rate_card.id,
                    "currency_id": currency.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "breakfix_amount": breakfix_amount,
                    "managed_monthly_price": monthly_price,
                    "managed_amount": managed_amount,
                    "has_managed_plan": bool(monthly_price),
                    "has_history": has_history,
                    "difference": (
                        breakfix_amount - managed_amount
                        if monthly_price and has_history
                        else 0.0
                    ),
                    "drafted_amount": drafted,
                    "open_amount": open_work,
                    "chart_line_ids": [
                        Command.create(
                            {
                                "month": month,
                                "series": series,
                                "amount": (
                                    currency.round(amount)
                                    if series == "breakfix"
                                    else monthly_price
                                ),
                                "managed_monthly_price": monthly_price,
                            }
                        )
                        for month, amount in by_month.items()
                        for series in ("breakfix", "managed")
                    ],
                }
            )
        return self.sudo().create(vals_list).sudo(False)

    @api.model
    def _breakfix_pending_charges(self, company, customers):
        """What ``customers`` have not been charged yet in ``company``:
        ``{"drafted": {customer: {currency: amount}}, "open": {...}}``.

        Drafted: their break/fix invoices still in draft, less draft credit
        notes, untaxed, whatever their date. Open: the amount to invoice of
        their tickets with work still to invoice.
        """
        # aggregated figures of the current company, as for the posted charges
        drafted = {}
        for partner, currency, amount_currency in (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", customers.ids),
                    ("breakfix_ticket_id", "!=", False),
                    ("breakfix_kind", "!=", pricing.KIND_PREPAID),
                    ("display_type", "=", "product"),
                    ("parent_state", "=", "draft"),
                    ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ],
                groupby=["partner_id", "currency_id"],
                aggregates=["amount_currency:sum"],
            )
        ):
            amounts = drafted.setdefault(partner, {})
            amounts[currency] = amounts.get(currency, 0.0) - amount_currency
        open_work = {}
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "in", customers.ids),
                    ("breakfix_invoice_status", "=", "to_invoice"),
                ]
            )
        )
        for ticket in tickets:
            amounts = open_work.setdefault(ticket.commercial_partner_id, {})
            currency = ticket.breakfix_currency_id
            amounts[currency] = (
                amounts.get(currency, 0.0) + ticket.breakfix_amount_to_invoice
            )
        return {"drafted": drafted, "open": open_work}
