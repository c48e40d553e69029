# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount

from .constants import MANAGER, MAX_AMOUNT, ROLE_GROUPS

# The shares of the cap at which the customer and the billing managers are
# told, once each a month.
CAP_LEVELS = (80, 100)


class ResPartnerCap(models.Model):
    """A customer's monthly cap on break/fix spend (SPEC §11): the month's
    spend against it, the alerts at 80 % and 100 %, once each a month."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # In the current company's currency, and counted against that company's
    # invoices and tickets (Odoo has no company-dependent monetary field).
    breakfix_monthly_cap = fields.Monetary(
        string="Break/fix Monthly Cap",
        currency_field="breakfix_cap_currency_id",
        groups="base.group_user",
        help="What the customer agreed to spend on break/fix work a month, at "
        "most (untaxed): the customer and the billing managers are told at 80 % "
        "and 100 %, and its tickets say when it is reached. Empty: no cap.",
    )
    breakfix_cap_currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_breakfix_cap_currency_id",
    )
    # the highest level told this month, and the month (its first day)
    breakfix_cap_alert_level = fields.Integer(
        company_dependent=True, readonly=True, groups="base.group_user"
    )
    breakfix_cap_alert_month = fields.Date(
        company_dependent=True, readonly=True, groups="base.group_user"
    )
    breakfix_month_spend = fields.Monetary(
        string="Break/fix Spend This Month",
        compute="_compute_breakfix_month_spend",
        currency_field="breakfix_cap_currency_id",
        groups="base.group_user",
        help="The customer's break/fix invoices dated this month (draft or "
        "posted) and what its tickets have to invoice yet (untaxed).",
    )

    @api.depends_context("company")
    def _compute_breakfix_cap_currency_id(self):
        self.breakfix_cap_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    def _compute_breakfix_month_spend(self):
        for partner in self:
            partner.breakfix_month_spend = partner._breakfix_month_spend(
                self.env.company
            )

    @api.constrains("breakfix_monthly_cap")
    def _check_breakfix_monthly_cap(self):
        for partner in self:
            cap = partner.breakfix_monthly_cap
            if cap and not 0 < cap <= MAX_AMOUNT:
                raise ValidationError(
                    self.env._(
                        "The monthly cap of %(partner)s must be more than 0 and at "
                        "most %(max)s (empty: no cap).",
                        partner=partner.display_name,
                        max=format_amount(
                            self.env, MAX_AMOUNT, partner.breakfix_cap_currency_id
                        ),
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if "breakfix_monthly_cap" in vals:
            # a raised cap takes the banner away; no alert for what is below
            self._breakfix_check_cap(self.env.company, alert=False)
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _breakfix_month_spend(self, company):
        """The customer's spend in ``company``'s current month (its own
        day): its break/fix invoices dated this month, draft or posted, and
        what its tickets have to invoice yet; untaxed, in the company's
        currency."""
        self.ensure_one()
        customer = self.commercial_partner_id
        month_start = company._breakfix_today().replace(day=1)
        invoices = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "in", ("draft", "posted")),
                    ("commercial_partner_id", "=", customer.id),
                    ("invoice_line_ids.breakfix_ticket_id", "!=", False),
                    ("date", ">=", month_start),
                ]
            )
        )
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "=", customer.id),
                    ("breakfix_invoice_status", "=", "to_invoice"),
                ]
            )
        )
        currency = company.currency_id
        spend = sum(invoices.mapped("amount_untaxed_signed"))
        for ticket in tickets:
            spend += ticket.breakfix_currency_id._convert(
                ticket.breakfix_amount_to_invoice,
                currency,
                company,
                company._breakfix_today(),
            )
        return currency.round(spend)

    def _breakfix_cap_level(self, company):
        """The share of the cap reached this month: 0, 80 or 100."""
        self.ensure_one()
        customer = self.commercial_partner_id.with_company(company)
        cap = customer.breakfix_monthly_cap
        if not cap:
            return 0
        spend = customer._breakfix_month_spend(company)
        compare = company.currency_id.compare_amounts
        return max(
            (level for level in CAP_LEVELS if compare(spend, cap * level / 100) >= 0),
            default=0,
        )

    def _breakfix_cap_reached(self, company):
        """Whether the customer reached its cap in ``company`` this month,
        as last checked."""
        self.ensure_one()
        customer = self.commercial_partner_id.with_company(company).sudo()
        month_start = company._breakfix_today().replace(day=1)
        return bool(
            customer.breakfix_monthly_cap
            and customer.breakfix_cap_alert_month == month_start
            and customer.breakfix_cap_alert_level >= 100
        )

    def _breakfix_check_cap(self, company, alert=True):
        """Compare the customers' spend in ``company`` with their caps: a
        level newly reached this month is recorded and, with ``alert``, the
        customer is emailed and the billing managers get an activity."""
        month_start = company._breakfix_today().replace(day=1)
        for customer in self.commercial_partner_id.with_company(company).sudo():
            if (
                not customer.breakfix_monthly_cap
                and not customer.breakfix_cap_alert_level
            ):
                continue
            level = customer._breakfix_cap_level(company)
            told = (
                customer.breakfix_cap_alert_level
                if customer.breakfix_cap_alert_month == month_start
                else 0
            )
            if alert and level <= told:
                continue
            customer.write(
                {
                    "breakfix_cap_alert_level": level,
                    "breakfix_cap_alert_month": month_start,
                }
            )
            if alert:
                customer._breakfix_send_cap_alert(company, level)

    def _breakfix_send_cap_alert(self, company, level):
        self.ensure_one()
        spend = self._breakfix_month_spend(company)
        currency = company.currency_id
        template = self.env.ref("breakfix_billing.mail_template_monthly_cap")
        self.with_context(
            breakfix_cap_level=level,
            breakfix_cap_spend=format_amount(self.env, spend, currency),
            breakfix_cap=format_amount(self.env, self.breakfix_monthly_cap, currency),
        ).message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        managers = (
            self.env.ref(ROLE_GROUPS[MANAGER])
            .users.filtered(lambda user: company in user.company_ids)
            .filtered_domain([("share", "=", False)])
        )
        summary = self.env._(
            "%(customer)s reached %(level)s %% of its monthly cap: %(spend)s of "
            "%(cap)s",
            customer=self.name,
            level=level,
            spend=format_amount(self.env, spend, currency),
            cap=format_amount(self.env, self.breakfix_monthly_cap, currency),
        )
        for manager in managers:
            self.activity_schedule(
                "mail.mail_activity_data_todo", summary=summary, user_id=manager.id
            )
