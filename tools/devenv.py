"""Local Odoo environment of the project: configuration, databases, demo.

Used by the Makefile (``python3 tools/devenv.py demo``) and by the top-level
test suite.  Everything lives under ``.local/`` in the repository: the
PostgreSQL cluster (``tools/pg.sh``), Odoo configuration files, filestores
and logs.  Odoo itself is whatever ``import odoo`` finds in this Python.
"""

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
ADDON = "breakfix_billing"
# the glue addon with OCA queue_job (`make demo QUEUE=1`)
QUEUE_ADDON = "breakfix_billing_queue"
PG_HOST = "127.0.0.1"
PG_PORT = int(os.environ.get("BREAKFIX_PGPORT", "55432"))
PG_USER = os.environ.get("BREAKFIX_PGUSER", "odoo")
# A clock offset ("-3600s"), set by `make test` from BREAKFIX_TEST_CLOCK: Odoo
# then runs with its clock moved (tools/fakeclock.py), as the cluster does
# (tools/pg.sh, with libfaketime).
CLOCK = os.environ.get("BREAKFIX_FAKETIME", "")


def pg_running():
    status = subprocess.run([str(ROOT / "tools/pg.sh"), "status"], check=False)
    return status.returncode == 0


def pg_start():
    subprocess.run([str(ROOT / "tools/pg.sh"), "start"], check=True)


def pg_stop():
    subprocess.run([str(ROOT / "tools/pg.sh"), "stop"], check=True)


def write_config(name, http_port=8069, extra=None, sections=None):
    """Write ``.local/<name>.conf`` for this cluster and return its path;
    ``sections``: more sections, ``{name: {key: value}}``."""
    LOCAL.mkdir(exist_ok=True)
    options = {
        "db_host": PG_HOST,
        "db_port": PG_PORT,
        "db_user": PG_USER,
        "db_password": "False",
        "addons_path": ROOT,
        "data_dir": LOCAL / "data",
        "http_interface": "127.0.0.1",
        "http_port": http_port,
        "gevent_port": http_port + 3,
        "list_db": "False",
        "max_cron_threads": 1,
    }
    options.update(extra or {})
    path = LOCAL / f"{name}.conf"
    text = ""
    for section, values in {"options": options, **(sections or {})}.items():
        text += f"[{section}]\n"
        text += "".join(f"{key} = {value}\n" for key, value in values.items())
    path.write_text(text)
    return path


def queue_server_options(capacity=2):
    """What runs Odoo with queue_job's job runner: prefork workers, the
    runner loaded server-wide, ``capacity`` jobs at once; ``(options, the
    [queue_job] section)``."""
    options = {
        "workers": capacity + 1,  # a worker stays free for the web client
        "server_wide_modules": "base,web,queue_job",
    }
    return options, {"queue_job": {"max_capacity": capacity}}


def _connect(dbname="postgres"):
    import psycopg2

    return psycopg2.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname)


def database_exists(dbname):
    with _connect() as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,))
        return bool(cr.fetchone())


def drop_database(dbname):
    conn = _connect()
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    conn.close()
    filestore = LOCAL / "data" / "filestore" / dbname
    if filestore.exists():
        subprocess.run(["rm", "-rf", str(filestore)], check=True)


def copy_database(source, target):
    """``target``: a fresh copy of ``source`` (which nobody may be connected
    to), its filestore too, as Odoo's own duplicate does."""
    drop_database(target)
    conn = _connect()
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    conn.close()
    filestore = LOCAL / "data" / "filestore"
    if (filestore / source).exists():
        subprocess.run(
            ["cp", "-a", str(filestore / source), str(filestore / target)], check=True
        )


def module_state(dbname, module=ADDON):
    if not database_exists(dbname):
        return None
    conn = _connect(dbname)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
            if not cr.fetchone()[0]:
                return None
            cr.execute("SELECT state FROM ir_module_module WHERE name = %s", (module,))
            row = cr.fetchone()
            return row and row[0]
    finally:
        conn.close()


def odoo_command(config, *args):
    # with a faked clock, tools/fakeclock.py runs Odoo (see there why); a
    # script, not -m odoo, for the prefork server (see tools/odoo_server.py)
    odoo = [str(ROOT / ("tools/fakeclock.py" if CLOCK else "tools/odoo_server.py"))]
    return [sys.executable, *odoo, "-c", str(config), *map(str, args)]


def _stop_server(server):
    """Stop Odoo gracefully: a terminal's Ctrl-C reached it already, a
    ``kill`` of this process did not."""
    for sig, grace in ((None, 5), (signal.SIGINT, 30), (signal.SIGKILL, 30)):
        if sig:
            server.send_signal(sig)
        try:
            server.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def demo(dbname, http_port, queue=False):
    """Create (once) and serve a database with the addon and its demo data;
    ``queue``: with breakfix_billing_queue, and queue_job's job runner."""
    signal.signal(signal.SIGTERM, _raise_interrupt)
    started_pg = not pg_running()
    pg_start()
    module = QUEUE_ADDON if queue else ADDON
    options, sections = queue_server_options() if queue else ({}, {})
    config = write_config(
        f"demo-{dbname}", http_port=http_port, extra=options, sections=sections
    )
    server = None
    try:
        if module_state(dbname, module) != "installed":
            if database_exists(dbname):
                drop_database(dbname)  # a half-made database from an interrupted run
            print(
                f"Creating database {dbname!r} with {module} and demo data "
                "(a minute or two)...",
                flush=True,
            )
            subprocess.run(
                odoo_command(
                    config,
                    "-d",
                    dbname,
                    "-i",
                    module,
                    "--stop-after-init",
                    "--log-level=warn",
                ),
                check=True,
            )
        url = f"http://127.0.0.1:{http_port}"
        print(
            f"\nbreakfix_billing demo: {url}/odoo  (login: admin, password: admin)\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        server = subprocess.Popen(
            odoo_command(config, "-d", dbname, f"--db-filter=^{dbname}$")
        )
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if server:
            _stop_server(server)
        if started_pg:
            pg_stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    demo_parser = sub.add_parser("demo", help="serve the demo database")
    demo_parser.add_argument("--db", help="default: breakfix_demo[_queue]")
    demo_parser.add_argument(
        "--queue",
        action="store_true",
        help="with breakfix_billing_queue and queue_job's job runner",
    )
    demo_parser.add_argument(
        "--port", type=int, default=int(os.environ.get("BREAKFIX_HTTP_PORT", "8069"))
    )
    reset_parser = sub.add_parser("drop-db", help="drop a database of the cluster")
    reset_parser.add_argument("db")
    args = parser.parse_args(argv)
    if args.command == "demo":
        default_db = "breakfix_demo_queue" if args.queue else "breakfix_demo"
        dbname = args.db or os.environ.get("BREAKFIX_DEMO_DB", default_db)
        return demo(dbname, args.port, queue=args.queue)
    if args.command == "drop-db":
        pg_start()
        drop_database(args.db)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
