"""`pip wheel .` gives the wheel an Odoo admin installs with pip."""

import ast
import subprocess
import sys
import zipfile
from email.parser import Parser

import pytest
from packaging.requirements import Requirement

from tools.devenv import ROOT

ADDON_PATH = "odoo/addons/breakfix_billing"
QUEUE_PATH = "odoo/addons/breakfix_billing_queue"
MANIFEST = ast.literal_eval((ROOT / "breakfix_billing/__manifest__.py").read_text())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    # setup.py packages the files git tracks, as a release from a clone would.
    out = tmp_path_factory.mktemp("wheelhouse")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ROOT],
        check=True,
    )
    (path,) = out.glob("*.whl")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        (metadata_name,) = (n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    return path, names, metadata


def test_wheel_contains_the_addon(wheel):
    _path, names, _metadata = wheel
    for expected in (
        "__manifest__.py",
        "__init__.py",
        "models/breakfix_rate_card.py",
        "security/ir.model.access.csv",
        "views/breakfix_rate_card_views.xml",
        "static/description/icon.png",
    ):
        assert f"{ADDON_PATH}/{expected}" in names
    assert not any(n.startswith(("tests/", "tools/", "bench/")) for n in names)
    assert f"{ADDON_PATH}/pyproject.toml" not in names


def test_wheel_metadata(wheel):
    path, _names, metadata = wheel
    assert metadata["Name"] == "odoo-addon-breakfix_billing"
    # manifestoo-core adds the commits since the manifest's version changed
    assert metadata["Version"].startswith(MANIFEST["version"])
    assert path.name.startswith(f"odoo_addon_breakfix_billing-{MANIFEST['version']}")
    assert metadata["License"] == "AGPL-3"
    requirements = {
        Requirement(r).name.replace("_", "-").lower(): Requirement(r)
        for r in metadata.get_all("Requires-Dist")
    }
    helpdesk = requirements["odoo-addon-helpdesk-mgmt-timesheet"]
    assert helpdesk.specifier.contains("18.0.1.2.1", prereleases=True)
    assert not helpdesk.specifier.contains("19.0.1.0.0", prereleases=True)
    assert requirements["odoo"].specifier.contains("18.0", prereleases=True)


def test_wheel_contains_the_glue_addon_with_its_extra(wheel):
    """breakfix_billing_queue ships in the same wheel; queue_job is the
    extra "queue", not a requirement of the addon."""
    _path, names, metadata = wheel
    for expected in ("__manifest__.py", "models/helpdesk_ticket.py"):
        assert f"{QUEUE_PATH}/{expected}" in names
    assert f"{QUEUE_PATH}/pyproject.toml" not in names
    assert metadata.get_all("Provides-Extra") == ["queue"]
    (queue_job,) = (
        Requirement(r)
        for r in metadata.get_all("Requires-Dist")
        if Requirement(r).name.replace("_", "-").lower() == "odoo-addon-queue-job"
    )
    assert str(queue_job.marker) == 'extra == "queue"'
    assert queue_job.specifier.contains("18.0.4.1.2.2", prereleases=True)
    assert not queue_job.specifier.contains("19.0.1.0.0", prereleases=True)
