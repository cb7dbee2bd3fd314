#!/bin/sh
# Run a command inside a private D-Bus session with an unlocked gnome-keyring Secret Service
# (its own folder, removed afterwards), when dbus-run-session and gnome-keyring-daemon are
# installed; without them the command just runs (the kiosk then has no secure keyring: it
# keeps secrets in memory and takes no cards, and says so). The tests (with-keyring.sh) and
# `make demo` both run this way, so the demo meets the keyring a kiosk has.
set -u
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  keyring_home=$(mktemp -d)
  # The keyring's control socket goes in this private runtime folder, not the desktop's;
  # a Wayland display named relative to the desktop's runtime folder keeps its full path.
  case "${WAYLAND_DISPLAY:-}" in
    ""|/*) ;;
    *) export WAYLAND_DISPLAY="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}/$WAYLAND_DISPLAY" ;;
  esac
  # Ctrl+C reaches the command itself (same process group); this shell waits for it to
  # finish its clean stop, then removes the keyring's folder.
  trap : INT
  XDG_DATA_HOME=$keyring_home/data XDG_RUNTIME_DIR=$keyring_home \
    dbus-run-session -- sh -c 'printf kiosk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' sh "$@"
  status=$?
  rm -rf "$keyring_home"
  exit $status
fi
exec "$@"
