#!/bin/sh
# Run a command with Qt offscreen and, when D-Bus and gnome-keyring are installed, inside a
# private D-Bus session with an unlocked Secret Service, so keyring code meets the real thing.
# Without them the command still runs; keyring tests then skip and say why.
set -u
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  keyring_home=$(mktemp -d)
  XDG_DATA_HOME=$keyring_home/data XDG_RUNTIME_DIR=$keyring_home \
    dbus-run-session -- sh -c 'printf kiosk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' sh "$@"
  status=$?
  rm -rf "$keyring_home"
  exit $status
fi
exec "$@"
