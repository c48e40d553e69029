"""Run Odoo with its clock moved by ``BREAKFIX_FAKETIME`` (e.g. "-4800s").

    python3 tools/fakeclock.py -c odoo.conf -d db ...   (Odoo's own arguments)

``make test`` sets the offset from ``BREAKFIX_TEST_CLOCK``; the PostgreSQL
cluster runs with the same offset under libfaketime (``tools/pg.sh``), so
that ``now()``, and so ``create_date``, agree with Odoo's clock.  Odoo itself
is not run under libfaketime: Debian's 0.9.10 breaks Python's ``time.sleep``
(EINVAL) or its timed waits (threads, events) hang, depending on whether it
fakes the monotonic clock.  Here freezegun moves Python's clocks
(``datetime``, ``time.time``, and its view of ``time.monotonic``), ticking
from the start moment at the real pace; sleeps and the waits of threads and
locks keep the real clock, and the tests' own ``freeze_time`` nests inside.
"""

import datetime
import logging
import os
import re
import sys
import time

import freezegun


def start_moment(offset):
    match = re.fullmatch(r"([+-]?\d+)s", offset)
    if not match:
        sys.exit(f"BREAKFIX_FAKETIME must be an offset in seconds, not {offset!r}")
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    return now + datetime.timedelta(seconds=int(match[1]))


def main():
    moment = start_moment(os.environ["BREAKFIX_FAKETIME"])
    freezegun.freeze_time(moment, tick=True).start()
    # freezegun swapped the time.localtime it found there for a function,
    # which as a class attribute would be bound: the log's times are faked too
    logging.Formatter.converter = staticmethod(time.localtime)
    # Odoo's prefork server runs sys.argv[0] again (see tools/odoo_server.py):
    # this script, with the same offset from the environment
    from odoo.cli.command import main as odoo_main

    odoo_main()


if __name__ == "__main__":
    main()
