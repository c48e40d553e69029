"""Run the addon's Odoo tests with Odoo's own runner; report them to pytest.

``tests/odoo-tests.cfg`` is collected as a pytest file: collecting it
installs the addon into a fresh database with ``--test-enable`` (at-install
and post-install tests, tagged as the file says), then reads Odoo's log.
``tests/odoo-tests-<name>.cfg`` does the same for another addon of the
repository (its [odoo] section; the rest as odoo-tests.cfg says).
Every Odoo test that started becomes a pytest item that fails with Odoo's
traceback when Odoo reported it as FAIL or ERROR.  Two more items check the
install (exit code, module state) and the log (no WARNING, ERROR or CRITICAL
record outside the configured ignore list), so a broken setUpClass or a
stray warning cannot hide.
"""

import configparser
import os
import re
import subprocess
import time
from dataclasses import dataclass, field

import pytest

from tools import devenv

RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ "
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL|RUNBOT|\?) (?P<db>\S+) "
    r"(?P<logger>[^\s:]+): (?P<message>.*?)\s*$"
)
STARTING = re.compile(r"^Starting (?P<test>[\w.]+) \.\.\.$")
OUTCOME = re.compile(r"^(?P<flavour>FAIL|ERROR): (?:Subtest )?(?P<test>[\w.]+)")
BAD_LEVELS = {"WARNING", "ERROR", "CRITICAL"}
BASE_CONFIG = "odoo-tests.cfg"
CONFIG_NAME = re.compile(r"odoo-tests(-[\w-]+)?\.cfg")
# the browser tours' server; another port lets two checkouts test at once
TEST_HTTP_PORT = int(os.environ.get("BREAKFIX_TEST_HTTP_PORT", "8269"))


@dataclass
class Record:
    level: str
    logger: str
    message: str
    lines: list = field(default_factory=list)

    @property
    def text(self):
        return "\n".join([f"{self.level} {self.logger}: {self.message}", *self.lines])


def parse_log(text):
    records = []
    for line in text.splitlines():
        match = RECORD.match(line)
        if match:
            records.append(Record(match["level"], match["logger"], match["message"]))
        elif records:
            records[-1].lines.append(line)
    return records


@dataclass
class OdooRun:
    returncode: int
    log_path: object
    records: list
    module_state: str
    duration: float

    def tests(self):
        """Ordered {(module logger, Class.method): [failure records]}."""
        results = {}
        for record in self.records:
            started = STARTING.match(record.message)
            if started and record.level == "INFO":
                results.setdefault((record.logger, started["test"]), [])
                continue
            outcome = OUTCOME.match(record.message)
            if outcome and record.level == "ERROR":
                key = (record.logger, outcome["test"])
                if key in results:
                    results[key].append(record)
        return results

    def unexpected_records(self, ignore):
        attributed = {id(r) for failures in self.tests().values() for r in failures}
        return [
            record
            for record in self.records
            if record.level in BAD_LEVELS
            and id(record) not in attributed
            and not any(p.search(f"{record.logger}: {record.message}") for p in ignore)
        ]


def run_odoo_tests(settings, log_path, reporter=None):
    module = settings["install"]
    dbname = settings["database"]
    devenv.pg_start()
    devenv.drop_database(dbname)
    config = devenv.write_config("tests", http_port=TEST_HTTP_PORT)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    if reporter:
        reporter.write_line(
            f"odoo: installing {module} with its tests into a fresh database "
            f"{dbname!r} (log: {log_path})"
        )
        if devenv.CLOCK:
            reporter.write_line(
                f"odoo: its clock and the cluster's from "
                f"{os.environ.get('BREAKFIX_TEST_CLOCK')} UTC (offset {devenv.CLOCK})"
            )
    start = time.monotonic()
    with log_path.open("w") as log:
        completed = subprocess.run(
            devenv.odoo_command(
                config,
                "-d", dbname,
                "-i", module,
                "--test-enable",
                "--test-tags", settings["test-tags"],
                "--stop-after-init",
                "--log-level=test",
                "--logfile=",
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )  # fmt: skip
    duration = time.monotonic() - start
    run = OdooRun(
        returncode=completed.returncode,
        log_path=log_path,
        records=parse_log(log_path.read_text(errors="replace")),
        module_state=devenv.module_state(dbname, module),
        duration=duration,
    )
    if reporter:
        reporter.write_line(
            f"odoo: exit code {run.returncode}, {len(run.tests())} tests, "
            f"{duration:.0f}s"
        )
    return run


class OdooSuiteFile(pytest.File):
    def collect(self):
        parser = configparser.ConfigParser()
        parser.read([self.path.parent / BASE_CONFIG, self.path])
        settings = parser["odoo"]
        ignore = [
            re.compile(line.strip())
            for line in parser["checklog"].get("ignore", "").splitlines()
            if line.strip()
        ]
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        log_path = devenv.LOCAL / "log" / f"{self.path.stem}.log"
        run = run_odoo_tests(settings, log_path, reporter)
        yield InstallItem.from_parent(
            self, name="install", run=run, module=settings["install"]
        )
        for (logger, test), failures in run.tests().items():
            module = logger.removeprefix("odoo.addons.")
            yield OdooTestItem.from_parent(
                self, name=f"{module}::{test}", failures=failures
            )
        yield CheckLogItem.from_parent(self, name="checklog", run=run, ignore=ignore)


class OdooSuiteItem(pytest.Item):
    def reportinfo(self):
        return self.path, None, f"odoo: {self.name}"

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, OdooSuiteFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class OdooSuiteFailure(Exception):
    pass


class InstallItem(OdooSuiteItem):
    def __init__(self, *, run, module, **kwargs):
        super().__init__(**kwargs)
        self.run, self.module = run, module

    def runtest(self):
        if self.run.module_state != "installed" or self.run.returncode != 0:
            raise OdooSuiteFailure(
                f"Odoo exited with {self.run.returncode}; {self.module} is "
                f"{self.run.module_state or 'not installed'} (log: {self.run.log_path})"
            )
        if not self.run.tests():
            raise OdooSuiteFailure(f"Odoo ran no test (log: {self.run.log_path})")


class OdooTestItem(OdooSuiteItem):
    def __init__(self, *, failures, **kwargs):
        super().__init__(**kwargs)
        self.failures = failures

    def runtest(self):
        if self.failures:
            raise OdooSuiteFailure("\n\n".join(r.text for r in self.failures))


class CheckLogItem(OdooSuiteItem):
    def __init__(self, *, run, ignore, **kwargs):
        super().__init__(**kwargs)
        self.run, self.ignore = run, ignore

    def runtest(self):
        unexpected = self.run.unexpected_records(self.ignore)
        if unexpected:
            shown = "\n".join(r.text for r in unexpected[:20])
            raise OdooSuiteFailure(
                f"{len(unexpected)} WARNING/ERROR/CRITICAL record(s) in the Odoo "
                f"log (log: {self.run.log_path}):\n{shown}"
            )


def pytest_collect_file(parent, file_path):
    if CONFIG_NAME.fullmatch(file_path.name):
        return OdooSuiteFile.from_parent(parent, path=file_path)
    return None
