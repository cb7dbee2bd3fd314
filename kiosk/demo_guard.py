"""The demo's central server, run by a guard that outlives nothing: when the kiosk process
ends, however it ends (a Qt abort included, which runs no ``finally``), the guard stops the
server and removes the demo's folder.

The server may go down while the kiosk runs (to show sign-ups waiting in the kiosk's
outbox) and come back with the same database and port, so the kiosk's token still works:

    SIGUSR1  take the server down (the guard and the demo's folder stay)
    SIGUSR2  start it again

A server that stops by itself (killed, crashed) stays down until SIGUSR2: the folder, with
the kiosk's running store and outbox in it, is removed only once the kiosk has ended.

    python -m kiosk.demo_guard FOLDER KIOSK_PID REMOVE(0|1) -- SERVER COMMAND...
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO


def _say(text: str) -> None:
    sys.stderr.write(f"demo server: {text}\n")
    sys.stderr.flush()


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main(argv: list[str]) -> int:
    folder, parent, remove = Path(argv[0]), int(argv[1]), argv[2] == "1"
    command = argv[argv.index("--") + 1 :]
    stopping = False
    wanted_up = True

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    def down(_signum: int, _frame: object) -> None:
        nonlocal wanted_up
        wanted_up = False

    def up(_signum: int, _frame: object) -> None:
        nonlocal wanted_up
        wanted_up = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGUSR1, down)
    signal.signal(signal.SIGUSR2, up)

    def start(log: IO[bytes]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603

    with (folder / "central.log").open("ab") as log:
        server: subprocess.Popen[bytes] | None = start(log)
        # The parent is watched, not trusted to say goodbye: an aborted kiosk says nothing.
        while not stopping and os.getppid() == parent:
            if server is not None and server.poll() is not None:
                if wanted_up:  # it stopped by itself: no restart loop, someone asks for it
                    _say(f"stopped (status {server.returncode}); kill -USR2 {os.getpid()} "
                         "starts it again")
                    wanted_up = False
                server = None
            elif server is not None and not wanted_up:
                _stop(server)
                server = None
                _say(f"down; the kiosk keeps its outbox. kill -USR2 {os.getpid()} "
                     "brings it back")
            elif server is None and wanted_up:
                server = start(log)
                _say("back up, with the same data")
            time.sleep(0.1)
        if server is not None:
            _stop(server)
    if remove:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
