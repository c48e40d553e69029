"""What the benchmark drafts, on both sides: the shared fixture, each case's
records of N tickets or orders × M lines, and each side's drafting.  Used
by bench/worker.py, in the process that builds the data and in each one
that times a run."""

from datetime import datetime, timedelta
from unittest import mock

# Start times of the time entries, as (days from a Monday, hour UTC): in
# business hours, in the evening, early in the morning and on a Saturday.
# None crosses a boundary of the calendar (Europe/Brussels or UTC), so that a
# ticket's invoice has one line per billable line, as a sale order's has:
# the two sides draft invoices of the same shape.
SLOTS = ((0, 8.0), (1, 19.0), (2, 4.0), (3, 14.0), (5, 10.0))
# Every tenth ticket is an emergency (a call-out fee line); every tenth order
# has one more service line to match.
EMERGENCY_EVERY = 10


# A live database has years of invoices, and PostgreSQL statistics to match.
# Without them, the planner takes the invoice-line table for empty while a
# run fills it, and a query of Odoo's invoice creation (the payment state)
# turns quadratic: both sides would be measured on an artefact of a fresh
# database.  The history is made once, committed, and kept with the database.
HISTORY_INVOICES = 1000
HISTORY_LINES = 10
HISTORY_PARAM = "breakfix_bench.history_invoices"


def ensure_history(env):
    """Post ``HISTORY_INVOICES`` invoices once, as a shop's past business."""
    params = env["ir.config_parameter"].sudo()
    if params.get_param(HISTORY_PARAM) == str(HISTORY_INVOICES):
        return
    print(f"Posting {HISTORY_INVOICES} past invoices (once)...", flush=True)
    env = env(context=dict(env.context, **QUIET))
    customer = env["res.partner"].create({"name": "Bench past customer"})
    product = env["product.product"].create(
        {"name": "Bench past service", "type": "service", "list_price": 80.0}
    )
    for start in range(0, HISTORY_INVOICES, 50):
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": datetime(2025, 1, 1) + timedelta(days=i % 600),
                    "invoice_line_ids": [
                        (0, 0, {"product_id": product.id, "quantity": 1 + j % 3})
                        for j in range(HISTORY_LINES)
                    ],
                }
                for i in range(start, min(start + 50, HISTORY_INVOICES))
            ]
        )
        moves.action_post()
        env.cr.commit()
    params.set_param(HISTORY_PARAM, str(HISTORY_INVOICES))
    env.cr.commit()


