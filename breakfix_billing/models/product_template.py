# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .constants import MANAGERS


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "breakfix.field.access"]

    _breakfix_field_writers = {"breakfix_rebill_at_cost": MANAGERS}

    breakfix_rebill_at_cost = fields.Boolean(
        string="Rebill at Cost",
        help="An expense passed on to the customer (parking, tolls, couriers): "
        "used as a part on a ticket, it is billed at its cost, whatever the rate "
        "card's parts pricing, and its line says so.",
    )
