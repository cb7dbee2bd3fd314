#!/bin/sh
# Run a command with Qt offscreen and, when D-Bus and gnome-keyring are installed, inside a
# private D-Bus session with an unlocked Secret Service (scripts/keyring-session.sh), so
# keyring code meets the real thing. Without them the command still runs; keyring tests then
# skip and say why.
set -u
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
exec "$(dirname "$0")/keyring-session.sh" "$@"
