# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BreakfixCustomerPeriod(models.AbstractModel):
    """What a customer agreement for a period checks, whatever it is (a
    managed-services coverage, a prepaid block): it is the customer's (the
    commercial partner, not one of its contacts), and it ends no sooner than
    it starts."""

    _name = "breakfix.customer.period"
    _description = "Break/fix Customer Agreement for a Period"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        tracking=True,
    )
    date_from = fields.Date(
        required=True,
        default=lambda self: self.env.company._breakfix_today(),
        tracking=True,
    )
    date_to = fields.Date(tracking=True)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for record in self:
            if record.date_to and record.date_to < record.date_from:
                raise ValidationError(
                    self.env._(
                        "“%(record)s” ends (%(date_to)s) before it starts "
                        "(%(date_from)s).",
                        record=record.display_name,
                        date_to=record.date_to,
                        date_from=record.date_from,
                    )
                )

    @api.constrains("partner_id")
    def _check_commercial_partner(self):
        for record in self:
            partner = record.partner_id
            if partner != partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "“%(record)s” is for a customer, not for one of its "
                        "contacts: choose %(customer)s instead of %(contact)s.",
                        record=record.display_name,
                        customer=partner.commercial_partner_id.display_name,
                        contact=partner.display_name,
                    )
                )
