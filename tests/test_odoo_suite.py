"""The reading of Odoo's test log that turns Odoo tests into pytest items."""

import re

from tests.odoo_suite import OdooRun, parse_log

TEST = "odoo.addons.x.tests.test_a"


def record(level, logger, message, *more):
    stamp = "2026-11-24 10:50:59,357 15684"
    return "\n".join([f"{stamp} {level} db {logger}: {message}", *more])


LOG = "\n".join(
    [
        record("INFO", "odoo.modules.loading", "loading 1 modules..."),
        # Odoo ends its "Starting" lines with a space
        record("INFO", TEST, "Starting TestA.test_ok ... "),
        record("INFO", TEST, "Starting TestA.test_broken ... "),
        record("INFO", TEST, "=" * 70),
        record(
            "ERROR", TEST, "FAIL: TestA.test_broken",
            "Traceback (most recent call last):",
            '  File "test_a.py", line 9, in test_broken',
            "AssertionError: 1 != 2",
        ),
        record("INFO", TEST, "Starting TestA.test_sub ... "),
        record(
            "ERROR", TEST, "FAIL: Subtest TestA.test_sub (n=2)",
            "AssertionError: subtest",
        ),
        record("WARNING", "odoo.addons.x.models.thing", "something odd"),
        record("WARNING", "odoo", "Running as user 'root' is a security risk."),
    ]
)  # fmt: skip


def test_each_started_test_with_its_failures():
    run = OdooRun(0, None, parse_log(LOG), "installed", 1.0)
    tests = run.tests()
    assert list(tests) == [
        (TEST, "TestA.test_ok"),
        (TEST, "TestA.test_broken"),
        (TEST, "TestA.test_sub"),
    ]
    assert tests[(TEST, "TestA.test_ok")] == []
    (broken,) = tests[(TEST, "TestA.test_broken")]
    assert "AssertionError: 1 != 2" in broken.text
    (subtest,) = tests[(TEST, "TestA.test_sub")]
    assert "AssertionError: subtest" in subtest.text


def test_checklog_reports_what_is_neither_a_test_failure_nor_ignored():
    run = OdooRun(0, None, parse_log(LOG), "installed", 1.0)
    ignore = [re.compile(r"^odoo: Running as user 'root' is a security risk\.$")]
    (unexpected,) = run.unexpected_records(ignore)
    assert unexpected.level == "WARNING"
    assert unexpected.text == "WARNING odoo.addons.x.models.thing: something odd"
