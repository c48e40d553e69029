"""Benchmark: drafting break/fix invoices against Odoo's sale-order invoicing.

Builds (once) a database ``breakfix_bench`` with the addon and Odoo's ``sale``
module, no demo data.  For each size N tickets × M billable lines it builds,
inside a savepoint rolled back when the size is done:

- ours: N closed tickets, each with M billable lines — time entries spread
  over business hours, evenings and weekends, plus parts — and times
  ``helpdesk.ticket._breakfix_create_invoices()`` (one batch);
- core: N confirmed sale orders with M lines each (services and consumables
  invoiced on ordered quantities) and times ``sale.order._create_invoices()``
  with one invoice per order.

The monthly case (SPEC §10) drafts the same N tickets for a customer
invoiced monthly, one invoice with a section per ticket, against Odoo's own
grouping of the customer's N orders into one invoice
(``_create_invoices(grouped=False)``).

The synced case (``--synced``) drafts the same tickets with the fast path
off (``account.move._breakfix_takes_fast_path``): every invoice the way those
it does not take are drafted, Odoo's sync checking the values handed.

Both drafts are timed in the same process, alternately and repeatedly (each
run rolled back to its own savepoint), from a cold ORM cache and up to the
flush of everything they wrote; SQL queries are counted; peak Python memory
is measured by tracemalloc in a separate, untimed run.  The two sides draft
invoices of the same shape: as many invoices, as many lines.  Prints a table
of medians: invoices/s, invoice lines/s, queries per invoice, peak memory,
and the ratio ours/core of the time per invoice.

    python3 bench/run.py                  # N in 10, 100, 1000; M in 5, 20
    python3 bench/run.py --quick          # N = 10 only
    python3 bench/run.py --sizes 10,100   # chosen N
    python3 bench/run.py --no-monthly     # without the monthly case
    python3 bench/run.py --synced         # also with the fast path off
"""

import argparse
import contextlib
import gc
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import devenv

DB = "breakfix_bench"
MODULES = ("breakfix_billing", "sale")
# Start times of the time entries, as (days from a Monday, hour UTC): in
# business hours, in the evening, early in the morning and on a Saturday.
# None crosses a boundary of the calendar (Europe/Brussels or UTC), so that a
# ticket's invoice has one line per billable line, as a sale order's has:
# the two sides draft invoices of the same shape.
SLOTS = ((0, 8.0), (1, 19.0), (2, 4.0), (3, 14.0), (5, 10.0))
# Every tenth ticket is an emergency (a call-out fee line); every tenth order
# has one more service line to match.
EMERGENCY_EVERY = 10


def ensure_database():
    devenv.pg_start()
    config = devenv.write_config("bench", http_port=8869)
    if any(devenv.module_state(DB, module) != "installed" for module in MODULES):
        devenv.drop_database(DB)
        print(f"Creating database {DB!r} with {', '.join(MODULES)}...", flush=True)
        subprocess.run(
            devenv.odoo_command(
                config, "-d", DB, "-i", ",".join(MODULES), "--without-demo=all",
                "--stop-after-init", "--log-level=warn",
            ),
            check=True,
        )  # fmt: skip
    else:
        # the addon as this checkout has it, not as the database last saw it
        subprocess.run(
            devenv.odoo_command(
                config, "-d", DB, "-u", MODULES[0], "--stop-after-init",
                "--log-level=warn",
            ),
            check=True,
        )  # fmt: skip
    return config


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


def draft_once(env, draft, records, invoice_count, memory=False):
    """Time one drafting from a cold cache; it is rolled back afterwards."""
    import odoo

    with contextlib.closing(env.cr.savepoint()):
        env.invalidate_all()
        gc.collect()
        if memory:
            tracemalloc.start()
        queries = odoo.sql_db.sql_counter
        start = time.perf_counter()
        invoices = draft(records)
        env.flush_all()
        elapsed = time.perf_counter() - start
        queries = odoo.sql_db.sql_counter - queries
        peak = 0
        if memory:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        assert len(invoices) == invoice_count, (len(invoices), invoice_count)
        lines = len(invoices.invoice_line_ids)
    env.invalidate_all()
    return {"seconds": elapsed, "queries": queries, "lines": lines, "peak": peak}


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


