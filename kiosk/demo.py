"""``--demo``: the central API in a child process on a free loopback port, with a SQLite
file in a temporary folder and the demo facilities, plus a one-time kiosk code. The server
runs under ``kiosk.demo_guard``, so no exit of the kiosk leaves it or its folder behind."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import requests

log = logging.getLogger(__name__)

DEMO_FACILITY = "harbor-county-jail"
# The sandbox's simulated card reader the demo kiosk pays on (docs/payments.md).
DEMO_READER = "sim_demo_lobby"
DEMO_KIOSK_NAME = "demo-kiosk"


class DemoError(RuntimeError):
    """The embedded central API could not be started."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class DemoCentral:
    """Owns the child server and its folder; ``stop()`` removes both."""

    def __init__(self, folder: Path | None = None, serve_options: Sequence[str] = ()) -> None:
        self._own_folder = folder is None
        self._serve_options = tuple(serve_options)
        self.folder = folder or Path(tempfile.mkdtemp(prefix="lobby-kiosk-demo-"))
        self.database_url = f"sqlite:///{self.folder / 'central.sqlite3'}"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.enrollment_code = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        # ``reader-add`` while it runs: stopped with the demo, never left behind.
        self._reader_lock = threading.Lock()
        self._reader_process: subprocess.Popen[str] | None = None

    def _cli(self, *args: str) -> str:
        command = [sys.executable, "-m", "central.cli", *args, "--db", self.database_url]
        done = subprocess.run(  # noqa: S603 - our own interpreter and module
            command, capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            raise DemoError(f"{' '.join(args)} failed: {done.stderr.strip()[-500:]}")
        return done.stdout.strip()

    def start(self, timeout: float = 30.0) -> None:
        self._cli("migrate")
        self._cli("seed-demo")
        self.enrollment_code = self._cli("kiosk-code", "--facility", DEMO_FACILITY)
        server = [sys.executable, "-m", "central.cli", "serve", "--db", self.database_url,
                  "--host", "127.0.0.1", "--port", str(self.port), *self._serve_options]
        # Through the guard: it stops the server and removes the folder when this process
        # ends, even by a Qt abort that runs none of our cleanup. In a session of its own,
        # so a Ctrl+C at the terminal reaches the kiosk only: the kiosk closes its store
        # (in the folder) first, then stops the guard (``stop``).
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "kiosk.demo_guard", str(self.folder), str(os.getpid()),
             "1" if self._own_folder else "0", "--", *server],
            start_new_session=True,
        )
        if not self._wait_until(answering=True, timeout=timeout):
            self.stop()
            raise DemoError("central API did not start in time")
        log.info("demo central API at %s (data in %s)", self.url, self.folder)

    @property
    def guard_pid(self) -> int:
        """The guard's process id: ``kill -USR1`` takes the server down, ``-USR2`` back up."""
        if self._process is None:
            raise DemoError("the demo server is not started")
        return self._process.pid

    def take_down(self, timeout: float = 20.0) -> None:
        """Stop the server, keeping its database and the folder (the kiosk's offline case)."""
        os.kill(self.guard_pid, signal.SIGUSR1)
        if not self._wait_until(answering=False, timeout=timeout):
            raise DemoError("central API did not go down in time")

    def bring_up(self, timeout: float = 30.0) -> None:
        """Start the server again on the same port and database (the kiosk's token holds)."""
        os.kill(self.guard_pid, signal.SIGUSR2)
        if not self._wait_until(answering=True, timeout=timeout):
            raise DemoError("central API did not come back in time")

    def _wait_until(self, *, answering: bool, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise DemoError(f"the demo server's guard exited; see "
                                f"{self.folder / 'central.log'}")
            try:
                up = requests.get(self.url + "/healthz", timeout=1).ok
            except requests.RequestException:
                up = False
            if up == answering:
                return True
            time.sleep(0.1)
        return False

    def register_reader_when_enrolled(self, kiosk_name: str, reader_ref: str = DEMO_READER,
                                      timeout: float = 600.0) -> threading.Thread:
        """``make demo`` pays on the sandbox's simulated reader with no set-up: once the
        kiosk named ``kiosk_name`` has enrolled (at its first request), register the reader
        to it (``lobby-central reader-add``), as staff would for a real lobby. The kiosk's
        id exists only then, so a thread watches the demo's own database for it."""

        def watch() -> None:
            deadline = time.monotonic() + timeout
            while not self._stopping.wait(0.5) and time.monotonic() < deadline:
                kiosk_id = self._enrolled(kiosk_name)
                if kiosk_id is None:
                    continue
                self._add_reader(kiosk_id, reader_ref)
                return

        thread = threading.Thread(target=watch, name="demo-reader", daemon=True)
        thread.start()
        return thread

    def _add_reader(self, kiosk_id: str, reader_ref: str) -> None:
        command = [sys.executable, "-m", "central.cli", "reader-add", "--kiosk", kiosk_id,
                   "--reader", reader_ref, "--label", "Demo card reader",
                   "--db", self.database_url]
        with self._reader_lock:
            if self._stopping.is_set():
                return
            self._reader_process = subprocess.Popen(  # noqa: S603 - our own interpreter
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            _out, err = self._reader_process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            self._reader_process.kill()
            _out, err = self._reader_process.communicate()
        if self._reader_process.returncode == 0:
            log.info("demo card reader %s registered to kiosk %s", reader_ref, kiosk_id)
        elif not self._stopping.is_set():
            log.warning("the demo's card reader was not registered: %s", err.strip()[-500:])

    def _enrolled(self, kiosk_name: str) -> str | None:
        path = self.folder / "central.sqlite3"
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)) as db:
                row = db.execute("SELECT id FROM kiosks WHERE name = ? AND revoked_at IS NULL"
                                 " AND confirmed_at IS NOT NULL"
                                 " ORDER BY enrolled_at DESC LIMIT 1", (kiosk_name,)).fetchone()
        except sqlite3.Error:
            return None
        return str(row[0]) if row else None

    def stop(self) -> None:
        with self._reader_lock:
            self._stopping.set()
            adding = self._reader_process
        if adding is not None and adding.poll() is None:
            adding.kill()
            adding.wait()
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()  # the guard stops the server, then exits
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        if self._own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)
