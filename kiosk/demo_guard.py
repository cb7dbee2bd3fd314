"""The demo's central server, run by a guard that outlives nothing: when the kiosk process
ends, however it ends (a Qt abort included, which runs no ``finally``), the guard stops the
server and removes the demo's folder.

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


def main(argv: list[str]) -> int:
    folder, parent, remove = Path(argv[0]), int(argv[1]), argv[2] == "1"
    command = argv[argv.index("--") + 1 :]
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with (folder / "central.log").open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        # The parent is watched, not trusted to say goodbye: an aborted kiosk says nothing.
        while not stopping and os.getppid() == parent and server.poll() is None:
            time.sleep(0.2)
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    if remove:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
