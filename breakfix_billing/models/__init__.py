from . import breakfix_field_access
from . import breakfix_customer_period
from . import breakfix_work_type
from . import breakfix_rate_card
from . import breakfix_rate_card_line
from . import breakfix_coverage
from . import breakfix_prepaid_block
from . import breakfix_prepaid_block_lifecycle
from . import breakfix_prepaid_usage
from . import breakfix_prepaid_block_demo
from . import res_company
from . import res_partner
from . import resource_calendar
from . import product_product

# helpdesk.ticket is extended by concern, a file each: helpdesk_ticket first,
# as it adds the breakfix.field.access mixin and the ticket's declaration.
from . import helpdesk_ticket
from . import helpdesk_ticket_policy
from . import helpdesk_ticket_estimate
from . import helpdesk_ticket_pricing
from . import helpdesk_ticket_invoicing
from . import helpdesk_ticket_drafting_feedback
from . import helpdesk_ticket_prepaid
from . import helpdesk_ticket_charges
from . import helpdesk_ticket_portal
from . import helpdesk_ticket_team
from . import helpdesk_ticket_stage
from . import helpdesk_ticket_demo
from . import helpdesk_ticket_material
from . import account_analytic_line
from . import account_move
from . import account_move_prepaid
from . import account_move_line
from . import account_analytic_distribution_model
from . import breakfix_billing_report
from . import breakfix_managed_comparison
from . import breakfix_managed_comparison_month
