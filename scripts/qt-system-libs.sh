#!/usr/bin/env bash
# Qt's xcb platform plugin (the window on an X11 or XWayland display) needs system libraries
# that a fresh Debian or Ubuntu machine may lack; without them Qt aborts at start-up with
# "could not load the Qt platform plugin xcb". `make demo` runs this first when a display is
# present: as root it installs what is missing, otherwise it prints the one command to run.
# With no display the demo runs off screen and needs none of them.
set -euo pipefail

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  exit 0
fi
# library file -> Debian package
declare -A needed=(
  [libxcb-cursor.so.0]=libxcb-cursor0
  [libxkbcommon-x11.so.0]=libxkbcommon-x11-0
  [libxcb-icccm.so.4]=libxcb-icccm4
  [libxcb-image.so.0]=libxcb-image0
  [libxcb-keysyms.so.1]=libxcb-keysyms1
  [libxcb-randr.so.0]=libxcb-randr0
  [libxcb-render-util.so.0]=libxcb-render-util0
  [libxcb-shape.so.0]=libxcb-shape0
  [libxcb-xkb.so.1]=libxcb-xkb1
  [libEGL.so.1]=libegl1
  [libGL.so.1]=libgl1
  [libfontconfig.so.1]=libfontconfig1
  [libdbus-1.so.3]=libdbus-1-3
)
have=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)
missing=()
for lib in "${!needed[@]}"; do
  grep -q "$lib" <<<"$have" || missing+=("${needed[$lib]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing the system libraries Qt's window needs: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
         --no-install-recommends "${missing[@]}"; }
  exit 0
fi
echo "Qt's window needs system libraries this machine lacks. Install them with:" >&2
echo "  sudo $command" >&2
echo "(or run the demo without a display: it plays a family's visit off screen)" >&2
exit 1
