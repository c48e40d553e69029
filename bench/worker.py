"""One step of the benchmark, in a fresh Odoo process; prints one JSON line.

    python3 bench/worker.py CONFIG DB history
        give the database its history of posted invoices, once;
    python3 bench/worker.py CONFIG DB build CASE N M IDS_FILE
        build the case's records of N tickets and N orders of M lines, both
        sides' (bench/scenario.py), commit them, analyze the tables as
        autovacuum would on a live database, and write their ids;
    python3 bench/worker.py CONFIG DB time CASE SIDE IDS_FILE [--memory]
        draft one side's records once from a cold process, up to the flush,
        count the queries (with --memory: peak Python memory instead, by
        tracemalloc, untimed), and roll back: the data stays as built.

bench/run.py runs each timed run in a process of its own, so that no run
inherits another's caches, garbage or fragmentation (in one process, five
rolled-back rounds grew up to 40 % slower, penalising whichever side ran
last).
"""

import gc
import json
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scenario


def _env(config, db):
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", config, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    cr = registry.cursor()
    return api.Environment(cr, SUPERUSER_ID, {})


def build(env, case, n, m, ids_file):
    fixture = scenario.Fixture(env(context=dict(env.context, **scenario.QUIET)))
    sides, _invoices = scenario.CASES[case]
    written = {}
    for side, (make, _draft) in sides.items():
        records = make(fixture, n, m)
        written[side] = {"model": records._name, "ids": records.ids}
    env.flush_all()
    env.cr.commit()
    env.cr.execute("ANALYZE")
    env.cr.commit()
    Path(ids_file).write_text(json.dumps(written))
    return {"built": {side: len(r["ids"]) for side, r in written.items()}}


def time_once(env, case, side, ids_file, memory=False):
    import odoo

    sides, invoices = scenario.CASES[case]
    stored = json.loads(Path(ids_file).read_text())[side]
    records = env[stored["model"]].browse(stored["ids"])
    count = invoices(len(records))
    gc.collect()
    if memory:
        tracemalloc.start()
    queries = odoo.sql_db.sql_counter
    start = time.perf_counter()
    drafted = sides[side][1](records)
    env.flush_all()
    seconds = time.perf_counter() - start
    queries = odoo.sql_db.sql_counter - queries
    peak = tracemalloc.get_traced_memory()[1] if memory else 0
    if memory:
        tracemalloc.stop()
    assert len(drafted) == count, (len(drafted), count)
    lines = len(drafted.invoice_line_ids)
    env.cr.rollback()
    return {
        "seconds": seconds,
        "queries": queries,
        "invoices": count,
        "lines": lines,
        "peak": peak,
    }


def main(argv):
    config, db, step, *args = argv
    env = _env(config, db)
    try:
        if step == "history":
            scenario.ensure_history(env)
            result = {}
        elif step == "build":
            case, n, m, ids_file = args
            result = build(env, case, int(n), int(m), ids_file)
        else:
            case, side, ids_file, *flags = args
            result = time_once(env, case, side, ids_file, memory="--memory" in flags)
    finally:
        env.cr.close()
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
