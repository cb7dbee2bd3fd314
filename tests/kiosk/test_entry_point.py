"""`python -m kiosk`: the clear no-display line, the tour, and the demo under a real Xvfb."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from kiosk.demo import DemoCentral
from services.central_client import CentralClient
from tests.tour_support import TOUR_GROUP, RenderedTour

ROOT = Path(__file__).resolve().parents[2]


def _env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(changes)
    return env


def test_without_a_display_it_says_so_in_one_line() -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk"], capture_output=True,
                          text=True, env=_env(), timeout=60, cwd=ROOT, check=False)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0] and "xvfb-run" in lines[0]


@pytest.mark.slow
def test_the_demo_without_a_display_plays_a_family_visit_and_cleans_up(
    tmp_path: Path,
) -> None:
    pictures = tmp_path / "pictures"
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--demo", "--demo-pictures", str(pictures)],
        capture_output=True, text=True, env=_env(), timeout=300, cwd=ROOT, check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    taken = sorted(p.name for p in pictures.glob("*.png"))
    assert len(taken) >= 20 and done.stdout.strip().endswith(f"pictures in {pictures}")
    for step in ("review", "reader_deposit", "deposit_receipt", "buy_terms", "reader_plan",
                 "manage_confirm", "attract"):
        assert any(step in name for name in taken), step
    # The family paid on the demo's simulated card reader: no card number was typed.
    assert not any("card_entry" in name for name in taken)
    assert "Insert, tap or swipe your card" in done.stdout
    assert "Cancelled: active until" in done.stdout
    data = re.search(r"data in (\S+)\)", done.stderr)
    assert data is not None and not Path(data.group(1)).exists()


@TOUR_GROUP
def test_tour_writes_every_screen_in_both_languages(rendered_tour: RenderedTour) -> None:
    """``python -m kiosk --demo --tour DIR`` with no display (the run's one rendering)."""
    assert rendered_tour.returncode == 0, rendered_tour.stderr
    names = rendered_tour.names()
    for screen in ("attract", "home", "facility", "resident", "register_name",
                   "register_contact", "register_address", "register_pin", "review", "done"):
        assert {f"{screen}-en.png", f"{screen}-es.png"} <= names


def test_demo_central_serves_seeded_data_and_cleans_up() -> None:
    demo = DemoCentral()
    demo.start()
    try:
        client = CentralClient(demo.url, timeout=5)
        client.token = client.enroll(demo.enrollment_code, "test").token
        client.confirm_enrollment(client.token)
        facilities = client.facilities()
        assert len(facilities) >= 3
        assert len({f.state for f in facilities}) >= 2
        assert any(not f.offers_subscriptions for f in facilities)
        assert any(not f.offers_single_call for f in facilities)
    finally:
        demo.stop()
    assert not demo.folder.exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(demo.url + "/healthz", timeout=1)


def _answers(url: str) -> bool:
    try:
        return requests.get(url + "/healthz", timeout=1).ok
    except requests.RequestException:
        return False


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited too long for {what}"
        time.sleep(0.1)


@pytest.mark.gui
def test_demo_opens_the_window_under_xvfb_and_stops_its_server(xvfb: str) -> None:
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--demo"], cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env=_env(DISPLAY=xvfb, QT_QPA_PLATFORM="xcb"),
    )
    lines: list[str] = []
    try:
        assert kiosk.stdout is not None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = kiosk.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "kiosk window shown" in line:
                break
        assert any("kiosk window shown" in line for line in lines), "".join(lines)
        url = next(line.split("central API ")[1].strip(" )\n") for line in lines
                   if "kiosk window shown" in line)
        assert requests.get(url + "/healthz", timeout=5).ok
        # The printed way to show the kiosk offline: the server goes down and comes back
        # while the kiosk runs on.
        hint = re.search(r"kill -USR1 (\d+)", "".join(lines))
        assert hint is not None, "".join(lines)
        guard = int(hint.group(1))
        os.kill(guard, signal.SIGUSR1)
        _wait_for(lambda: not _answers(url), "the server to go down")
        assert kiosk.poll() is None
        os.kill(guard, signal.SIGUSR2)
        _wait_for(lambda: _answers(url), "the server to come back")
        kiosk.send_signal(signal.SIGTERM)
        assert kiosk.wait(timeout=30) == 0
        with pytest.raises(requests.ConnectionError):
            requests.get(url + "/healthz", timeout=1)
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
            kiosk.wait()
