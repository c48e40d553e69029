# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .constants import BREAKFIX_POLICIES, MANAGERS


class HelpdeskTicketTeam(models.Model):
    _name = "helpdesk.ticket.team"
    _inherit = ["helpdesk.ticket.team", "breakfix.field.access"]

    # How a team's tickets are billed is the billing managers' call.
    _breakfix_field_writers = {
        "breakfix_default_policy": MANAGERS,
        "breakfix_auto_invoice": MANAGERS,
        "breakfix_work_type_id": MANAGERS,
        "breakfix_portal_show_draft": MANAGERS,
    }

    breakfix_default_policy = fields.Selection(
        selection=BREAKFIX_POLICIES,
        string="Default Billing Policy",
        default="billable",
        help="Billing policy of the team's new tickets.",
    )
    breakfix_auto_invoice = fields.Boolean(
        string="Draft Invoices on Close",
        default=True,
        help="Draft a ticket's invoice when it reaches a closed stage.",
    )
    breakfix_work_type_id = fields.Many2one(
        comodel_name="breakfix.work.type",
        string="Default Work Type",
        check_company=True,
        help="Work type of the time logged on the team's tickets, unless the "
        "technician picks another one. Empty: Remote support.",
    )
    breakfix_portal_show_draft = fields.Boolean(
        string="Show Uninvoiced Charges in the Portal",
        help="Customers also see, on their tickets' portal pages, the charges "
        "not on a posted invoice yet (draft invoices, work to invoice). "
        "Unticked, they see their posted invoices only.",
    )
