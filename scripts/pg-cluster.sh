#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on loopback for the test suite and print its URL.
# Usage: scripts/pg-cluster.sh DIR [PORT]   (stop with: pg_ctl -D DIR/data stop)
# PostgreSQL refuses to run as root, so when root we run it as the `postgres` user.
set -euo pipefail
dir=${1:?usage: pg-cluster.sh DIR [PORT]}
port=${2:-55432}
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
mkdir -p "$dir"
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_pg "$bindir/initdb" -D "$dir/data" -U kiosk --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
fi
as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
echo "postgresql://kiosk@127.0.0.1:$port/postgres"
