#!/usr/bin/env bash
# Run a command with KIOSK_TEST_PG_URL set, so tests parametrised by database run on
# PostgreSQL too. An URL already set is kept; otherwise, when PostgreSQL is installed, a
# throwaway cluster (scripts/pg-cluster.sh) serves the command and is stopped after it.
# Without PostgreSQL the command still runs; its PostgreSQL tests then skip and say why.
set -u
if [ -n "${KIOSK_TEST_PG_URL:-}" ] || ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  exec "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/kiosk-pg.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
stop() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1
  else "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1; fi
  rm -rf "$dir"
}
trap stop EXIT
KIOSK_TEST_PG_URL=$("$here/pg-cluster.sh" "$dir" "$port") || exit 1
export KIOSK_TEST_PG_URL
"$@"
