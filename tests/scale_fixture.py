"""The committed data of the outside-in tests that draft at scale: a
database of open tickets, made by Odoo's shell in one session, quietly."""

import subprocess
import time
import xmlrpc.client

from tools import devenv

# ``count`` open tickets "<prefix> <i>" of one customer, an hour of remote
# work each, on a rate card of 100.00 an hour
SCRIPT = """
from datetime import datetime
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True,
          mail_create_nosubscribe=True, mail_notrack=True))
hour = env.ref("uom.product_uom_hour")
product = env["product.product"].create({{"name": "Scale support", "type": "service",
    "uom_id": hour.id, "uom_po_id": hour.id}})
work_type = env["breakfix.work.type"].create({{"name": "Scale remote",
    "product_id": product.id, "hourly_rate": 100.0}})
card = env["breakfix.rate.card"].create({{"name": "Scale rates",
    "company_id": env.company.id, "calendar_id": False}})
customer = env["res.partner"].create({{"name": "Scale Customer", "is_company": True,
    "breakfix_rate_card_id": card.id}})
project = env["project.project"].create({{"name": "Scale", "allow_timesheets": True}})
team = env["helpdesk.ticket.team"].create({{"name": "Scale team",
    "breakfix_enabled": True, "allow_timesheet": True,
    "default_project_id": project.id, "breakfix_work_type_id": work_type.id}})
employee = env["hr.employee"].create({{"name": "Scale Technician"}})
made = 0
for prefix in {prefixes!r}:
    tickets = env["helpdesk.ticket"].create([{{"name": f"{{prefix}} {{i}}",
        "description": "Scale", "partner_id": customer.id, "team_id": team.id,
        "project_id": project.id}} for i in range({count})])
    env["account.analytic.line"].create([{{"ticket_id": t.id,
        "project_id": project.id, "employee_id": employee.id, "name": "Work",
        "date_time": datetime(2026, 11, 16, 9), "unit_amount": 1.0,
        "breakfix_work_type_id": work_type.id}} for t in tickets])
    made += len(tickets)
env.cr.commit()
print("FIXTURE", made)
"""


def create_database(config, db, module, count, prefixes):
    """A fresh database ``db`` with ``module`` (no demo data) and ``count``
    tickets for each of the ``prefixes``."""
    devenv.pg_start()
    devenv.drop_database(db)
    subprocess.run(
        devenv.odoo_command(
            config, "-d", db, "-i", module, "--without-demo=all",
            "--stop-after-init", "--log-level=warn",
        ),
        check=True,
    )  # fmt: skip
    shell = devenv.odoo_command(config, "-d", db, "--log-level=warn")
    shell.insert(shell.index("-c"), "shell")  # the subcommand comes first
    made = subprocess.run(
        shell,
        input=SCRIPT.format(count=count, prefixes=list(prefixes)),
        text=True,
        capture_output=True,
        check=True,
    )
    expected = f"FIXTURE {count * len(prefixes)}"
    assert expected in made.stdout, made.stdout + made.stderr


def rpc(url, db, login="admin", password="admin"):
    """``call(model, method, *args, **kwargs)`` over XML-RPC as ``login``."""
    uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(
        db, login, password, {}
    )
    assert uid, f"{login} cannot log in to {db}"
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, password, model, method, list(args), kwargs)

    return call


def click_draft(call, ticket_ids, timeout):
    """Click Draft on the tickets and wait until the drafting request ends;
    ``(seconds the click took, seconds until the request was done)``."""
    start = time.monotonic()
    action = call("helpdesk.ticket", "action_breakfix_create_invoice", ticket_ids)
    clicked = time.monotonic() - start
    assert action["params"]["message"] == (
        f"Drafting the invoices of {len(ticket_ids)} tickets in the background: "
        "you will be told when it is done."
    )
    deadline = start + timeout
    while time.monotonic() < deadline:
        requests = call(
            "breakfix.drafting.request",
            "search_read",
            [("ticket_ids", "in", ticket_ids[:1])],
            fields=["state"],
        )
        if requests and all(r["state"] == "done" for r in requests):
            return clicked, time.monotonic() - start
        time.sleep(0.5)
    raise AssertionError(f"the drafting request is not done after {timeout} s")


def assert_drafted_once(call, ticket_ids):
    """Every ticket is on exactly one invoice, every invoice of one ticket,
    and every time entry on one invoice line: nothing drafted twice."""
    counts = call(
        "helpdesk.ticket", "read", ticket_ids, fields=["breakfix_invoice_count"]
    )
    assert {row["breakfix_invoice_count"] for row in counts} == {1}
    invoices = call(
        "account.move", "search_count", [("breakfix_ticket_ids", "in", ticket_ids)]
    )
    assert invoices == len(ticket_ids)
    entries = call(
        "account.analytic.line",
        "search_read",
        [("ticket_id", "in", ticket_ids)],
        fields=["breakfix_invoice_line_ids"],
    )
    assert len(entries) == len(ticket_ids)
    assert {len(entry["breakfix_invoice_line_ids"]) for entry in entries} == {1}
