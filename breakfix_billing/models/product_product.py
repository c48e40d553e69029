# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .. import pricing
from .constants import MODULE


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model
    def _breakfix_charge_products(self):
        """The addon's own products of the charges it adds by itself (call-out
        and trip fees, the not-to-exceed adjustment, prepaid draws), as the
        kinds' table names them: drafting puts them on invoices, nobody adds
        them as parts."""
        ids = []
        for kind in pricing.CHARGE_KINDS:
            if kind.product in (pricing.PRODUCT_OF_WORK_TYPE, pricing.PRODUCT_OF_PART):
                continue
            res_id = self.env["ir.model.data"]._xmlid_to_res_id(
                f"{MODULE}.{kind.product}", raise_if_not_found=False
            )
            if res_id:
                ids.append(res_id)
        return self.browse(ids)

    @api.model
    def _breakfix_labour_products(self):
        """The products of the work types (archived ones too): labour, billed
        from the time logged, never as a part."""
        work_types = (
            self.env["breakfix.work.type"]
            .sudo()
            .with_context(active_test=False)
            .search([("product_id", "!=", False)])
        )
        return work_types.product_id.sudo(False)
