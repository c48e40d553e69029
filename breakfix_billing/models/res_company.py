# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    breakfix_rate_card_id = fields.Many2one(
        comodel_name="breakfix.rate.card",
        string="Default Rate Card",
        ondelete="restrict",
        check_company=True,
        help="Prices the break/fix work of customers without their own rate card.",
    )

    @api.constrains("breakfix_rate_card_id")
    def _check_breakfix_rate_card_company(self):
        # res.company does not check companies on its own writes
        self._check_company(["breakfix_rate_card_id"])
