# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What several model files of the addon share: kept here, so that no model
file imports another one's."""

# Who may write a field of the addon (``breakfix.field.access``).
MODULE = "breakfix_billing"

TECHNICIAN = "technician"
MANAGER = "manager"
FINANCE = "finance"
PORTAL = "portal"
# The group that gives each role (billing managers are technicians too).
ROLE_GROUPS = {
    TECHNICIAN: "breakfix_billing.group_breakfix_technician",
    MANAGER: "breakfix_billing.group_breakfix_manager",
    FINANCE: "account.group_account_invoice",
    PORTAL: "base.group_portal",
}
# The usual declarations.
NOBODY = ()
MANAGERS = (MANAGER,)
STAFF = (TECHNICIAN, MANAGER)
FINANCE_ONLY = (FINANCE,)

# Bounds shared by the models' declarations.
MAX_AMOUNT = 1_000_000_000.0
MAX_QUANTITY = 1_000_000.0
MAX_DISTANCE_KM = 100_000.0

# How a customer's tickets are invoiced (SPEC §10): each on its own draft, or
# all of a month on one invoice drafted on the first of the next.
INVOICING_PER_TICKET = "per_ticket"
INVOICING_MONTHLY = "monthly"
INVOICING_MODES = [
    (INVOICING_PER_TICKET, "One invoice per ticket"),
    (INVOICING_MONTHLY, "One invoice per month"),
]

BREAKFIX_POLICIES = [
    ("billable", "Billable"),
    ("covered", "Covered by a plan"),
    ("warranty", "Warranty"),
    ("non_billable", "Non-billable"),
]
# What the pricing of the ticket (and of its time entries) depends on.
RATE_CARD_DEPENDENCIES = tuple(
    f"breakfix_rate_card_id.{fname}"
    for fname in (
        "rounding_minutes",
        "rounding_method",
        "minimum_minutes",
        "after_hours_factor",
        "weekend_factor",
        "holiday_factor",
        "emergency_factor",
        "callout_fee",
        "trip_fee",
        "mileage_rate",
        "currency_id",
        "line_ids.hourly_rate",
        "line_ids.work_type_id",
        "line_ids.employee_id",
        "calendar_id.tz",
        "calendar_id.attendance_ids.hour_from",
        "calendar_id.attendance_ids.hour_to",
        "calendar_id.attendance_ids.dayofweek",
        "calendar_id.global_leave_ids.date_from",
        "calendar_id.global_leave_ids.date_to",
    )
)
# The prices, invoices and billing terms (policy and why, coverage, repeat
# visit, emergency, on-site) of a ticket are its company's and its
# customer's business: portal users (who may follow a ticket of another
# customer) read the charges on the ticket's portal page only, for their own
# customer's tickets.
PRICE_GROUPS = "base.group_user"
BREAKFIX_ESTIMATE_STATES = [
    ("none", "No estimate"),
    ("ok", "Within the estimate"),
    ("warning", "80 % of the estimate used"),
    ("exceeded", "Estimate used up"),
    # a billing manager lifted the estimate: the work is invoiced in full
    ("approved", "Overrun approved"),
]
