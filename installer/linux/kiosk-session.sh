#!/bin/sh
# The kiosk's session, started by lobby-kiosk.service: a private D-Bus session, the Secret
# Service unlocked with the machine-bound credential, then the kiosk full screen under
# cage (-d: no window decorations). Without the credential the keyring stays locked and
# the kiosk runs with card payments off (it says so on screen); it never prompts.
set -eu
exec dbus-run-session -- sh -c '
  if [ -n "${CREDENTIALS_DIRECTORY:-}" ] && [ -r "$CREDENTIALS_DIRECTORY/keyring-password" ]; then
    gnome-keyring-daemon --unlock --components=secrets <"$CREDENTIALS_DIRECTORY/keyring-password" >/dev/null
  else
    gnome-keyring-daemon --start --components=secrets >/dev/null
  fi
  exec cage -d -- /opt/lobby-kiosk/lobby-kiosk --fullscreen
'
