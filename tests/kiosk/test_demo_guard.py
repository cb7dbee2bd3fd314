"""The demo's server and folder go away when the kiosk process dies without cleaning up
(a Qt abort runs no ``finally``): the guard notices its parent is gone."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

REPOSITORY = Path(__file__).resolve().parents[2]
ABORTING_KIOSK = """
import os, sys
from kiosk.demo import DemoCentral
demo = DemoCentral()
demo.start()
print(demo.url, demo.folder, flush=True)
os.abort()  # what a Qt abort does: no finally, no atexit
"""


@pytest.mark.slow
def test_an_aborted_demo_leaves_no_server_and_no_folder() -> None:
    done = subprocess.run(
        [sys.executable, "-c", ABORTING_KIOSK], cwd=REPOSITORY, capture_output=True,
        text=True, timeout=120, check=False,
    )
    assert done.returncode != 0  # it really aborted
    url, folder = done.stdout.split()
    deadline = time.monotonic() + 15
    while Path(folder).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not Path(folder).exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/healthz", timeout=2)
