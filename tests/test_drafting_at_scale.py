"""Drafting 1000 tickets under a prefork server with Odoo's default worker
limits (SPEC §14), from outside: the click returns within seconds, the
invoices are drafted in the background by the cron worker, none twice.

The server runs on its own database and port, with 2 HTTP workers and a cron
worker, `limit_time_cpu` 60 s and `limit_time_real` 120 s (Odoo's defaults).
"""

import os
import subprocess
import time
import xmlrpc.client

import pytest

from tests.served_process import ServedProcess
from tools import devenv

DB = "breakfix_scale_pytest"
PORT = int(os.environ.get("BREAKFIX_TEST_SCALE_PORT", "8469"))
URL = f"http://127.0.0.1:{PORT}"
TICKETS = 1000
# The click may take this long at most (it records the request and returns)
CLICK_SECONDS = 10
DRAFTING_TIMEOUT = 600

# 1000 open tickets of one customer, an hour of remote work each, on a rate
# card of 100.00 an hour: made in one shell session, quietly.
FIXTURE = f"""
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
tickets = env["helpdesk.ticket"].create([{{"name": f"Scale issue {{i}}",
    "description": "Scale", "partner_id": customer.id, "team_id": team.id,
    "project_id": project.id}} for i in range({TICKETS})])
env["account.analytic.line"].create([{{"ticket_id": t.id, "project_id": project.id,
    "employee_id": employee.id, "name": "Work", "date_time": datetime(2026, 11, 16, 9),
    "unit_amount": 1.0, "breakfix_work_type_id": work_type.id}} for t in tickets])
env.cr.commit()
print("FIXTURE", len(tickets))
"""


class Server(ServedProcess):
    """Odoo in prefork mode, in its own process group."""

    def __init__(self, config, log_path):
        super().__init__(
            devenv.odoo_command(
                config,
                "-d",
                DB,
                "--workers",
                "2",
                "--max-cron-threads",
                "1",
                "--limit-time-cpu",
                "60",
                "--limit-time-real",
                "120",
            ),
            log_path,
            URL,
            "Odoo",
        )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    devenv.pg_start()
    devenv.drop_database(DB)
    config = devenv.write_config("scale", http_port=PORT)
    subprocess.run(
        devenv.odoo_command(
            config,
            "-d",
            DB,
            "-i",
            "breakfix_billing",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ),
        check=True,
    )
    shell = devenv.odoo_command(config, "-d", DB, "--log-level=warn")
    shell.insert(shell.index("-c"), "shell")  # the subcommand comes first
    fixture = subprocess.run(
        shell,
        input=FIXTURE,
        text=True,
        capture_output=True,
        check=True,
    )
    assert f"FIXTURE {TICKETS}" in fixture.stdout, fixture.stdout + fixture.stderr
    running = Server(config, tmp_path_factory.mktemp("scale") / "odoo.log")
    running.wait_until_serving(timeout=300)
    yield running
    running.ctrl_c()
    devenv.drop_database(DB)


def test_a_thousand_tickets_are_drafted_in_the_background_once(server):
    common = xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/common")
    uid = common.authenticate(DB, "admin", "admin", {})
    assert uid
    models = xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(DB, uid, "admin", model, method, list(args), kwargs)

    ticket_ids = call("helpdesk.ticket", "search", [("name", "=like", "Scale issue %")])
    assert len(ticket_ids) == TICKETS

    start = time.monotonic()
    action = call("helpdesk.ticket", "action_breakfix_create_invoice", ticket_ids)
    clicked = time.monotonic() - start
    print(f"\nthe click on Draft for {TICKETS} tickets returned in {clicked:.2f} s")
    assert clicked < CLICK_SECONDS
    assert action["params"]["message"] == (
        f"Drafting the invoices of {TICKETS} tickets in the background: you "
        "will be told when it is done."
    )

    deadline = time.monotonic() + DRAFTING_TIMEOUT
    while time.monotonic() < deadline:
        requests = call(
            "breakfix.drafting.request", "search_read", [], fields=["state"]
        )
        if requests and all(r["state"] == "done" for r in requests):
            break
        time.sleep(2)
    drafted = time.monotonic() - start
    print(f"all {TICKETS} drafted in the background in {drafted:.1f} s")
    assert requests and requests[0]["state"] == "done", server.output()[-3000:]

    # every ticket on exactly one invoice, every invoice of one ticket
    counts = call(
        "helpdesk.ticket", "read", ticket_ids, fields=["breakfix_invoice_count"]
    )
    assert {row["breakfix_invoice_count"] for row in counts} == {1}
    invoices = call(
        "account.move", "search_count", [("breakfix_ticket_ids", "in", ticket_ids)]
    )
    assert invoices == TICKETS
    # no worker was killed for its limits on the way
    assert "limit" not in "".join(
        line for line in server.output().splitlines() if "reached" in line
    )
