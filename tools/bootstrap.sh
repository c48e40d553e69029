#!/usr/bin/env bash
# Install what the demo and the tests need, only when it is missing.
#
#   tools/bootstrap.sh          Python packages (and Odoo 18.0 if not importable)
#   tools/bootstrap.sh --test   the same, plus Chromium for the browser tours,
#                               and faketime when BREAKFIX_TEST_CLOCK is set
#
# Odoo: if `import odoo` already works in $PYTHON, that Odoo is used as it is.
# Otherwise Odoo 18.0 Community is installed from Odoo's official nightly
# source archive into this Python (editable, so OCA addon wheels share the
# `odoo.addons` namespace).  Debian packages are installed with apt-get when
# running as root; otherwise the script says which ones are missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
LOCAL="$ROOT/.local"
ODOO_SOURCE_URL="${ODOO_SOURCE_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}"
mkdir -p "$LOCAL"

# cbor2 (an Odoo 18 requirement) only builds with an older setuptools.
BUILD_CONSTRAINTS="$LOCAL/build-constraints.txt"
echo "setuptools<70" >"$BUILD_CONSTRAINTS"

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]} (install them, e.g. with sudo apt-get install)" >&2
    exit 1
  fi
}

pip_install() {
  PIP_ROOT_USER_ACTION=ignore PIP_CONSTRAINT="$BUILD_CONSTRAINTS" PIP_BUILD_CONSTRAINT="$BUILD_CONSTRAINTS" \
    "$PYTHON" -m pip install --quiet --disable-pip-version-check "$@"
}

install_odoo() {
  echo "Odoo is not importable from $PYTHON: installing Odoo 18.0 from $ODOO_SOURCE_URL"
  apt_install postgresql-15 libldap2-dev libsasl2-dev libpq-dev build-essential
  local src="$LOCAL/odoo-18.0"
  if [ ! -f "$src/setup.py" ]; then
    rm -rf "$src" && mkdir -p "$src"
    curl -fsSL "$ODOO_SOURCE_URL" | tar -xz -C "$src" --strip-components=1
  fi
  pip_install -r "$src/requirements.txt"
  pip_install --no-deps -e "$src" --config-settings editable_mode=compat
}

"$PYTHON" -c "import odoo.release" >/dev/null 2>&1 || install_odoo
"$PYTHON" - <<'PY'
import sys
import odoo.release
if odoo.release.serie != "18.0":
    sys.exit(f"this addon needs Odoo 18.0, found {odoo.release.version}")
PY

# Re-run pip only when requirements-dev.txt changed since the last success.
stamp="$LOCAL/.requirements-dev.$(sha1sum "$ROOT/requirements-dev.txt" | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  pip_install -r "$ROOT/requirements-dev.txt"
  touch "$stamp"
fi

if [ "${1:-}" = "--test" ]; then
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
    || command -v google-chrome >/dev/null 2>&1 || apt_install chromium
  if [ -n "${BREAKFIX_TEST_CLOCK:-}" ]; then
    command -v faketime >/dev/null 2>&1 || apt_install faketime
  fi
fi
