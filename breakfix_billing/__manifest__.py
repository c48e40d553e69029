# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Break/fix Billing",
    "summary": "Per-issue, time-and-materials invoicing of helpdesk tickets",
    "version": "18.0.1.0.0",
    "license": "AGPL-3",
    "category": "Services/Helpdesk",
    "author": "breakfix_billing contributors",
    "website": "https://github.com/breakfix-billing/breakfix_billing",
    "depends": ["helpdesk_mgmt_timesheet", "account"],
    "data": [
        "security/breakfix_billing_security.xml",
        "security/ir.model.access.csv",
        "data/product_data.xml",
        "data/breakfix_work_type_data.xml",
        "data/breakfix_rate_card_data.xml",
        "data/breakfix_invoicing_data.xml",
        "views/breakfix_work_type_views.xml",
        "views/breakfix_rate_card_views.xml",
        "views/res_partner_views.xml",
        "views/res_company_views.xml",
        "views/helpdesk_ticket_templates.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/account_move_views.xml",
        "views/breakfix_billing_menus.xml",
    ],
    "demo": [
        "demo/breakfix_billing_demo.xml",
        "demo/product_demo.xml",
        "demo/helpdesk_ticket_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "assets": {
        "web.assets_tests": [
            "breakfix_billing/static/tests/tours/**/*",
        ],
    },
}
