# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import float_compare, float_round, format_amount

from .. import pricing
from .constants import MANAGERS, MAX_AMOUNT, NOBODY
from .field_changes import changed_fields

# What the customer bought: frozen once the block is confirmed (its invoice
# bills it, and its draws were measured against it).
BLOCK_TERMS = (
    "partner_id",
    "company_id",
    "currency_id",
    "unit",
    "quantity",
    "price",
    "date_from",
    "covers_fees",
)
# The rounding of an hours block's quantities (the hours UoM's).
HOURS_ROUNDING = 0.01


class BreakfixPrepaidBlock(models.Model):
    """A block of support hours or money the customer paid up front.

    Confirming it drafts its own invoice; once that invoice is posted the
    block is usable: the invoicing of the customer's tickets draws it down
    (``breakfix.prepaid.usage`` rows, written by the addon's code only).
    Here: its terms, balance and checks; its life (confirming, draws,
    alerts, expiry) is in breakfix_prepaid_block_lifecycle.py.
    """

    _name = "breakfix.prepaid.block"
    _description = "Break/fix Prepaid Block"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "breakfix.field.access",
        "breakfix.customer.period",
    ]
    _order = "date_from desc, id desc"
    _check_company_auto = True
    _breakfix_field_writers = {
        **dict.fromkeys(
            (*BLOCK_TERMS, "name", "date_to", "alert_percent", "user_id"), MANAGERS
        ),
        **dict.fromkeys(
            (
                "state",
                "invoice_id",
                "consumed",
                "balance",
                "expired_balance",
                "is_low",
                "alert_low_sent",
                "alert_empty_sent",
                "usage_ids",
            ),
            NOBODY,
        ),
    }
    _breakfix_field_bounds = {
        "quantity": (None, MAX_AMOUNT),
        "price": (None, MAX_AMOUNT),
        "alert_percent": (0, 100),
    }

    name = fields.Char(string="Block", required=True, tracking=True)
    partner_id = fields.Many2one(
        help="The customer (commercial partner): the tickets of all its contacts "
        "draw the block down.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
        help="The currency of the block's invoice and of the ticket invoices it pays.",
    )
    unit = fields.Selection(
        selection=[(pricing.UNIT_HOURS, "Hours"), (pricing.UNIT_MONEY, "Money")],
        required=True,
        default=pricing.UNIT_HOURS,
        tracking=True,
    )
    quantity = fields.Float(
        string="Bought",
        required=True,
        digits=(16, 2),
        tracking=True,
        help="The hours, or the amount, the block holds.",
    )
    price = fields.Monetary(
        required=True,
        default=0.0,
        tracking=True,
        help="What the customer pays for the block (its invoice's unit price).",
    )
    date_from = fields.Date(string="Valid From")
    date_to = fields.Date(
        string="Expires On",
        help="Last day of work the block pays; empty: it never expires.",
    )
    covers_fees = fields.Boolean(
        compute="_compute_covers_fees",
        store=True,
        readonly=False,
        tracking=True,
        help="Money blocks only: call-out, minimum and trip fees are drawn too. "
        "Parts never are.",
    )
    alert_percent = fields.Integer(
        string="Alert At (%)",
        default=20,
        tracking=True,
        help="Tell the responsible and the customer when this share of the block "
        "is left (and again when it is used up).",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        check_company=True,
        domain="[('share', '=', False)]",
        tracking=True,
        help="Who gets an activity when the block runs low.",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("active", "Active"),
            ("used", "Used up"),
            ("expired", "Expired"),
        ],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
    )
    invoice_id = fields.Many2one(
        comodel_name="account.move",
        readonly=True,
        copy=False,
        check_company=True,
        ondelete="set null",
        help="The block's own invoice: the block is drawn from once it is posted.",
    )
    invoice_state = fields.Selection(
        related="invoice_id.state", string="Invoice Status"
    )
    usage_ids = fields.One2many(
        comodel_name="breakfix.prepaid.usage",
        inverse_name="block_id",
        string="Draws",
        readonly=True,
    )
    consumed = fields.Float(
        string="Used",
        compute="_compute_balance",
        store=True,
        digits=(16, 2),
    )
    balance = fields.Float(
        string="Left",
        compute="_compute_balance",
        store=True,
        digits=(16, 2),
    )
    balance_percent = fields.Float(
        string="Left (%)",
        compute="_compute_balance_percent",
    )
    expired_balance = fields.Float(
        string="Expired Unused",
        compute="_compute_expired_balance",
        store=True,
        digits=(16, 2),
        help="What was left when the block expired: the customer paid for it and "
        "did not use it.",
    )
    is_usable = fields.Boolean(
        string="Usable",
        compute="_compute_is_usable",
        search="_search_is_usable",
        # not stored: stored, every change of any invoice's state or payment
        # state would search the blocks of those invoices (drafting's
        # queries would grow with the invoice lines)
        help="Active and its invoice posted (not reversed): tickets draw from it.",
    )
    is_low = fields.Boolean(
        string="Low Balance",
        compute="_compute_is_low",
        store=True,
        help="Not a draft, and its balance is at or below its alert level.",
    )
    alert_low_sent = fields.Boolean(string="Low Balance Alert Sent", readonly=True)
    alert_empty_sent = fields.Boolean(string="Used-up Alert Sent", readonly=True)
    balance_text = fields.Char(string="Balance", compute="_compute_texts")
    quantity_text = fields.Char(string="Size", compute="_compute_texts")
    consumed_text = fields.Char(string="Used So Far", compute="_compute_texts")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("unit")
    def _compute_covers_fees(self):
        for block in self.filtered(lambda block: block.unit == pricing.UNIT_HOURS):
            block.covers_fees = False

    @api.depends("quantity", "unit", "currency_id", "usage_ids.quantity")
    def _compute_balance(self):
        for block in self:
            rounding = block._breakfix_rounding()
            consumed = float_round(
                sum(block.usage_ids.mapped("quantity")), precision_rounding=rounding
            )
            block.consumed = consumed
            block.balance = float_round(
                block.quantity - consumed, precision_rounding=rounding
            )

    @api.depends("quantity", "balance")
    def _compute_balance_percent(self):
        for block in self:
            block.balance_percent = (
                100.0 * block.balance / block.quantity if block.quantity > 0 else 0.0
            )

    @api.depends("state", "balance")
    def _compute_expired_balance(self):
        for block in self:
            block.expired_balance = block.balance if block.state == "expired" else 0.0

    @api.depends("state", "invoice_id.state", "invoice_id.payment_state")
    def _compute_is_usable(self):
        usable = self.filtered_domain(self._breakfix_usable_domain())
        for block in self:
            block.is_usable = block in usable

    @api.model
    def _breakfix_usable_domain(self):
        """The blocks tickets may draw from: active, their invoice posted and
        not reversed."""
        return [
            ("state", "=", "active"),
            ("invoice_id.state", "=", "posted"),
            ("invoice_id.payment_state", "!=", "reversed"),
        ]

    @api.depends("state", "balance", "quantity", "alert_percent")
    def _compute_is_low(self):
        for block in self:
            block.is_low = block.state != "draft" and block._breakfix_is_low()

    def _search_is_usable(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        usable = self._breakfix_usable_domain()
        if (operator == "=") == value:
            return usable
        return ["!", *expression.AND([usable])]

    @api.depends("unit", "quantity", "consumed", "balance", "currency_id")
    def _compute_texts(self):
        for block in self:
            block.balance_text = block._breakfix_format(block.balance)
            block.quantity_text = block._breakfix_format(block.quantity)
            block.consumed_text = block._breakfix_format(block.consumed)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("quantity")
    def _check_quantity(self):
        for block in self:
            if float_compare(block.quantity, 0.0, precision_digits=2) <= 0:
                raise ValidationError(
                    self.env._(
                        "The field “Bought” of block “%(block)s” must be more than "
                        "0; %(quantity)s is not.",
                        block=block.display_name,
                        quantity=block.quantity,
                    )
                )

    @api.constrains("price")
    def _check_price(self):
        for block in self:
            if block.currency_id.compare_amounts(block.price, 0.0) < 0:
                raise ValidationError(
                    self.env._(
                        "The field “Price” of block “%(block)s” cannot be negative "
                        "(%(price)s).",
                        block=block.display_name,
                        price=block.price,
                    )
                )

    @api.constrains("alert_percent")
    def _check_alert_percent(self):
        for block in self:
            if not 0 <= block.alert_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "The field “Alert At (%%)” of block “%(block)s” must be "
                        "between 0 and 100; %(percent)s is not.",
                        block=block.display_name,
                        percent=block.alert_percent,
                    )
                )

    @api.constrains("unit", "covers_fees")
    def _check_covers_fees(self):
        for block in self:
            if block.unit == pricing.UNIT_HOURS and block.covers_fees:
                raise ValidationError(
                    self.env._(
                        "Block “%(block)s” counts hours: only a money block can "
                        "cover fees (field “Covers Fees”).",
                        block=block.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        confirmed = self.filtered(lambda block: block.state != "draft")
        changed = changed_fields(confirmed, vals, BLOCK_TERMS) if confirmed else []
        if changed:
            raise UserError(
                self.env._(
                    "Block “%(block)s” is confirmed: its %(field)s cannot change. "
                    "Cancel its invoice first, or sell a new block.",
                    block=confirmed[0].display_name,
                    field=self._fields[changed[0]]._description_string(self.env),
                )
            )
        result = super().write(vals)
        if "date_to" in vals:
            self._breakfix_reopen_extended()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        for block in self:
            if block.state != "draft" or block.invoice_id or block.usage_ids:
                raise UserError(
                    self.env._(
                        "Block “%(block)s” was confirmed: it cannot be deleted. "
                        "Cancel its invoice first.",
                        block=block.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Balance
    # ------------------------------------------------------------------

    def _breakfix_rounding(self):
        self.ensure_one()
        if self.unit == pricing.UNIT_MONEY:
            return self.currency_id.rounding or 0.01
        return HOURS_ROUNDING

    def _breakfix_format(self, value):
        """``value`` in the block's unit, as the customer reads it."""
        self.ensure_one()
        if self.unit == pricing.UNIT_MONEY and self.currency_id:
            return format_amount(self.env, value, self.currency_id)
        hours = f"{value:,.2f}"
        return self.env._("%(hours)s h", hours=hours)

    def _breakfix_is_empty(self):
        self.ensure_one()
        return (
            float_compare(
                self.balance, 0.0, precision_rounding=self._breakfix_rounding()
            )
            <= 0
        )

    def _breakfix_is_low(self):
        self.ensure_one()
        threshold = self.quantity * self.alert_percent / 100.0
        return (
            float_compare(
                self.balance, threshold, precision_rounding=self._breakfix_rounding()
            )
            <= 0
        )

    @api.model
    def _breakfix_usable_blocks(self, partner, company, currency, day=None):
        """The customer's blocks a ticket invoice of ``company`` in
        ``currency`` may draw from for work on ``day`` (default: any day), in
        the order they are drawn: earliest expiry first (none last), then
        oldest start."""
        domain = [
            ("partner_id", "=", partner.commercial_partner_id.id),
            ("company_id", "=", company.id),
            ("currency_id", "=", currency.id),
            *self._breakfix_usable_domain(),
        ]
        if day:
            domain += [
                ("date_from", "<=", day),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", day),
            ]
        return self.search(domain, order="date_to asc nulls last, date_from, id")

    @api.model
    def _breakfix_usable(self, customers, companies):
        """The blocks of ``customers`` (commercial partners) in ``companies``
        that tickets may draw from, one search for a drafting batch."""
        if not customers:
            return self.browse()
        return self.search(
            [
                ("partner_id", "in", customers.ids),
                ("company_id", "in", companies.ids),
                *self._breakfix_usable_domain(),
            ],
            order="id",
        )
