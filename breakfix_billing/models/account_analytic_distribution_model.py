# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountAnalyticDistributionModel(models.Model):
    _inherit = "account.analytic.distribution.model"

    def _create_domain(self, fname, value):
        # Odoo appends False to the partner categories in place: that changes
        # the key under which account.move.line._compute_analytic_distribution
        # caches the distribution of a batch, so that every line of a drafted
        # invoice searched the distribution models again. Give it a copy.
        if fname == "partner_category_id":
            value = list(value)
        return super()._create_domain(fname, value)
