# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .constants import MANAGERS, MAX_AMOUNT, NOBODY


class BreakfixRateCardLine(models.Model):
    _name = "breakfix.rate.card.line"
    _inherit = ["breakfix.field.access"]
    _description = "Break/fix Rate Card Line"
    _order = "rate_card_id, sequence, id"
    _check_company_auto = True
    _breakfix_field_writers = {
        **dict.fromkeys(
            ("rate_card_id", "sequence", "work_type_id", "employee_id", "hourly_rate"),
            MANAGERS,
        ),
        "company_id": NOBODY,
    }
    _breakfix_field_bounds = {"hourly_rate": (None, MAX_AMOUNT)}

    rate_card_id = fields.Many2one(
        comodel_name="breakfix.rate.card",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="rate_card_id.company_id",
        store=True,
        index=True,
    )
    currency_id = fields.Many2one(related="rate_card_id.currency_id")
    work_type_id = fields.Many2one(
        comodel_name="breakfix.work.type",
        required=True,
        ondelete="restrict",
        check_company=True,
    )
    employee_id = fields.Many2one(
        comodel_name="hr.employee",
        check_company=True,
        help="Leave empty for the rate of anyone doing this kind of work; set it "
        "to give one technician their own rate.",
    )
    hourly_rate = fields.Monetary(currency_field="currency_id")

    @api.depends("work_type_id", "employee_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " · ".join(
                name
                for name in (line.work_type_id.display_name, line.employee_id.name)
                if name
            )

    @api.constrains("hourly_rate")
    def _check_hourly_rate(self):
        for line in self:
            if line.currency_id.compare_amounts(line.hourly_rate, 0.0) < 0:
                raise ValidationError(
                    self.env._(
                        "The hourly rate for “%(work_type)s” on rate card "
                        "“%(rate_card)s” cannot be negative.",
                        work_type=line.work_type_id.display_name,
                        rate_card=line.rate_card_id.display_name,
                    )
                )

    @api.constrains("rate_card_id", "work_type_id", "employee_id")
    def _check_unique_rate(self):
        # A SQL unique constraint would let several lines without employee
        # through, since NULLs are distinct: one grouped read checks them all.
        duplicates = self._read_group(
            domain=[("rate_card_id", "in", self.rate_card_id.ids)],
            groupby=["rate_card_id", "work_type_id", "employee_id"],
            having=[("__count", ">", 1)],
        )
        if not duplicates:
            return
        rate_card, work_type, employee = duplicates[0]
        if employee:
            message = self.env._(
                "Rate card “%(rate_card)s” has two rates for “%(work_type)s” by "
                "%(employee)s.",
                rate_card=rate_card.display_name,
                work_type=work_type.display_name,
                employee=employee.name,
            )
        else:
            message = self.env._(
                "Rate card “%(rate_card)s” has two default rates for "
                "“%(work_type)s” (lines without employee).",
                rate_card=rate_card.display_name,
                work_type=work_type.display_name,
            )
        raise ValidationError(message)
