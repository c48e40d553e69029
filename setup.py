"""Packaging of the repository: ``pip install .`` installs the addon.

The distribution is ``odoo-addon-breakfix_billing`` and the addon lands in
``odoo/addons/breakfix_billing``, where Odoo finds it.  Its name, version
and dependencies are read from ``breakfix_billing/__manifest__.py`` the way
OCA's tools read them (manifestoo-core, the library whool is built on), so
that the manifest stays the one place that says them: ``depends`` gives the
OCA addons it needs from PyPI (Odoo's own addons are part of ``odoo``).
``pip install ./breakfix_billing`` builds the same addon with whool.

The glue addon ``breakfix_billing_queue`` is in the same distribution, and
what it needs more (OCA ``queue_job``) is its extra: ``pip install
.[queue]``.  Without queue_job, Odoo never installs it; with it, Odoo
installs it with the addon (``auto_install``).
"""

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from manifestoo_core.metadata import metadata_from_addon_dir
from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
ADDON = "breakfix_billing"
# the glue addons, each an extra of what it needs more than the addon
EXTRAS = {"queue": "breakfix_billing_queue"}
# whool's own build file, not part of the installed addon
LEFT_OUT = {"pyproject.toml"}


def addon_files(addon):
    """The addon's files, relative to the repository: those git tracks (as
    a release made from a clone has them), else every file of its folder."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", addon],
            cwd=ROOT,
            capture_output=True,
            check=True,
            text=True,
        ).stdout.split("\0")
        files = [Path(name) for name in listed if name]
    except (OSError, subprocess.CalledProcessError):
        files = []
    if not files:
        files = [
            (Path(folder) / name).relative_to(ROOT)
            for folder, _dirs, names in os.walk(ROOT / addon)
            for name in names
            if "__pycache__" not in folder
        ]
    return sorted(
        path for path in files if path.relative_to(addon).as_posix() not in LEFT_OUT
    )


def packages_and_data(files):
    """The addons' Python packages (folders with an ``__init__.py``) and,
    for each, its other files: data, and modules outside a package (the
    migration scripts)."""
    folders = {path.parent for path in files if path.name == "__init__.py"}
    data = {folder: [] for folder in folders}
    for path in files:
        ancestors = (path.parent, *path.parent.parents)
        package = next(parent for parent in ancestors if parent in folders)
        if path.suffix != ".py" or package != path.parent:
            data[package].append(str(path.relative_to(package)))

    def name(folder):
        return ".".join(["odoo", "addons", *folder.parts])

    return sorted(name(folder) for folder in folders), {
        name(folder): names for folder, names in data.items() if names
    }


def extra_requirements(addon):
    """What a glue addon needs more than the addon."""
    return [
        requirement
        for requirement in metadata_from_addon_dir(ROOT / addon).get_all(
            "Requires-Dist"
        )
        if requirement not in metadata.get_all("Requires-Dist")
        and not requirement.startswith(metadata["Name"])
    ]


class build_addon(build_py):
    """Only the addons' files: no module git does not track (a scratch file
    in a package folder) goes into the wheel."""

    def find_package_modules(self, package, package_dir):
        return [
            (name, module, path)
            for name, module, path in super().find_package_modules(package, package_dir)
            if Path(path).resolve().relative_to(ROOT) in FILES
        ]


metadata = metadata_from_addon_dir(ROOT / ADDON)
FILES = {path for addon in (ADDON, *EXTRAS.values()) for path in addon_files(addon)}
packages, package_data = packages_and_data(sorted(FILES))
# a build folder of its own: files an earlier build left (since deleted or
# renamed in git) would go into the wheel
BUILD_DIR = tempfile.mkdtemp(prefix="breakfix-build-")
atexit.register(shutil.rmtree, BUILD_DIR, ignore_errors=True)

setup(
    name=metadata["Name"],
    version=metadata["Version"],
    description=metadata["Summary"],
    long_description=metadata.get_payload(),
    long_description_content_type=metadata["Description-Content-Type"],
    author=metadata["Author"],
    url=metadata["Home-page"],
    license=metadata["License"],
    classifiers=metadata.get_all("Classifier"),
    python_requires=metadata["Requires-Python"],
    install_requires=metadata.get_all("Requires-Dist"),
    extras_require={
        extra: extra_requirements(addon) for extra, addon in EXTRAS.items()
    },
    packages=packages,
    package_dir={f"odoo.addons.{addon}": addon for addon in (ADDON, *EXTRAS.values())},
    package_data=package_data,
    include_package_data=False,
    zip_safe=False,
    cmdclass={"build_py": build_addon},
    options={"build": {"build_base": BUILD_DIR}},
)
