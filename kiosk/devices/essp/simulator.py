"""An NV200 on a pseudo-terminal: the device side of eSSP (``device.NV200``) runs on a
thread at the pty's master end, and the kiosk opens the slave end (``port``, a link to its
/dev/pts path) with pyserial like any serial port. The tests, the tour and ``make demo`` use it.

Scripting, from any thread::

    sim = Simulator().start()
    sim.insert(2000)                      # a $20 note
    sim.insert(500, Behaviour.SUSPECT)    # a fraud attempt
    sim.pull_back()                       # the note in escrow is pulled back out
    sim.go_silent(); sim.speak()          # the unit stops answering, then answers again
    sim.answer_twice()                    # the next answer is sent twice
    sim.lose_answers(1)                   # the next command runs, its answer is lost
    sim.remove_cashbox(); sim.replace_cashbox()
    sim.stop()

Run by hand (``python -m kiosk.devices.essp.simulator``) it prints its port and takes one
command a line on stdin: ``note 20``, ``suspect 5``, ``reject 10``, ``jam 20``, ``pull``,
``full``, ``cashbox out``, ``cashbox in``, ``silent``, ``speak``, ``twice``, ``quit``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import sys
import tempfile
import threading
import tty
from collections.abc import Callable
from typing import TypeVar

from kiosk.devices.essp.device import NV200, Behaviour, FedNote
from kiosk.devices.essp.protocol import FrameDecoder

log = logging.getLogger(__name__)
T = TypeVar("T")


class Simulator:
    """One simulated NV200 on its own pty and thread."""

    def __init__(self, device: NV200 | None = None) -> None:
        self.device = device or NV200()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._master = -1
        self._slave = -1
        self.port = ""
        self._link_dir = ""
        self._silent = False
        self._twice = 0
        self._lose = 0

    def start(self) -> Simulator:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        # The port is a link of its own to the pty, as udev's /dev/serial/by-id/ link is to a
        # USB unit's tty: stopped (unplugged), the link goes, and an acceptor still trying
        # the port never opens the next pty given the same /dev/pts number (another test's
        # simulator in a parallel run: CI's run of 8c33e52).
        self._link_dir = tempfile.mkdtemp(prefix="nv200-")
        self.port = os.path.join(self._link_dir, "ttyNV200")
        os.symlink(os.ttyname(self._slave), self.port)
        self._thread = threading.Thread(target=self._serve, name="nv200-simulator",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for fd in (self._master, self._slave):
            if fd >= 0:
                os.close(fd)
        self._master = self._slave = -1
        if self._link_dir:
            with contextlib.suppress(OSError):
                os.unlink(self.port)
                os.rmdir(self._link_dir)
            self._link_dir = ""
        self.port = ""

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        decoder = FrameDecoder()
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.01)
            with self._lock:
                self.device.tick()
            if not ready:
                continue
            try:
                chunk = os.read(self._master, 1024)
            except OSError:  # the slave end closed under us: wait for the next opener
                self._stop.wait(0.01)
                continue
            for packet in decoder.feed(chunk):
                with self._lock:
                    if self._silent:
                        continue
                    answer = self.device.receive(packet)
                    if answer is None:
                        continue
                    if self._lose:
                        self._lose -= 1
                        continue
                    twice = self._twice > 0
                    self._twice = max(0, self._twice - 1)
                os.write(self._master, answer.encode())
                if twice:  # the copy comes a moment later, as from a unit that resent it
                    self._stop.wait(0.02)
                    os.write(self._master, answer.encode())

    def _with(self, action: Callable[[NV200], T]) -> T:
        with self._lock:
            return action(self.device)

    # -- the note feed and the unit --------------------------------------------------

    def insert(self, value: int, behaviour: Behaviour = Behaviour.GENUINE) -> None:
        """A note of ``value`` cents into the feed (taken when the unit is enabled)."""
        self._with(lambda d: d.insert(FedNote(value, behaviour)))

    def pull_back(self) -> bool:
        return self._with(lambda d: d.pull_back())

    def clear_jam(self, *, into_cashbox: bool) -> None:
        self._with(lambda d: d.clear_jam(into_cashbox=into_cashbox))

    def fill_stacker(self) -> None:
        self._with(lambda d: d.fill_stacker())

    def remove_cashbox(self) -> None:
        self._with(lambda d: d.remove_cashbox())

    def replace_cashbox(self, *, emptied: bool = True) -> None:
        self._with(lambda d: d.replace_cashbox(emptied=emptied))

    @property
    def in_escrow(self) -> bool:
        return self._with(lambda d: d.in_escrow)

    @property
    def stacking(self) -> bool:
        return self._with(lambda d: d.stacking)

    @property
    def stacked(self) -> list[int]:
        return self._with(lambda d: list(d.stacked))

    @property
    def returned(self) -> list[int]:
        return self._with(lambda d: list(d.returned))

    # -- the link misbehaving ----------------------------------------------------------

    def go_silent(self) -> None:
        """Packets are read and dropped: nothing runs, nothing answers (unplugged)."""
        with self._lock:
            self._silent = True

    def speak(self) -> None:
        with self._lock:
            self._silent = False

    def answer_twice(self, times: int = 1) -> None:
        with self._lock:
            self._twice += times

    def lose_answers(self, count: int = 1) -> None:
        """The next ``count`` commands run but their answers never arrive."""
        with self._lock:
            self._lose += count


_SCRIPT = {
    "note": Behaviour.GENUINE, "reject": Behaviour.UNRECOGNISED,
    "suspect": Behaviour.SUSPECT, "jam": Behaviour.SAFE_JAM,
    "unsafe": Behaviour.UNSAFE_JAM,
}


def main() -> int:  # pragma: no cover - a manual tool; the tests script the class
    logging.basicConfig(level=logging.INFO)
    with Simulator() as sim:
        print(f"NV200 simulator on {sim.port}", flush=True)  # noqa: T201
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            verb, rest = words[0], words[1:]
            if verb in _SCRIPT and rest:
                sim.insert(int(rest[0]) * 100, _SCRIPT[verb])
            elif verb == "pull":
                sim.pull_back()
            elif verb == "full":
                sim.fill_stacker()
            elif verb == "cashbox":
                (sim.remove_cashbox if rest == ["out"] else sim.replace_cashbox)()
            elif verb == "clear":
                sim.clear_jam(into_cashbox=rest != ["front"])
            elif verb in ("silent", "speak", "twice"):
                {"silent": sim.go_silent, "speak": sim.speak,
                 "twice": sim.answer_twice}[verb]()
            elif verb == "quit":
                break
            else:
                print(f"unknown: {line.strip()}", flush=True)  # noqa: T201
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