class Fixture:
    """What both sides share: a customer, products, a rate card, a team."""

    def __init__(self, env):
        self.env = env
        company = env.company
        hours = env.ref("uom.product_uom_hour")
        self.customer = env["res.partner"].create({"name": "Bench Customer"})
        self.monthly_customer = env["res.partner"].create(
            {"name": "Bench Monthly Customer", "breakfix_invoicing_mode": "monthly"}
        )
        self.service = env["product.product"].create(
            {
                "name": "Bench service",
                "type": "service",
                "uom_id": hours.id,
                "uom_po_id": hours.id,
                "list_price": 90.0,
                "invoice_policy": "order",
            }
        )
        self.part = env["product.product"].create(
            {
                "name": "Bench part",
                "type": "consu",
                "list_price": 25.0,
                "standard_price": 20.0,
                "invoice_policy": "order",
            }
        )
        self.work_type = env["breakfix.work.type"].create(
            {
                "name": "Bench support",
                "product_id": self.service.id,
                "hourly_rate": 90.0,
            }
        )
        rate_card = env["breakfix.rate.card"].create(
            {
                "name": "Bench rates",
                "company_id": company.id,
                "calendar_id": env.ref("resource.resource_calendar_std").id,
                "callout_fee": 100.0,
                "trip_fee": 40.0,
                "material_pricing": "cost_plus",
                "material_markup": 25.0,
            }
        )
        (self.customer | self.monthly_customer).breakfix_rate_card_id = rate_card
        project = env["project.project"].create(
            {"name": "Bench support", "allow_timesheets": True}
        )
        self.team = env["helpdesk.ticket.team"].create(
            {
                "breakfix_enabled": True,
                "name": "Bench team",
                "allow_timesheet": True,
                "default_project_id": project.id,
                "breakfix_auto_invoice": False,
            }
        )
        self.project = project
        self.closed_stage = env["helpdesk.ticket.stage"].search(
            [("closed", "=", True)], limit=1
        )
        self.employee = env["hr.employee"].create({"name": "Bench Technician"})
        self.monday = datetime(2026, 11, 16)

    def tickets(self, n, m, customer=None):
        """N closed tickets with M billable lines: M - 2 entries and 2 parts."""
        env = self.env
        customer = customer or self.customer
        tickets = env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Bench issue {i}",
                    "description": "Bench",
                    "partner_id": customer.id,
                    "team_id": self.team.id,
                    "project_id": self.project.id,
                    "breakfix_emergency": i % EMERGENCY_EVERY == 0,
                }
                for i in range(n)
            ]
        )
        entries = []
        for ticket in tickets:
            for j in range(m - 2):
                day, hour = SLOTS[j % len(SLOTS)]
                entries.append(
                    {
                        "ticket_id": ticket.id,
                        "project_id": self.project.id,
                        "employee_id": self.employee.id,
                        "name": f"Work {j}",
                        "date_time": self.monday + timedelta(days=day, hours=hour),
                        "unit_amount": 0.5 + (j % 4) * 0.35,
                        "breakfix_work_type_id": self.work_type.id,
                    }
                )
        env["account.analytic.line"].create(entries)
        env["helpdesk.ticket.material"].create(
            [
                {"ticket_id": ticket.id, "product_id": self.part.id, "quantity": q}
                for ticket in tickets
                for q in (1, 2)
            ]
        )
        tickets.stage_id = self.closed_stage
        return tickets

    def monthly_tickets(self, n, m):
        return self.tickets(n, m, customer=self.monthly_customer)

    def orders(self, n, m, customer=None):
        """N confirmed sale orders with M lines: M - 2 services, 2 parts."""
        customer = customer or self.customer
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "order_line": [
                        (0, 0, {
                            "product_id": self.service.id,
                            "name": f"Work {j}",
                            "product_uom_qty": 0.5 + (j % 4) * 0.35,
                            "price_unit": 90.0,
                        })
                        for j in range(m - 2)
                    ]
                    + [
                        (0, 0, {"product_id": self.part.id, "product_uom_qty": q})
                        for q in (1, 2)
                    ]
                    + [
                        (0, 0, {
                            "product_id": self.service.id,
                            "name": "Call-out",
                            "product_uom_qty": 1,
                            "price_unit": 100.0,
                        })
                        for _callout in range(i % EMERGENCY_EVERY == 0)
                    ],
                }
                for i in range(n)
            ]
        )  # fmt: skip
        orders.action_confirm()
        return orders

    def monthly_orders(self, n, m):
        return self.orders(n, m, customer=self.monthly_customer)


def draft_ours(records):
    invoices, skipped = records._breakfix_create_invoices()
    assert not skipped, skipped
    return invoices


def draft_ours_synced(records):
    """Ours with the fast path off: every invoice the synced way, as those
    the fast path does not take (several instalments, a foreign currency...)
    are drafted."""
    Move = type(records.env["account.move"])
    with mock.patch.object(Move, "_breakfix_takes_fast_path", lambda *args: False):
        return draft_ours(records)


def draft_core(records):
    return records._create_invoices(grouped=True)


def draft_core_grouped(records):
    return records._create_invoices(grouped=False)


# {case: ({side: (build, draft)}, invoices drafted of N tickets or orders)}
CASES = {
    "per ticket": (
        {"ours": (Fixture.tickets, draft_ours), "core": (Fixture.orders, draft_core)},
        lambda n: n,
    ),
    "per ticket, synced": (
        {
            "ours": (Fixture.tickets, draft_ours_synced),
            "core": (Fixture.orders, draft_core),
        },
        lambda n: n,
    ),
    "monthly": (
        {
            "ours": (Fixture.monthly_tickets, draft_ours),
            "core": (Fixture.monthly_orders, draft_core_grouped),
        },
        lambda n: 1,
    ),
}
SIDES = CASES["per ticket"][0]


# Building the data is not what is measured: it skips the chatter (tracking,
# creation messages, followers, the closing e-mail of the helpdesk stage).
QUIET = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_auto_subscribe_no_notify": True,
    "mail_notify_force_send": False,
}
