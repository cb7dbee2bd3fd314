"""`make demo` runs the kiosk the way a kiosk runs (issue 19, item 1): inside
scripts/keyring-session.sh, a private D-Bus session with an unlocked gnome-keyring, so the
vault is secure and no banner says card payments are off; and unlike the tests' wrapper it
leaves Qt's platform alone, so the demo opens its window."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "keyring-session.sh"
PROBE = ("import os; from services.vault import open_vault; "
         "print(open_vault('lobby-kiosk-session-test').secure, "
         "os.environ.get('QT_QPA_PLATFORM', '-'))")


def test_make_demo_runs_the_kiosk_in_the_keyring_session() -> None:
    done = subprocess.run(["make", "-n", "demo"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert any(line.startswith("scripts/keyring-session.sh ") and "-m kiosk --demo" in line
               for line in done.stdout.splitlines()), done.stdout


def test_the_session_gives_a_secure_keyring_and_keeps_qt_platform_unset() -> None:
    if shutil.which("dbus-run-session") is None or shutil.which("gnome-keyring-daemon") is None:
        pytest.skip("dbus-run-session or gnome-keyring-daemon is not installed")
    # As on a machine without a Secret Service: no session bus to start from.
    env = {k: v for k, v in os.environ.items()
           if k not in ("DBUS_SESSION_BUS_ADDRESS", "QT_QPA_PLATFORM")}
    inside = subprocess.run([str(SCRIPT), sys.executable, "-c", PROBE], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert inside.returncode == 0, inside.stderr
    assert inside.stdout.split() == ["True", "-"], inside.stderr
