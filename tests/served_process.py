"""A server the outside-in tests start, as a terminal job: in its own process
group, its output in a log file, answering on its login page once up."""

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest


class ServedProcess:
    """``command`` run in its own process group, its output in ``log_path``;
    ``url`` is where it serves."""

    def __init__(self, command, log_path, url, name, **popen_kwargs):
        self.log_path, self.url, self.name = log_path, url, name
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            command,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            **popen_kwargs,
        )

    def output(self):
        return self.log_path.read_text(errors="replace")

    def wait_until_serving(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"{self.name} exited early:\n{self.output()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/web/login", timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(1)
        pytest.fail(f"no answer on {self.url} after {timeout}s")

    def ctrl_c(self, timeout=60):
        """What a terminal does on Ctrl-C: SIGINT to the whole job; the exit
        code."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
            self.log.close()
