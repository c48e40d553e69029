# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .constants import MANAGERS, MAX_AMOUNT


class BreakfixWorkType(models.Model):
    _name = "breakfix.work.type"
    _inherit = ["breakfix.field.access"]
    _description = "Break/fix Work Type"
    _order = "sequence, id"
    _check_company_auto = True
    _breakfix_field_writers = dict.fromkeys(
        (
            "name",
            "sequence",
            "active",
            "description",
            "company_id",
            "product_id",
            "hourly_rate",
            "billable",
            "onsite",
        ),
        MANAGERS,
    )
    _breakfix_field_bounds = {"hourly_rate": (None, MAX_AMOUNT)}

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        help="Leave empty to share the work type between companies.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Service Product",
        required=True,
        ondelete="restrict",
        check_company=True,
        domain=[("type", "=", "service")],
        help="Product of the invoice lines: it gives their income account, "
        "taxes and unit of measure.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_currency_id",
    )
    hourly_rate = fields.Monetary(
        currency_field="currency_id",
        help="Rate per hour when the customer's rate card has no line for this "
        "work type.",
    )
    billable = fields.Boolean(
        default=True,
        help="Time logged with a work type that is not billable is reported as "
        "no-charge work and never invoiced.",
    )
    onsite = fields.Boolean(
        string="On-site",
        help="Work done at the customer's premises: each day with on-site work "
        "carries the rate card's trip fee.",
    )

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for work_type in self:
            work_type.currency_id = (
                work_type.company_id.currency_id or self.env.company.currency_id
            )

    @api.constrains("hourly_rate")
    def _check_hourly_rate(self):
        for work_type in self:
            if work_type.currency_id.compare_amounts(work_type.hourly_rate, 0.0) < 0:
                raise ValidationError(
                    self.env._(
                        "The hourly rate of work type “%(work_type)s” cannot be "
                        "negative.",
                        work_type=work_type.display_name,
                    )
                )

    @api.constrains("product_id")
    def _check_product_id(self):
        for work_type in self:
            if work_type.product_id.type != "service":
                raise ValidationError(
                    self.env._(
                        "The product of work type “%(work_type)s” must be a "
                        "service, “%(product)s” is not.",
                        work_type=work_type.display_name,
                        product=work_type.product_id.display_name,
                    )
                )
