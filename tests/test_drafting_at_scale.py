"""Drafting 1000 tickets under a prefork server with Odoo's default worker
limits (SPEC §14), from outside: the click returns within seconds, the
invoices are drafted in the background by the cron worker, none twice.

The server runs on its own database and port, with 2 HTTP workers and a cron
worker, `limit_time_cpu` 60 s and `limit_time_real` 120 s (Odoo's defaults).
"""

import os

import pytest

from tests import scale_fixture
from tests.served_process import ServedProcess
from tools import devenv

DB = "breakfix_scale_pytest"
PORT = int(os.environ.get("BREAKFIX_TEST_SCALE_PORT", "8469"))
URL = f"http://127.0.0.1:{PORT}"
TICKETS = 1000
# The click may take this long at most (it records the request and returns)
CLICK_SECONDS = 10
DRAFTING_TIMEOUT = 600


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
    config = devenv.write_config("scale", http_port=PORT)
    scale_fixture.create_database(
        config, DB, "breakfix_billing", TICKETS, prefixes=["Scale issue"]
    )
    running = Server(config, tmp_path_factory.mktemp("scale") / "odoo.log")
    running.wait_until_serving(timeout=300)
    yield running
    running.ctrl_c()
    devenv.drop_database(DB)


def test_a_thousand_tickets_are_drafted_in_the_background_once(server):
    call = scale_fixture.rpc(URL, DB)
    ticket_ids = call("helpdesk.ticket", "search", [("name", "=like", "Scale issue %")])
    assert len(ticket_ids) == TICKETS

    clicked, drafted = scale_fixture.click_draft(call, ticket_ids, DRAFTING_TIMEOUT)
    print(f"\nthe click on Draft for {TICKETS} tickets returned in {clicked:.2f} s")
    print(f"all {TICKETS} drafted in the background in {drafted:.1f} s")
    assert clicked < CLICK_SECONDS
    scale_fixture.assert_drafted_once(call, ticket_ids)
    # no worker was killed for its limits on the way
    assert "limit" not in "".join(
        line for line in server.output().splitlines() if "reached" in line
    )
