"""Benchmark: drafting break/fix invoices against Odoo's sale-order invoicing.

Builds (once) a database ``breakfix_bench`` with the addon and Odoo's ``sale``
module, no demo data, and a history of 1000 posted invoices.  For each size
N tickets × M billable lines it copies that database and commits, in the
copy, both sides' records (bench/scenario.py):

- ours: N closed tickets, each with M billable lines — time entries spread
  over business hours, evenings and weekends, plus parts — drafted by
  ``helpdesk.ticket._breakfix_create_invoices()`` (one batch);
- core: N confirmed sale orders with M lines each (services and consumables
  invoiced on ordered quantities) drafted by ``sale.order._create_invoices()``
  with one invoice per order.

The monthly case (SPEC §10) drafts the same N tickets for a customer
invoiced monthly, one invoice with a section per ticket, against Odoo's own
grouping of the customer's N orders into one invoice
(``_create_invoices(grouped=False)``).

Each timed run is a fresh process (bench/worker.py) on the same committed
data: from a cold ORM cache up to the flush of everything it wrote, then
rolled back.  The sides alternate (ours, core, core, ours, ...), SQL
queries are counted, and peak Python memory is measured by tracemalloc in
one more, untimed run per side.  The two sides draft invoices of the same
shape: as many invoices, as many lines.  Prints a table of medians:
invoices/s, invoice lines/s, queries per invoice, peak memory, and the
ratio ours/core of the time per invoice.

    python3 bench/run.py                  # N in 10, 100, 1000; M in 5, 20
    python3 bench/run.py --quick          # N = 10 only
    python3 bench/run.py --sizes 10,100   # chosen N
    python3 bench/run.py --no-monthly     # without the monthly case
    python3 bench/run.py --synced         # also with the fast path off
    python3 bench/run.py --queue          # also month-end in queue jobs
    python3 bench/run.py --matrix         # also the comparison matrix

``--synced``: the per-ticket case again with the fast path off
(``account.move._breakfix_takes_fast_path``): every invoice the way those it
does not take are drafted, Odoo's sync checking the values handed.
``--queue`` (per-ticket case): with breakfix_billing_queue, a copy of the
size's database served by two Odoo hosts with queue_job's job runner behind
a load balancer (tools/queue_hosts.py); a click on Draft for the N tickets,
jobs of 50, timed from the click to the last invoice with 1 and with 2 job
workers, against core's one ``_create_invoices`` of the N orders in one
process.  ``--matrix``: the Odoo test that compares our invoices with those
of Odoo's normal path field by field, over its matrix of cases.
"""

import argparse
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import scenario

from tools import devenv, queue_hosts

WORKER = Path(__file__).resolve().parent / "worker.py"
INLINE_LIMIT = "breakfix_billing.breakfix_inline_limit"

DB = "breakfix_bench"
MODULES = ("breakfix_billing", "sale", "breakfix_billing_queue")
# the queue case's two Odoo hosts, and their load balancer
QUEUE_HOSTS = {"a": 8879, "b": 8889}
QUEUE_BALANCER = 8899


def ensure_database():
    devenv.pg_start()
    config = devenv.write_config("bench", http_port=8869)
    if any(devenv.module_state(DB, module) != "installed" for module in MODULES[:2]):
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
        # the addons as this checkout has them, not as the database last saw
        # them (the glue addon installed if it is not yet)
        subprocess.run(
            devenv.odoo_command(
                config, "-d", DB, "-u", MODULES[0], "-i", MODULES[2],
                "--stop-after-init", "--log-level=warn",
            ),
            check=True,
        )  # fmt: skip
    return config


