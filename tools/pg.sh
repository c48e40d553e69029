#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for development, demo and tests.
#
#   tools/pg.sh start    create (first time) and start the cluster, idempotent
#   tools/pg.sh stop     stop it
#   tools/pg.sh status   exit 0 when it answers
#
# The cluster lives in .local/pgdata, listens on 127.0.0.1 only (port
# $BREAKFIX_PGPORT, default 55432) and trusts loopback connections: it is a
# developer's scratch database, never a production one.  JIT compilation is
# off, as suits Odoo's short queries: on freshly filled tables that were never
# analyzed, PostgreSQL's estimates made some queries pay seconds of
# compilation (seen in the benchmark).  PostgreSQL refuses
# to run as root, so when we are root the server runs as the `postgres` OS
# user; if that user cannot reach .local/ (a clone in a private folder), the
# data lives under /var/tmp and .local/pgdata points to it.
#
# With BREAKFIX_FAKETIME (a faketime offset such as "-3600s", which `make
# test` derives from BREAKFIX_TEST_CLOCK), the server runs under libfaketime:
# its now(), and so Odoo's create_date and write_date, agree with the faked
# Odoo.  A server running with another clock (or none) is restarted.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
PGPORT="${BREAKFIX_PGPORT:-55432}"
PGUSER_ODOO="${BREAKFIX_PGUSER:-odoo}"
CLOCK="${BREAKFIX_FAKETIME:-}"
# Debian's libfaketime, preloaded directly: the `faketime` wrapper would wait
# for the server it started.
FAKETIME_LIB="${FAKETIME_LIB:-$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)}"
PGBIN="${PGBIN:-}"
if [ -z "$PGBIN" ]; then
  for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ]; then PGBIN="$candidate"; break; fi
  done
fi
if [ -z "$PGBIN" ] && command -v initdb >/dev/null 2>&1; then
  PGBIN="$(dirname "$(command -v initdb)")"
fi
[ -n "$PGBIN" ] || { echo "PostgreSQL server binaries not found (install postgresql-15)" >&2; exit 1; }

mkdir -p "$LOCAL"
DATA="$LOCAL/pgdata"
CLOCK_FILE="$LOCAL/pgclock"  # the faketime offset the running server has

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    # from /, which the postgres user can always enter
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

resolve_data_dir() {
  # As root, the server runs as `postgres`, which must traverse every parent.
  if [ "$(id -u)" = 0 ] && [ ! -e "$DATA" ]; then
    if ! (cd / && runuser -u postgres -- test -x "$LOCAL"); then
      local hash
      hash="$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
      local outside="/var/tmp/breakfix-billing-pg/$hash"
      mkdir -p "$outside"
      chmod 755 /var/tmp/breakfix-billing-pg
      ln -sfn "$outside" "$DATA"
    fi
  fi
  if [ -L "$DATA" ]; then
    DATA="$(readlink -f "$DATA")"
  fi
}

running() {
  "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" >/dev/null 2>&1
}

start() {
  resolve_data_dir
  if [ ! -s "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
    chmod 700 "$DATA"
    as_pg "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$LOCAL/initdb.log" 2>&1 \
      || { cat "$LOCAL/initdb.log" >&2; exit 1; }
  fi
  if running && [ "$(cat "$CLOCK_FILE" 2>/dev/null || true)" != "$CLOCK" ]; then
    stop
  fi
  if ! running; then
    local clock=()
    if [ -n "$CLOCK" ]; then
      [ -n "$FAKETIME_LIB" ] || { echo "libfaketime not found (install faketime)" >&2; exit 1; }
      clock=(env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="$CLOCK" FAKETIME_DONT_FAKE_MONOTONIC=1)
    fi
    as_pg "${clock[@]}" "$PGBIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $DATA -c fsync=off -c full_page_writes=off -c jit=off" start >/dev/null \
      || { tail -n 30 "$DATA/server.log" >&2; exit 1; }
    printf '%s' "$CLOCK" >"$CLOCK_FILE"
  fi
  # Odoo refuses to connect as `postgres`: give it a role of its own.
  if ! "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_roles WHERE rolname = '$PGUSER_ODOO'" | grep -q 1; then
    "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -qc \
      "CREATE ROLE \"$PGUSER_ODOO\" LOGIN CREATEDB SUPERUSER" >/dev/null
  fi
  echo "PostgreSQL on 127.0.0.1:$PGPORT (user $PGUSER_ODOO)"
}

stop() {
  resolve_data_dir
  if running; then
    as_pg "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  fi
  rm -f "$CLOCK_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
