"""``--demo``: the central API in a child process on a free loopback port, with a SQLite
file in a temporary folder and the demo facilities, plus a one-time kiosk code. The server
runs under ``kiosk.demo_guard``, so no exit of the kiosk leaves it or its folder behind."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import requests

log = logging.getLogger(__name__)

DEMO_FACILITY = "harbor-county-jail"


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
        # ends, even by a Qt abort that runs none of our cleanup.
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "kiosk.demo_guard", str(self.folder), str(os.getpid()),
             "1" if self._own_folder else "0", "--", *server],
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise DemoError(f"central API exited; see {self.folder / 'central.log'}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).ok:
                    log.info("demo central API at %s (data in %s)", self.url, self.folder)
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise DemoError("central API did not start in time")

    def stop(self) -> None:
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
