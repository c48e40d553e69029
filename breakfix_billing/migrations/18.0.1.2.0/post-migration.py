# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.2.0: teams opt in to break/fix billing, stages say whether they draft.

Before, every team billed its tickets and every closed stage drafted their
invoices: the teams that existed keep billing, and helpdesk_mgmt's Cancelled
and Rejected stages stop drafting, as on a new installation.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["helpdesk.ticket.team"].with_context(active_test=False).search([]).write(
        {"breakfix_enabled": True}
    )
    env["helpdesk.ticket.stage"]._breakfix_untick_unbilled_stages()
