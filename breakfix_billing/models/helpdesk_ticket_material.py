# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import pricing
from .constants import MANAGERS, MAX_AMOUNT, MAX_QUANTITY, NOBODY, STAFF
from .field_changes import changed_fields, refuse_invoiced

# What an invoiced part was billed on: frozen with the invoice.
BREAKFIX_LOCKED_FIELDS = (
    "ticket_id",
    "product_id",
    "quantity",
    "product_uom_id",
    "unit_cost",
    "price_unit",
    "billable",
)


class HelpdeskTicketMaterial(models.Model):
    _name = "helpdesk.ticket.material"
    _inherit = ["breakfix.field.access", "breakfix.review.mixin"]
    _description = "Part Used on a Ticket"
    _order = "ticket_id, sequence, id"
    _check_company_auto = True
    # Technicians say which parts they used; prices and giving a part away are
    # the billing managers'; the invoices keep their links.
    _breakfix_field_writers = {
        "ticket_id": STAFF,
        "sequence": STAFF,
        "company_id": NOBODY,
        "currency_id": NOBODY,
        "product_id": STAFF,
        "name": STAFF,
        "date": STAFF,
        "quantity": STAFF,
        "product_uom_id": STAFF,
        "unit_cost": MANAGERS,
        "price_unit": MANAGERS,
        "price_is_manual": NOBODY,
        "billable": MANAGERS,
        "invoice_line_id": NOBODY,
        "price_subtotal": NOBODY,
        "breakfix_at_cost": NOBODY,
        "breakfix_review_state": NOBODY,
        "breakfix_reviewed_by_id": NOBODY,
        "breakfix_reviewed_date": NOBODY,
        "breakfix_customer_id": NOBODY,
    }
    # below zero: the constraint below says why
    _breakfix_field_bounds = {
        "quantity": (None, MAX_QUANTITY),
        "unit_cost": (None, MAX_AMOUNT),
        "price_unit": (None, MAX_AMOUNT),
    }

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="ticket_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    currency_id = fields.Many2one(
        related="ticket_id.breakfix_currency_id",
        store=True,
        precompute=True,
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        required=True,
        check_company=True,
        ondelete="restrict",
        domain=lambda self: self._breakfix_product_domain(),
    )
    name = fields.Char(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    date = fields.Date(
        default=lambda self: self.env.company._breakfix_today(),
        help="The day the part was used: its month in the billing analysis.",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    product_uom_id = fields.Many2one(
        comodel_name="uom.uom",
        string="Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")
    unit_cost = fields.Float(
        compute="_compute_unit_cost",
        store=True,
        readonly=False,
        precompute=True,
        digits="Product Price",
        groups="breakfix_billing.group_breakfix_technician",
        help="What the part cost the company (company currency); parts priced "
        "at cost plus are sold at this cost plus the rate card's markup.",
    )
    price_unit = fields.Monetary(
        string="Unit Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
        help="The customer's price: from their pricelist or at cost plus the "
        "markup, as the rate card says. A billing manager may set it by hand.",
    )
    price_is_manual = fields.Boolean(
        string="Price Set by Hand",
        copy=False,
        help="The unit price was set by a billing manager and no longer follows "
        "the rate card.",
    )
    billable = fields.Boolean(default=True)
    breakfix_customer_id = fields.Many2one(
        related="ticket_id.commercial_partner_id",
        string="Customer",
        store=True,
    )
    # stored with the part: pricing a ticket reads no product
    breakfix_at_cost = fields.Boolean(
        string="At Cost",
        related="product_id.breakfix_rebill_at_cost",
        store=True,
        precompute=True,
        help="An expense rebilled at its cost, whatever the rate card's parts pricing.",
    )
    invoice_line_id = fields.Many2one(
        comodel_name="account.move.line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    price_subtotal = fields.Monetary(
        string="Amount",
        compute="_compute_price_subtotal",
        store=True,
    )

    @api.depends("product_id")
    def _compute_name(self):
        for material in self:
            material.name = material.product_id.display_name or material.name

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for material in self:
            material.product_uom_id = material.product_id.uom_id

    @api.depends("product_id", "product_uom_id")
    def _compute_unit_cost(self):
        for material in self:
            product = material.product_id.with_company(material.company_id)
            cost = product.standard_price
            if material.product_uom_id and product.uom_id:
                cost = product.uom_id._compute_price(cost, material.product_uom_id)
            material.unit_cost = cost

    @api.depends(
        "product_id",
        "product_uom_id",
        "quantity",
        "unit_cost",
        "ticket_id.partner_id",
        "ticket_id.breakfix_rate_card_id.material_pricing",
        "ticket_id.breakfix_rate_card_id.material_markup",
        "breakfix_at_cost",
        "currency_id",
    )
    def _compute_price_unit(self):
        for material in self:
            if material.price_is_manual or material.invoice_line_id:
                continue
            material.price_unit = material._breakfix_suggested_price_unit()

    @api.depends("quantity", "price_unit", "currency_id")
    def _compute_price_subtotal(self):
        for material in self:
            rules = pricing.PricingRules(
                currency_digits=material.currency_id.decimal_places
            )
            material.price_subtotal = float(
                rules.amount(material.quantity, material.price_unit)
            )

    @api.constrains("quantity", "price_unit", "unit_cost")
    def _check_amounts(self):
        for material in self:
            for fname in ("quantity", "price_unit", "unit_cost"):
                if material[fname] < 0:
                    raise ValidationError(
                        self.env._(
                            "The %(field)s of part “%(part)s” on ticket %(ticket)s "
                            "cannot be negative.",
                            field=self._fields[fname]._description_string(self.env),
                            part=material.name,
                            ticket=material.ticket_id.number,
                        )
                    )

    @api.constrains("product_id")
    def _check_product_active(self):
        for material in self:
            if not material.product_id.active:
                raise ValidationError(
                    self.env._(
                        "Product “%(product)s” is archived: it cannot be added to "
                        "ticket %(ticket)s.",
                        product=material.product_id.display_name,
                        ticket=material.ticket_id.number,
                    )
                )

    @api.constrains("product_id")
    def _check_product_not_charge(self):
        products = self.env["product.product"]
        charge_products = products._breakfix_charge_products()
        labour_products = products._breakfix_labour_products()
        for material in self:
            if material.product_id in labour_products:
                raise ValidationError(
                    self.env._(
                        "“%(product)s” is labour: log it as time on ticket "
                        "%(ticket)s, not as a part.",
                        product=material.product_id.display_name,
                        ticket=material.ticket_id.number,
                    )
                )
            if material.product_id in charge_products:
                raise ValidationError(
                    self.env._(
                        "“%(product)s” is a charge the invoices add by themselves, "
                        "not a part: it cannot be added to ticket %(ticket)s.",
                        product=material.product_id.display_name,
                        ticket=material.ticket_id.number,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        materials = super().create(vals_list)
        for material, vals in zip(materials, vals_list, strict=True):
            material._breakfix_flag_manual_price(vals)
        materials.ticket_id._breakfix_check_monthly_caps()
        return materials

    def write(self, vals):
        # before the locks read the values
        self._breakfix_check_bounds([vals])
        self._breakfix_check_invoiced(
            changed_fields(self, vals, BREAKFIX_LOCKED_FIELDS)
        )
        result = super().write(vals)
        for material in self:
            material._breakfix_flag_manual_price(vals)
        if any(fname in vals for fname in BREAKFIX_LOCKED_FIELDS):
            self.ticket_id._breakfix_check_monthly_caps()
        self._breakfix_review_again(vals, BREAKFIX_LOCKED_FIELDS)
        return result

    def _breakfix_flag_manual_price(self, vals):
        """A billing manager's price other than the rate card's is an override:
        it sticks. The web client sends the recomputed price along with a new
        quantity: only a price that differs from the rate card's is one.
        Anybody else's price was refused unless it changed nothing."""
        if "price_unit" not in vals or not self._breakfix_may_write("price_unit"):
            return
        suggested = self._breakfix_suggested_price_unit()
        manual = self.currency_id.compare_amounts(self.price_unit, suggested) != 0
        if manual != self.price_is_manual:
            self.sudo().price_is_manual = manual

    @api.ondelete(at_uninstall=False)
    def _unlink_except_breakfix_invoiced(self):
        self._breakfix_check_invoiced()

    def _breakfix_check_invoiced(self, fnames=None):
        """Refuse to change (``fnames``) or delete invoiced parts."""
        refuse_invoiced(
            self,
            lambda material: material.invoice_line_id.move_id,
            lambda material: self.env._("The part “%(part)s”", part=material.name),
            fnames,
        )

    @api.model
    def _breakfix_product_domain(self):
        """The products a part may be: goods and services, not the charges
        drafting adds by itself (call-out, trip, not-to-exceed) nor the work
        types' labour (billed from the time logged)."""
        products = self.env["product.product"]
        not_parts = (
            products._breakfix_charge_products() | products._breakfix_labour_products()
        )
        return [
            ("type", "in", ("consu", "service")),
            ("id", "not in", not_parts.ids),
        ]

    def _breakfix_suggested_price_unit(self):
        """The part's price by the ticket's rate card, in the ticket's currency."""
        self.ensure_one()
        rate_card = self.ticket_id.breakfix_rate_card_id
        if not self.product_id or not rate_card:
            return 0.0
        company = self.company_id or self.env.company
        currency = self.currency_id or rate_card.currency_id
        today = company._breakfix_today()
        at_cost = self.breakfix_at_cost
        if at_cost or rate_card.material_pricing == "cost_plus":
            cost = company.currency_id._convert(
                self.sudo().unit_cost, currency, company, today
            )
            pricelist_price = 0.0
        else:
            cost = 0.0
            pricelist_price = self._breakfix_pricelist_price(currency, today)
        rules = rate_card._breakfix_pricing_rules(with_calendar=False)
        return float(rules.material_price_unit(cost, pricelist_price, at_cost))

    def _breakfix_pricelist_price(self, currency, date):
        partner = self.ticket_id.partner_id.commercial_partner_id
        pricelist = partner.property_product_pricelist
        uom = self.product_uom_id or self.product_id.uom_id
        if pricelist:
            price = pricelist._get_product_price(
                self.product_id, self.quantity or 1.0, uom=uom, date=date
            )
            source_currency = pricelist.currency_id
        else:
            price = self.product_id.uom_id._compute_price(
                self.product_id.lst_price, uom
            )
            source_currency = self.product_id.currency_id
        company = self.company_id or self.env.company
        return source_currency._convert(price, currency, company, date)

    def _breakfix_material_input(self):
        self.ensure_one()
        return pricing.MaterialInput(
            key=self.id,
            name=self.name or self.product_id.display_name or "",
            quantity=self.quantity,
            price_unit=self.price_unit,
            billable=self.billable,
            uom_name=self.product_uom_id.name or "",
            at_cost=self.breakfix_at_cost,
        )
