# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .constants import BREAKFIX_POLICIES, MANAGERS


class HelpdeskTicketTeam(models.Model):
    _name = "helpdesk.ticket.team"
    _inherit = ["helpdesk.ticket.team", "breakfix.field.access"]

    # How a team's tickets are billed is the billing managers' call.
    _breakfix_field_writers = {
        "breakfix_enabled": MANAGERS,
        "breakfix_default_policy": MANAGERS,
        "breakfix_auto_invoice": MANAGERS,
        "breakfix_work_type_id": MANAGERS,
        "breakfix_onsite_work_type_id": MANAGERS,
        "breakfix_portal_show_draft": MANAGERS,
        "breakfix_invoice_show_no_charge": MANAGERS,
        "breakfix_require_review": MANAGERS,
    }

    breakfix_enabled = fields.Boolean(
        string="Break/fix Billing",
        help="The team bills its tickets as break/fix: time and parts priced "
        "by the customer's rate card, invoices drafted on close. Unticked, "
        "its new tickets are not billable. Applies to new tickets and to "
        "tickets moved to the team; the others keep their policy.",
    )
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
    breakfix_onsite_work_type_id = fields.Many2one(
        comodel_name="breakfix.work.type",
        string="On-site Work Type",
        check_company=True,
        domain="[('onsite', '=', True)]",
        help="Work type of the time logged on the team's tickets marked "
        "on-site, unless the technician picks another one. Empty: On-site.",
    )
    breakfix_portal_show_draft = fields.Boolean(
        string="Show Uninvoiced Charges in the Portal",
        help="Customers also see, on their tickets' portal pages, the charges "
        "not on a posted invoice yet (draft invoices, work to invoice). "
        "Unticked, they see their posted invoices only.",
    )
    breakfix_require_review = fields.Boolean(
        string="Review Work before Invoicing",
        help="The time and parts of the team's tickets are invoiced only once a "
        "billing manager approved them (Helpdesk › Break/fix › To Review).",
    )
    breakfix_invoice_show_no_charge = fields.Boolean(
        string="Show No-charge Work on Invoices",
        help="The time and parts given free on a billable ticket appear on its "
        "invoice at 0.00 with their value, so that the customer sees what was "
        "given.",
    )

    def _breakfix_work_type(self, onsite=False):
        """The work type of new time entries on the team's tickets (on-site
        ones if ``onsite``); the addon's own without a team setting."""
        if onsite:
            return self.breakfix_onsite_work_type_id or self.env.ref(
                "breakfix_billing.work_type_onsite", raise_if_not_found=False
            )
        return self.breakfix_work_type_id or self.env.ref(
            "breakfix_billing.work_type_remote", raise_if_not_found=False
        )