def run_case(config, case, n, m, repeat, memory, queue=False):
    """Time ``case`` at N × M, each run in a fresh process on a copy of the
    benchmark database holding both sides' committed records."""
    sides, invoices = scenario.CASES[case]
    slug = re.sub(r"\W+", "_", case)
    size_db = f"{DB}_{slug}_{n}_{m}"
    devenv.copy_database(DB, size_db)
    ids_file = devenv.LOCAL / "bench" / f"{size_db}.json"
    ids_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        worker(config, size_db, "build", case, n, m, ids_file)
        samples = {side: [] for side in sides}
        for r in range(repeat):
            # ours, core, core, ours, ...: each side as often first as second
            order = list(sides) if r % 2 == 0 else list(sides)[::-1]
            for side in order:
                samples[side].append(
                    worker(config, size_db, "time", case, side, ids_file)
                )
        walls = queue and queue_runs(size_db, ids_file, n)
        peaks = {
            side: memory
            and worker(config, size_db, "time", case, side, ids_file, "--memory")[
                "peak"
            ]
            for side in sides
        }
    finally:
        devenv.drop_database(size_db)
        ids_file.unlink(missing_ok=True)
    count = invoices(n)
    result = {}
    for side, runs in samples.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        result[side] = {
            "seconds": seconds,
            "runs": [r["seconds"] for r in runs],
            "invoices_per_s": count / seconds,
            "lines_per_s": runs[0]["lines"] / seconds,
            "lines": runs[0]["lines"],
            "queries_per_invoice": statistics.median(r["queries"] for r in runs)
            / count,
            "peak_mib": peaks[side] / 2**20,
        }
    ratio = result["ours"]["seconds"] / result["core"]["seconds"]
    print_row(case, n, m, result, ratio)
    for workers, seconds in (walls or {}).items():
        QUEUE_ROWS.append(
            f"| {n} | {m} | {workers} | {seconds:.1f} | {count / seconds:.1f} "
            f"| {result['core']['seconds']:.1f} "
            f"| {seconds / result['core']['seconds']:.2f} |"
        )
    return case, n, m, result, ratio


QUEUE_HEADER = (
    "| N | M | job workers | wall s | invoices/s | core's one process s | wall/core |"
)
QUEUE_ROWS = []