def run(env, sizes, repeat, memory=True, cases=("per ticket",)):
    fixture = Fixture(env(context=dict(env.context, **QUIET)))
    env.flush_all()
    rows = []
    for case in cases:
        rows += run_case(env, fixture, case, sizes, repeat, memory)
    return rows


def run_case(env, fixture, case, sizes, repeat, memory):
    sides, invoice_count = CASES[case]
    rows = []
    for n, m in sizes:
        with contextlib.ExitStack() as stack:
            records = {}
            for side, (build, _draft) in sides.items():
                # both sides' data live side by side until the size is done
                stack.enter_context(contextlib.closing(env.cr.savepoint()))
                # drafted with the plain environment, chatter included
                records[side] = build(fixture, n, m).with_env(env)
                env.flush_all()
            # what autovacuum does on a live database: without statistics on
            # the freshly filled tables, PostgreSQL picks plans that cost
            # seconds
            env.cr.execute("ANALYZE")
            count = invoice_count(n)
            samples = {side: [] for side in sides}
            for r in range(repeat):
                order = ("ours", "core") if r % 2 == 0 else ("core", "ours")
                for side in order:
                    draft = sides[side][1]
                    samples[side].append(draft_once(env, draft, records[side], count))
            peaks = {
                side: memory
                and draft_once(env, sides[side][1], records[side], count, memory=True)[
                    "peak"
                ]
                for side in sides
            }
        env.invalidate_all()
        result = {}
        for side, runs in samples.items():
            seconds = statistics.median(r["seconds"] for r in runs)
            result[side] = {
                "seconds": seconds,
                "invoices_per_s": count / seconds,
                "lines_per_s": runs[0]["lines"] / seconds,
                "lines": runs[0]["lines"],
                "queries_per_invoice": (
                    statistics.median(r["queries"] for r in runs) / count
                ),
                "peak_mib": peaks[side] / 2**20,
            }
        ratio = result["ours"]["seconds"] / result["core"]["seconds"]
        rows.append((case, n, m, result, ratio))
        print_row(case, n, m, result, ratio)
    return rows


HEADER = (
    "| case | N | M | side | median s | invoices/s | lines/s | invoice lines | "
    "queries/invoice | peak MiB | ours/core |"
)


def print_row(case, n, m, result, ratio):
    for side in SIDES:
        r = result[side]
        print(
            f"| {case} | {n} | {m} | {side} | {r['seconds']:.3f} "
            f"| {r['invoices_per_s']:.1f} "
            f"| {r['lines_per_s']:.0f} | {r['lines']} | {r['queries_per_invoice']:.1f} "
            f"| {r['peak_mib']:.1f} | {ratio:.2f} |",
            flush=True,
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 10 only")
    parser.add_argument(
        "--sizes",
        help="N values to run, comma-separated (default 10,100,1000)",
        default="10,100,1000",
    )
    parser.add_argument(
        "--lines",
        help="M values to run, comma-separated (default 5,20)",
        default="5,20",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per side")
    parser.add_argument(
        "--no-monthly",
        action="store_true",
        help="skip the monthly case (one invoice of N tickets)",
    )
    parser.add_argument(
        "--synced",
        action="store_true",
        help="also the per-ticket case with the fast path off (every invoice "
        "drafted the synced way)",
    )
    parser.add_argument(
        "--no-memory",
        action="store_true",
        help="skip the tracemalloc run (peak memory shows 0)",
    )
    args = parser.parse_args(argv)
    ns = (10,) if args.quick else tuple(int(n) for n in args.sizes.split(","))
    sizes = [(n, m) for n in ns for m in (int(m) for m in args.lines.split(","))]

    config_path = ensure_database()
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", str(config_path), "--log-level=warn"])
    registry = odoo.modules.registry.Registry(DB)
    with registry.cursor() as cr:
        ensure_history(api.Environment(cr, SUPERUSER_ID, {}))
    print(
        f"\nbreakfix_billing benchmark — {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Odoo {odoo.release.version}, {args.repeat} timed runs per side, medians\n"
    )
    print(HEADER)
    print("|---" * (HEADER.count("|") - 1) + "|")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cases = ("per ticket",)
        if args.synced:
            cases += ("per ticket, synced",)
        if not args.no_monthly:
            cases += ("monthly",)
        run(env, sizes, args.repeat, memory=not args.no_memory, cases=cases)
        cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
