"""Kiosk mode (``--fullscreen``, what the installer runs) ends cleanly on the signals a
service manager and a terminal send: systemd and cage stop a kiosk with SIGTERM, a person at
a terminal with Ctrl+C (SIGINT). Real processes, real signals: the kiosk exits with status 0
within a few seconds, its outbox intact, and the demo's guard and server go with it."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from kiosk.clock import SystemClock
from kiosk.store import LocalStore
from tests.crash.workers import sign_up_payload
from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
# Longest a clean stop may take: the kiosk waits for at most one request in flight.
STOP_SECONDS = 10


def _env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
           and not k.startswith("LOBBY_KIOSK_")}
    env.update(changes)
    return env


class Running:
    """A kiosk process whose output (stdout and stderr together) is read as it comes."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if text in line:
                    return line
            assert self.process.poll() is None, "".join(self.lines)
            time.sleep(0.05)
        raise AssertionError(f"no {text!r} in:\n{''.join(self.lines)}")

    def stop_with(self, signum: int) -> tuple[int, float]:
        """Send ``signum``; the exit status and how long the kiosk took to end."""
        sent = time.monotonic()
        self.process.send_signal(signum)
        try:
            status = self.process.wait(timeout=STOP_SECONDS + 10)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running {STOP_SECONDS + 10} s after "
                                 f"{signal.Signals(signum).name}") from None
        return status, time.monotonic() - sent

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _processes_naming(text: str) -> list[int]:
    """The ids of live processes whose command line contains ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().split(")")[-1].split()[0]
        except OSError:
            continue
        if text in command and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.gui
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_kiosk_in_kiosk_mode_stops_on_a_signal_with_its_outbox_intact(
    tmp_path: Path, signum: int
) -> None:
    data = tmp_path / "data"
    store = LocalStore(data / "kiosk.sqlite3", SystemClock())
    outbox_id = store.queue_registration(sign_up_payload(7), "pin:stop-test", "account:stop")
    store.close()
    config = tmp_path / "kiosk.toml"
    # A central API that does not answer: the sign-up stays queued, as in an outage.
    config.write_text(f'central_url = "http://127.0.0.1:{free_port()}"\n'
                      f'data_dir = "{data}"\nrequest_timeout_seconds = 2.0\n')
    kiosk = Running(["--fullscreen", "--config", str(config)],
                    _env(QT_QPA_PLATFORM="offscreen"))
    try:
        kiosk.wait_for("kiosk window shown")
        time.sleep(4)  # past the first frame: its keyring, store and client are open
        status, took = kiosk.stop_with(signum)
    finally:
        kiosk.kill()
    assert status == 0, "".join(kiosk.lines)
    assert took < STOP_SECONDS
    with sqlite3.connect(data / "kiosk.sqlite3") as database:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = LocalStore(data / "kiosk.sqlite3", SystemClock())
    try:
        assert [entry.id for entry in store.pending()] == [outbox_id]
    finally:
        store.close()


@pytest.mark.gui
@pytest.mark.slow
def test_the_demo_in_kiosk_mode_stops_on_sigterm_with_its_guard_and_server(
    xvfb: str,
) -> None:
    kiosk = Running(["--demo", "--fullscreen"], _env(DISPLAY=xvfb, QT_QPA_PLATFORM="xcb"))
    try:
        started = kiosk.wait_for("demo central API at")
        kiosk.wait_for("kiosk window shown")
        found = re.search(r"at (\S+) \(data in (\S+)\)", started)
        assert found is not None
        url, folder = found.groups()
        assert requests.get(url + "/healthz", timeout=5).ok
        assert len(_processes_naming(folder)) == 2  # the guard and the server
        time.sleep(2)
        status, took = kiosk.stop_with(signal.SIGTERM)
    finally:
        kiosk.kill()
    assert status == 0, "".join(kiosk.lines)
    assert took < STOP_SECONDS
    assert _processes_naming(folder) == []
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/healthz", timeout=1)
