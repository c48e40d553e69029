"""With breakfix_billing_queue, queue_job's real job runner runs the
drafting jobs, on two Odoo hosts of one database at once (SPEC §14), from
outside: a click on Draft for many tickets, timed for one and for two job
workers, nothing drafted twice.

Two Odoo servers in prefork mode, as two hosts would be, behind a load
balancer (tools/queue_hosts.py says how they run).
"""

import os
import time

import pytest

from tests import scale_fixture
from tests.served_process import ServedProcess
from tools import devenv, queue_hosts

DB = "breakfix_queue_pytest"
PORT = int(os.environ.get("BREAKFIX_TEST_QUEUE_PORT", "8589"))
HOSTS = {"a": PORT, "b": PORT + 10}
BALANCER = PORT + 20
TICKETS = 300  # a run, in jobs of breakfix_job_size (50) tickets
RUNS = {1: "Queue one", 2: "Queue two"}  # job workers: the tickets' names
DRAFTING_TIMEOUT = 600


class Host(ServedProcess):
    """An Odoo host in prefork mode with queue_job's job runner."""

    def __init__(self, name, log_path):
        super().__init__(
            queue_hosts.host_command(name, DB, HOSTS[name], BALANCER),
            log_path,
            f"http://127.0.0.1:{HOSTS[name]}",
            f"Odoo host {name}",
        )


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    config = devenv.write_config("queue-fixture", http_port=PORT)
    scale_fixture.create_database(
        config, DB, "breakfix_billing_queue", TICKETS, prefixes=RUNS.values()
    )
    balancer = queue_hosts.RoundRobinProxy(BALANCER, HOSTS.values()).start()
    logs = tmp_path_factory.mktemp("queue")
    running = [Host(name, logs / f"odoo-{name}.log") for name in HOSTS]
    try:
        for host in running:
            host.wait_until_serving(timeout=300)
        deadline = time.monotonic() + 60
        while not any(queue_hosts.RUNNER_READY in host.output() for host in running):
            assert time.monotonic() < deadline, "no job runner is ready"
            time.sleep(0.5)
        yield running, balancer
    finally:
        for host in running:
            host.ctrl_c()
        balancer.stop()
        devenv.drop_database(DB)


@pytest.mark.parametrize("workers", sorted(RUNS))
def test_job_workers_on_two_hosts_draft_every_ticket_once(hosts, workers):
    running, balancer = hosts
    call = scale_fixture.rpc(running[0].url, DB)
    channel = call(
        "queue.job.channel", "search", [("complete_name", "=", "root.breakfix")]
    )
    # the channel's capacity: how many drafting jobs run at once, live
    call("queue.job.channel", "write", channel, {"capacity": workers})
    ticket_ids = call(
        "helpdesk.ticket", "search", [("name", "=like", f"{RUNS[workers]} %")]
    )
    assert len(ticket_ids) == TICKETS
    before = dict(balancer.connections)
    earlier_jobs = call("queue.job", "search", [])

    clicked, drafted = scale_fixture.click_draft(call, ticket_ids, DRAFTING_TIMEOUT)
    print(
        f"\n{workers} job worker(s): {TICKETS} tickets drafted in {drafted:.1f} s, "
        f"{TICKETS / drafted:.1f} invoices/s (the click returned in {clicked:.2f} s)"
    )
    scale_fixture.assert_drafted_once(call, ticket_ids)
    jobs = call(
        "queue.job",
        "search_read",
        [("id", "not in", earlier_jobs)],
        fields=["state", "channel", "date_started", "date_done"],
    )
    # a job per 50 tickets and the one that tells the requester, all done
    assert len(jobs) == TICKETS // 50 + 1
    assert {(job["state"], job["channel"]) for job in jobs} == {
        ("done", "root.breakfix")
    }
    assert _most_at_once(jobs) == workers
    # the balancer handed jobs to each host
    handed = {
        port: balancer.connections[port] - before.get(port, 0)
        for port in HOSTS.values()
    }
    print(f"jobs handed to the hosts (port: jobs): {handed}")
    assert all(handed.values()), handed
    # no job failed or retried on a host, no worker hit a limit
    for host in running:
        errors = [line for line in host.output().splitlines() if " ERROR " in line]
        assert not errors, errors[:5]


def _most_at_once(jobs):
    """How many of the ``jobs`` ran at the same moment, at most."""
    events = sorted(
        [(job["date_started"], 1) for job in jobs]
        + [(job["date_done"], -1) for job in jobs]
    )
    running = most = 0
    for _moment, step in events:
        running += step
        most = max(most, running)
    return most
