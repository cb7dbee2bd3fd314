#!/bin/sh
# CI: run the built bundle headless with --self-check against a real central API on
# loopback (migrated, seeded, with a one-time enrollment code). Exits with the check's
# status. Run inside scripts/with-keyring.sh so the keyring check meets a real one.
set -eu
bundle=${1:-build/dist/lobby-kiosk/lobby-kiosk}
central=${2:-.venv/bin/lobby-central}
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
db="sqlite:///$work/central.sqlite3"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$central" migrate --db "$db" >/dev/null
"$central" seed-demo --db "$db" >/dev/null
code=$("$central" kiosk-code --db "$db" --facility harbor-county-jail)
"$central" serve --db "$db" --host 127.0.0.1 --port "$port" >"$work/central.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1)" 2>/dev/null && break
  sleep 0.2
done
cat >"$work/kiosk.toml" <<TOML
central_url = "http://127.0.0.1:$port"
data_dir = "$work/kiosk-data"
enrollment_code = "$code"
TOML
echo "bundle: $(du -sh "$(dirname "$bundle")" | cut -f1) in $(dirname "$bundle")"
QT_QPA_PLATFORM=offscreen "$bundle" --self-check --config "$work/kiosk.toml"
