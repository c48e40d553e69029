"""PEP 517 build backend of the repository root.

The addon lives in ``breakfix_billing/`` and is packaged by whool, the build
backend OCA uses for Odoo addons, which builds the addon in the current
directory.  This module runs whool there, so that ``pip install .`` at the
root gives the same wheel as ``pip install ./breakfix_billing``:
``odoo-addon-breakfix_billing``, installed as ``odoo.addons.breakfix_billing``,
its dependencies derived from the manifest.
"""

import contextlib
import os
from pathlib import Path

from whool import buildapi

ADDON_DIR = Path(__file__).resolve().parent.parent / "breakfix_billing"


@contextlib.contextmanager
def _in_addon_dir():
    previous = os.getcwd()
    os.chdir(ADDON_DIR)
    try:
        yield
    finally:
        os.chdir(previous)


def _delegate(hook_name, directory, *args):
    with _in_addon_dir():
        return getattr(buildapi, hook_name)(os.path.abspath(directory), *args)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _delegate("build_wheel", wheel_directory, config_settings)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _delegate("build_editable", wheel_directory, config_settings)


def build_sdist(sdist_directory, config_settings=None):
    return _delegate("build_sdist", sdist_directory, config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    return _delegate(
        "prepare_metadata_for_build_wheel", metadata_directory, config_settings
    )


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel
