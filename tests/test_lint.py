"""The linters OCA runs, with the project's configuration, must be clean."""

import subprocess
import sys

from tools.devenv import ROOT


def _run(*command):
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_check():
    result = _run(sys.executable, "-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
    result = _run(sys.executable, "-m", "ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_pylint_odoo_mandatory_checks():
    result = _run(
        sys.executable, "-m", "pylint", "--rcfile=.pylintrc-mandatory",
        "breakfix_billing", "breakfix_billing_queue",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
