"""One kiosk process through a few hundred family sessions (``make soak`` runs thousands):
no crash, and live QObjects and memory back to their baseline after the warm-up.

The sessions run in a child process of their own: pytest holds millions of references to
``None``, which hid the crash this test exists for (docs/endurance.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.endurance.kiosk_sessions import RSS_BUDGET_MIB

REPOSITORY = Path(__file__).resolve().parents[2]
SESSIONS = int(os.environ.get("KIOSK_ENDURANCE_SESSIONS", "200"))


@pytest.mark.gui
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_one_kiosk_process_survives_hundreds_of_families(tmp_path: Path) -> None:
    report_file = tmp_path / "endurance.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.endurance.kiosk_sessions",
         "--sessions", str(SESSIONS), "--curve-every", "50", "--json", str(report_file)],
        cwd=REPOSITORY,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=880,
        check=False,
    )
    output = done.stdout[-3000:] + done.stderr[-3000:]
    assert done.returncode == 0, f"the kiosk process failed (exit {done.returncode}):\n{output}"
    report = json.loads(report_file.read_text())
    assert report["sessions_run"] == SESSIONS
    assert report["sign_ups"] > 0 and report["idle_wipes"] > 0
    assert report["qobject_growth"] == 0, output
    assert report["rss_growth_mib"] <= RSS_BUDGET_MIB, output
