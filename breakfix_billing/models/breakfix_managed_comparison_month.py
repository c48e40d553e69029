# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import float_compare, format_date

from .constants import NOBODY

SERIES = [
    ("breakfix", "Break/fix Charges"),
    ("managed", "Managed Plan"),
]


class BreakfixManagedComparisonMonth(models.TransientModel):
    """A month of a comparison, in one series: the break/fix charges or the
    managed plan's price. A line per month and series, so that the chart
    (one measure at a time) shows both series side by side."""

    _name = "breakfix.managed.comparison.month"
    _description = "Break/fix vs Managed Plan: a Month"
    _order = "comparison_id, month, series"
    _inherit = ["breakfix.field.access"]
    _rec_name = "month"
    _breakfix_field_writers = dict.fromkeys(
        ("comparison_id", "month", "series", "amount", "managed_monthly_price"),
        NOBODY,
    )

    comparison_id = fields.Many2one(
        comodel_name="breakfix.managed.comparison",
        required=True,
        ondelete="cascade",
        index=True,
    )
    partner_id = fields.Many2one(related="comparison_id.partner_id")
    currency_id = fields.Many2one(related="comparison_id.currency_id")
    month = fields.Date(required=True)
    month_label = fields.Char(string="Month Name", compute="_compute_month_label")
    series = fields.Selection(
        selection=SERIES, required=True, default="breakfix", readonly=True
    )
    amount = fields.Monetary(
        aggregator="sum",
        help="The series' amount in the month: the break/fix charges, or the "
        "managed plan's monthly price.",
    )
    managed_monthly_price = fields.Monetary(string="Managed Plan", aggregator="sum")

    @api.depends("month")
    @api.depends_context("lang")
    def _compute_month_label(self):
        for line in self:
            line.month_label = format_date(self.env, line.month, date_format="MMMM y")

    def _breakfix_bar_percent(self, value):
        """``value`` as a percentage of the tallest bar of the comparison."""
        self.ensure_one()
        comparison = self.comparison_id
        tallest = max(
            [*comparison.month_ids.mapped("amount"), comparison.managed_monthly_price]
        )
        if float_compare(tallest, 0.0, precision_digits=2) <= 0:
            return 0
        return round(100 * max(value, 0.0) / tallest)
