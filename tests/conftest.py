"""The outside-in suite: the addon as a user and an integrator meet it."""

from tests.odoo_suite import pytest_collect_file  # noqa: F401  (pytest hook)
