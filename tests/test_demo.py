"""`make demo` as a new user runs it, and the server as an integrator meets it.

The demo runs on its own database and port so that it does not disturb a
developer's own `make demo`.  The tests in this module run in order: the
last ones stop the demo with Ctrl-C and start it again.
"""

import json
import os
import socket
import urllib.error
import urllib.request

import pytest

from tests.served_process import ServedProcess
from tools import devenv

DB = "breakfix_demo_pytest"
# another port lets two checkouts test at once
PORT = int(os.environ.get("BREAKFIX_TEST_DEMO_PORT", "8369"))
URL = f"http://127.0.0.1:{PORT}"
STARTUP_TIMEOUT = 900


class Demo(ServedProcess):
    """A `make demo` process, in its own process group like a terminal job."""

    def __init__(self, log_path):
        env = dict(os.environ, BREAKFIX_DEMO_DB=DB, BREAKFIX_HTTP_PORT=str(PORT))
        super().__init__(
            ["make", "demo"], log_path, URL, "make demo", cwd=devenv.ROOT, env=env
        )

    def wait_until_serving(self):
        super().wait_until_serving(STARTUP_TIMEOUT)


def port_is_open(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def jsonrpc(service, method, *args):
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"service": service, "method": method, "args": args},
    }
    request = urllib.request.Request(
        f"{URL}/jsonrpc",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.load(response)
    if "error" in body:
        raise RpcError(body["error"]["data"]["name"], body["error"]["data"]["message"])
    return body["result"]


class RpcError(Exception):
    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name, self.message = name, message


class Client:
    def __init__(self, login, password):
        self.uid = jsonrpc("common", "login", DB, login, password)
        assert self.uid, f"cannot log in as {login}"
        self.password = password

    def __call__(self, model, method, *args, **kwargs):
        return jsonrpc(
            "object", "execute_kw", DB, self.uid, self.password, model, method,
            list(args), kwargs,
        )  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    devenv.pg_start()
    devenv.drop_database(DB)  # as on a fresh machine
    assert not port_is_open(PORT), f"port {PORT} is taken"
    running = Demo(tmp_path_factory.mktemp("demo") / "make-demo.log")
    running.wait_until_serving()
    yield running
    running.ctrl_c()


@pytest.fixture(scope="module")
def admin(demo):
    return Client("admin", "admin")


def test_login_page_answers(demo):
    with urllib.request.urlopen(f"{URL}/web/login", timeout=30) as response:
        assert response.status == 200
        assert b'name="login"' in response.read()
    output = demo.output()
    assert f"{URL}/odoo" in output
    assert "login: admin, password: admin" in output


def test_addon_installed_with_demo_data(admin):
    (module,) = admin(
        "ir.module.module", "search_read", [("name", "=", "breakfix_billing")],
        fields=["state", "demo"],
    )  # fmt: skip
    assert module["state"] == "installed"
    assert module["demo"] is True


def test_demo_tickets_have_logged_time(admin):
    ticket_ids = admin(
        "ir.model.data", "search_read",
        [("module", "=", "breakfix_billing"), ("model", "=", "helpdesk.ticket")],
        fields=["res_id"],
    )  # fmt: skip
    ticket_ids = [row["res_id"] for row in ticket_ids]
    assert len(ticket_ids) >= 3
    tickets = admin(
        "helpdesk.ticket", "read", ticket_ids, fields=["partner_id", "timesheet_ids"]
    )
    assert all(ticket["partner_id"] for ticket in tickets)
    assert sum(len(ticket["timesheet_ids"]) for ticket in tickets) >= 3


def test_public_names_of_spec_section_3(admin):
    expected = {
        "breakfix.work.type": {
            "name", "product_id", "hourly_rate", "billable", "onsite", "company_id",
        },
        "breakfix.rate.card": {
            "name", "company_id", "currency_id", "line_ids", "rounding_minutes",
            "rounding_method", "minimum_minutes", "calendar_id",
            "after_hours_factor", "weekend_factor", "holiday_factor",
            "emergency_factor", "callout_fee", "trip_fee", "material_pricing",
            "material_markup", "managed_plan_monthly_price",
        },
        "breakfix.rate.card.line": {"work_type_id", "employee_id", "hourly_rate"},
        "res.partner": {"breakfix_rate_card_id"},
        "res.company": {"breakfix_rate_card_id"},
    }  # fmt: skip
    for model, names in expected.items():
        fields = admin(model, "fields_get", attributes=["type"])
        assert names <= set(fields), f"{model} lacks {names - set(fields)}"
    rate_card = admin("breakfix.rate.card", "fields_get", attributes=["selection"])
    assert [key for key, _label in rate_card["rounding_method"]["selection"]] == [
        "up", "nearest", "down",
    ]  # fmt: skip


def test_technician_cannot_touch_rate_cards_over_rpc(admin):
    technician_group = admin(
        "ir.model.data", "check_object_reference",
        "helpdesk_mgmt", "group_helpdesk_user_own",
    )[1]  # fmt: skip
    admin(
        "res.users",
        "create",
        {
            "name": "RPC Technician",
            "login": "rpc-tech",
            "password": "rpc-tech-pass",
            "groups_id": [(6, 0, [technician_group])],
        },
    )
    technician = Client("rpc-tech", "rpc-tech-pass")
    cards = technician("breakfix.rate.card", "search_read", [], fields=["name"])
    assert cards, "a technician reads rate cards"
    with pytest.raises(RpcError) as error:
        technician("breakfix.rate.card", "create", {"name": "Sneaky"})
    assert error.value.name == "odoo.exceptions.AccessError"
    with pytest.raises(RpcError) as error:
        technician("breakfix.rate.card", "write", [cards[0]["id"]], {"trip_fee": 1})
    assert error.value.name == "odoo.exceptions.AccessError"


def test_ctrl_c_stops_everything_it_started(demo):
    assert demo.ctrl_c() is not None
    assert not port_is_open(PORT)
    # make test started the cluster, so the demo leaves it running
    assert devenv.pg_running()


def test_rerun_reuses_the_database(tmp_path):
    again = Demo(tmp_path / "make-demo-again.log")
    try:
        again.wait_until_serving()
        assert "Creating database" not in again.output()
    finally:
        again.ctrl_c()
    assert not port_is_open(PORT)
