"""`make demo` on a fresh machine with a display: Qt's xcb plugin needs system libraries; the
script installs them as root or prints the one command to run (issue 6)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "qt-system-libs.sh"


def _run(tmp_path: Path, *, display: bool, uid: str) -> subprocess.CompletedProcess[str]:
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    # A machine whose linker knows no libraries, where we are not root.
    (fake / "ldconfig").write_text("#!/bin/sh\necho '0 libs found in cache'\n")
    (fake / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    for tool in fake.iterdir():
        tool.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PATH"] = f"{fake}:{env['PATH']}"
    if display:
        env["DISPLAY"] = ":0"
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def test_without_root_it_names_the_one_command_to_run(tmp_path: Path) -> None:
    done = _run(tmp_path, display=True, uid="1000")
    assert done.returncode == 1
    command = next(line for line in done.stderr.splitlines() if "apt-get install" in line)
    assert command.strip().startswith("sudo apt-get install -y --no-install-recommends")
    for package in ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1"):
        assert package in command


def test_with_no_display_nothing_is_needed(tmp_path: Path) -> None:
    assert _run(tmp_path, display=False, uid="1000").returncode == 0
