# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Break/fix Billing: Queue Jobs",
    "summary": "Draft break/fix invoices in queue jobs, on every Odoo host",
    "version": "18.0.1.0.0",
    "license": "AGPL-3",
    "category": "Services/Helpdesk",
    "author": "breakfix_billing contributors",
    "website": "https://github.com/breakfix-billing/breakfix_billing",
    "depends": ["breakfix_billing", "queue_job"],
    "data": ["data/queue_job_data.xml"],
    "auto_install": True,
}