def queue_runs(size_db, ids_file, n):
    """Month-end with breakfix_billing_queue: the N tickets drafted by a
    click, in jobs of 50, by 1 and by 2 job workers on two Odoo hosts (each
    on a copy of ``size_db``); {workers: seconds from the click to the
    last invoice}."""
    from tests import scale_fixture

    ticket_ids = json.loads(ids_file.read_text())["ours"]["ids"]
    walls = {}
    for workers in (1, 2):
        db = f"{size_db}_queue"
        devenv.copy_database(size_db, db)
        log_path = devenv.LOCAL / "log" / f"bench-{db}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = log_path.open("w")
        balancer = queue_hosts.RoundRobinProxy(
            QUEUE_BALANCER, QUEUE_HOSTS.values()
        ).start()
        hosts = [
            subprocess.Popen(
                queue_hosts.host_command(name, db, port, QUEUE_BALANCER),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            for name, port in QUEUE_HOSTS.items()
        ]
        try:
            url = f"http://127.0.0.1:{QUEUE_HOSTS['a']}"
            wait_until_serving([f"http://127.0.0.1:{p}" for p in QUEUE_HOSTS.values()])
            wait_for_line(log_path, queue_hosts.RUNNER_READY)
            call = scale_fixture.rpc(url, db)
            call("ir.config_parameter", "set_param", INLINE_LIMIT, "1")
            channel = call(
                "queue.job.channel", "search", [("complete_name", "=", "root.breakfix")]
            )
            call("queue.job.channel", "write", channel, {"capacity": workers})
            _clicked, walls[workers] = scale_fixture.click_draft(
                call, ticket_ids, timeout=3600
            )
            drafted = call(
                "account.move",
                "search_count",
                [("breakfix_ticket_ids", "in", ticket_ids)],
            )
            assert drafted == n, (drafted, n)
        finally:
            for host in hosts:
                os.killpg(host.pid, signal.SIGINT)
            for host in hosts:
                host.wait(timeout=60)
            balancer.stop()
            log.close()
            devenv.drop_database(db)
    return walls


# The field-by-field comparison of our invoices with those of Odoo's normal
# path is an Odoo test: --matrix runs it on a fresh database with demo data
# and shows what it logged, a line per case.
MATRIX_DB = f"{DB}_matrix"
MATRIX_TESTS = "/breakfix_billing:TestInvoiceValuesMatch"
MATRIX_LINE = re.compile(r"Invoice values match: (.+?): (.+?) path, identical")
MATRIX_FAILURE = re.compile(r"(?:FAIL|ERROR): TestInvoiceValuesMatch\.(\w+)")


def comparison_matrix(config):
    """Run the comparison test; print a row per case compared (our path,
    identical) and per test that failed."""
    log_path = devenv.LOCAL / "log" / "bench-matrix.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    devenv.drop_database(MATRIX_DB)
    try:
        subprocess.run(
            devenv.odoo_command(
                config, "-d", MATRIX_DB, "-i", MODULES[0], "--test-enable",
                "--test-tags", MATRIX_TESTS, "--stop-after-init",
                "--log-level=test", f"--logfile={log_path}",
            ),
            check=False,
        )  # fmt: skip
    finally:
        devenv.drop_database(MATRIX_DB)
    text = log_path.read_text(errors="replace")
    print("\nOur invoices against Odoo's normal path (plain create, Odoo working")
    print(f"out every value), field by field ({MATRIX_TESTS}; log: {log_path})\n")
    print("| case | our path | every field |")
    print("|---|---|---|")
    for case, path in MATRIX_LINE.findall(text):
        print(f"| {case} | {path} | identical |")
    for test in MATRIX_FAILURE.findall(text):
        print(f"| {test} | | FAILED |")
    if not MATRIX_LINE.findall(text):
        print(f"| (no case ran: see {log_path}) | | |")


def wait_for_line(log_path, text, timeout=60):
    deadline = time.monotonic() + timeout
    while text not in log_path.read_text(errors="replace"):
        if time.monotonic() > deadline:
            sys.exit(f"{text!r} is not in {log_path}")
        time.sleep(0.5)


def wait_until_serving(urls, timeout=300):
    deadline = time.monotonic() + timeout
    for url in urls:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/web/login", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                sys.exit(f"no Odoo answers on {url}")
            time.sleep(1)


def worker(config, db, *args):
    """Run one step of bench/worker.py in a fresh process; its result."""
    completed = subprocess.run(
        [sys.executable, str(WORKER), str(config), db, *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )
    results = [
        line.removeprefix("RESULT ")
        for line in completed.stdout.splitlines()
        if line.startswith("RESULT ")
    ]
    if completed.returncode or not results:
        sys.exit(
            f"bench/worker.py {' '.join(map(str, args))} failed:\n"
            f"{completed.stdout[-3000:]}{completed.stderr[-3000:]}"
        )
    return json.loads(results[-1])


HEADER = (
    "| case | N | M | side | median s | invoices/s | lines/s | invoice lines | "
    "queries/invoice | peak MiB | ours/core |"
)


def print_row(case, n, m, result, ratio):
    for side, r in result.items():
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
        "--matrix",
        action="store_true",
        help="also compare our invoices with Odoo's normal path, field by field",
    )
    parser.add_argument(
        "--queue",
        action="store_true",
        help="also draft the per-ticket case in queue jobs on two Odoo hosts",
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
    worker(config_path, DB, "history")
    import odoo

    print(
        f"\nbreakfix_billing benchmark — {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Odoo {odoo.release.version}, {args.repeat} timed runs per side, each in "
        "a fresh process, medians\n"
    )
    print(HEADER)
    print("|---" * (HEADER.count("|") - 1) + "|")
    cases = ("per ticket",)
    if args.synced:
        cases += ("per ticket, synced",)
    if not args.no_monthly:
        cases += ("monthly",)
    for case in cases:
        for n, m in sizes:
            run_case(
                config_path, case, n, m, args.repeat, memory=not args.no_memory,
                queue=args.queue and case == "per ticket",
            )  # fmt: skip
    if args.matrix:
        comparison_matrix(config_path)
    if QUEUE_ROWS:
        print("\nMonth-end with breakfix_billing_queue: two Odoo hosts, a click")
        print("on Draft for the N tickets, jobs of 50, from the click to the last")
        print("invoice, against core's one _create_invoices of the N orders\n")
        print(QUEUE_HEADER)
        print("|---" * (QUEUE_HEADER.count("|") - 1) + "|")
        print("\n".join(QUEUE_ROWS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
