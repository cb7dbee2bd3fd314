"""The kiosk's start, screen switches, offline stalls and long-run memory (issue 11).

    python -m tests.benchmarks.kiosk_start [--runs 7] [--cycles 500] [--json FILE]

- ``kiosk_cold_start``: process start to the attract screen painted (offscreen), the real
  composition root (``kiosk.app.start_gui``: the window and its first screen; the keyring,
  local store and client open on a worker after that paint); floor: a process that shows a
  bare PySide6 window, the two run interleaved, both from compiled bytecode (as installed);
  goal ratio <= 1.5 (issue 21; it was 3).
- ``kiosk_peak_rss``: the peak memory of that start, against the bare window's; goal <= 2.5.
- ``screen_switch_p95``: showing each next screen of the sign-up and purchase journeys
  (layout and paint included) in the real window with the tour's sample controller, against
  one 60 Hz frame, once the window has built its screens while idle at the start screen (as
  the kiosk does after its first frame); goal ratio <= 1.
- ``gui_stall_offline_max``: the longest the GUI thread does not turn its event loop while
  the real kiosk, its central API a black-holed port (connections accepted by nobody), goes
  through a sign-up and closes; against 50 ms; goal ratio <= 1.
- ``session_cycles_rss_growth``: memory growth over ``--cycles`` sign-up-then-idle-wipe
  cycles of the real kiosk against a real central API on loopback, after a warm-up; against
  5 MiB; goal ratio <= 1.

The start figures run in child processes of this one (``--child kiosk|bare``), which import
nothing but the standard library before they start their clock's work.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.config import Settings

CHILD_MARK = "painted"


def _child(kind: str) -> int:
    """Start a kiosk (or a bare window), print the peak RSS (KiB) when the first screen has
    painted, and exit."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if kind == "bare":
        from PySide6.QtWidgets import QApplication, QLabel

        app = QApplication(sys.argv[:1])
        window = QLabel("Welcome")
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        window.repaint()
    else:
        from dataclasses import replace

        from kiosk.app import start_gui
        from kiosk.config import load_settings

        folder = Path(sys.argv[-1])
        settings = replace(
            load_settings(folder / "absent.toml", environ={}),
            central_url=f"http://127.0.0.1:{int(sys.argv[-2])}",
            data_dir=str(folder / "kiosk-data"), kiosk_name="bench",
            enrollment_code="BENCH-CODE")
        started = start_gui(settings)
        started.app.processEvents()
        started.window.repaint()
        if started.window.current_screen_name() != "attract":
            raise SystemExit("the first screen is not the attract screen")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stdout.write(f"{CHILD_MARK} {peak}\n")
    sys.stdout.flush()
    os._exit(0)  # the figure is taken; closing is measured elsewhere


def _compiled_env(cache: Path) -> dict[str, str]:
    """The children's environment: their bytecode in ``cache`` (written by the warm-up
    run, read by the timed ones), as on an installed kiosk, where pip compiled every module
    when it installed them. Without it, a shell that sets ``PYTHONDONTWRITEBYTECODE`` (as
    this project's sessions do) makes every start compile the kiosk's own modules from
    source, a cost the bare window, all of whose modules come precompiled, never pays."""
    env = {name: value for name, value in os.environ.items()
           if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def _start_once(kind: str, port: int, folder: Path,
                env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Seconds from spawning the child to its first paint, its peak RSS in MiB, and the CPU
    seconds it used (user and system: the figure a loaded machine disturbs least)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [sys.executable, "-m", "tests.benchmarks.kiosk_start", "--child", kind,
               str(port), str(folder)]
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True, env=env) as child:
        assert child.stdout is not None
        line = child.stdout.readline()
        elapsed = time.perf_counter() - started
        child.wait(timeout=60)
    if not line.startswith(CHILD_MARK):
        raise RuntimeError(f"the {kind} child did not paint (exit {child.returncode})")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, int(line.split()[1]) / 1024, cpu


def cold_start(runs: int) -> list[dict[str, object]]:
    from tests.benchmarks.report import row

    kiosk_s: list[float] = []
    bare_s: list[float] = []
    kiosk_mib: list[float] = []
    bare_mib: list[float] = []
    kiosk_cpu: list[float] = []
    bare_cpu: list[float] = []
    with BlackHole() as hole, tempfile.TemporaryDirectory() as folder, \
            tempfile.TemporaryDirectory(prefix="lobby-bench-pyc-") as bytecode:
        env = _compiled_env(Path(bytecode))
        for n in range(runs + 1):
            kiosk = _start_once("kiosk", hole.port, Path(folder) / f"run{n}", env)
            bare = _start_once("bare", hole.port, Path(folder), env)
            if n == 0:
                continue  # the first run compiles the bytecode and warms the file cache
            kiosk_s.append(kiosk[0] * 1000)
            kiosk_mib.append(kiosk[1])
            bare_s.append(bare[0] * 1000)
            bare_mib.append(bare[1])
            kiosk_cpu.append(kiosk[2] * 1000)
            bare_cpu.append(bare[2] * 1000)
    import statistics

    cpu = statistics.median(kiosk_cpu)
    bare_cpu_ms = statistics.median(bare_cpu)
    return [
        row("kiosk_cold_start", kiosk_s, statistics.median(bare_s), "ms", 1.5,
            note=f"floor: a bare PySide6 window process, interleaved; CPU {cpu:.0f} ms "
                 f"against {bare_cpu_ms:.0f}, ratio {cpu / bare_cpu_ms:.2f}; load "
                 f"{os.getloadavg()[0]:.1f}"),
        row("kiosk_peak_rss", kiosk_mib, statistics.median(bare_mib), "MiB", 2.5,
            note="floor: the bare window's peak RSS"),
    ]


class BlackHole:
    """A loopback port that listens and never accepts: connections hang, as to a server
    whose network went away."""

    def __enter__(self) -> BlackHole:
        import socket

        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(1024)
        self.port: int = self._socket.getsockname()[1]
        return self

    def __exit__(self, *_exc: object) -> None:
        self._socket.close()


# The journeys' screens in the order a family sees them.
SIGN_UP = ("attract", "home", "facility", "resident", "register_name", "register_contact",
           "register_address", "register_pin", "review", "done")
PURCHASE = ("account_home", "buy_plan", "buy_renewal", "buy_terms", "card_entry",
            "buy_receipt")


def screen_switches(runs: int) -> list[dict[str, object]]:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.tour import default_window_factory
    from tests.benchmarks.report import row

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = default_window_factory()
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.build_screens_while_idle()
    while len(window.screens.built()) < len(window.screens):
        QTest.qWait(30)
    samples: list[float] = []
    for _ in range(runs):
        for name in (*SIGN_UP, *PURCHASE):
            if name not in window.screens:
                continue
            started = time.perf_counter()
            window.show_screen(name)
            window.repaint()
            app.processEvents()
            samples.append((time.perf_counter() - started) * 1000)
    window.close()
    samples.sort()
    p95 = [samples[min(len(samples) - 1, int(len(samples) * 0.95))]]
    return [row("screen_switch_p95", p95, 1000 / 60, "ms", 1.0,
                note=f"{len(samples)} switches over {runs} passes of both journeys")]


def _kiosk_settings(folder: Path, url: str, code: str, name: str) -> Settings:
    from dataclasses import replace

    from kiosk.config import load_settings

    return replace(
        load_settings(folder / "absent.toml", environ={}), central_url=url,
        enrollment_code=code, data_dir=str(folder / "kiosk-data"), kiosk_name=name,
        idle_seconds=0.15, countdown_seconds=0.1)


class StallMeter:
    """Gaps between ticks of a 5 ms timer on the GUI thread: how long its loop stood still."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self.last = time.perf_counter()

    def tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self.last) * 1000)
        self.last = now


def offline_stall(runs: int) -> list[dict[str, object]]:
    from dataclasses import replace

    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.app import build_kiosk, build_window
    from services.vault import open_vault
    from tests.benchmarks.report import row
    from tests.endurance.kiosk_sessions import FamilyDriver, Network, ScreenLog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    worst: list[float] = []
    screen = ""
    for _ in range(runs):
        with BlackHole() as hole, tempfile.TemporaryDirectory() as folder:
            vault = open_vault("lobby-kiosk-bench-offline")
            for entry in ("kiosk-token", "kiosk-token-pending"):
                vault.delete(entry)
            settings = replace(
                _kiosk_settings(Path(folder), f"http://127.0.0.1:{hole.port}", "BENCH-CODE",
                                "offline"),
                request_timeout_seconds=2.0)
            stalls = StallMeter()
            ticker = QTimer()
            ticker.setInterval(5)
            ticker.timeout.connect(stalls.tick)
            kiosk = build_kiosk(settings, vault=vault, demo=True)  # a throwaway server
            window = build_window(kiosk)
            window.resize(1280, 800)
            window.show()
            ticker.start()
            stalls.last = time.perf_counter()
            kiosk.workflow.check_connection()
            kiosk.workflow.sync_now()
            # A family starts a sign-up and waits at the facility list while every request
            # of the kiosk hangs on the black hole until its timeout.
            driver = FamilyDriver(window, Network(kiosk.client, settings.central_url),
                                  ScreenLog())
            driver.touch(window.screens["attract"].start_button.click)
            driver.touch(window.screens["home"].create_account_button.click)
            deadline = time.monotonic() + settings.request_timeout_seconds * 2 + 0.5
            while time.monotonic() < deadline:
                QTest.qWait(5)
                window.idle.poke()
            screen = window.current_screen_name()
            ticker.stop()
            # Closing: the window goes, then the kiosk (its workers) with nothing waiting.
            started = time.perf_counter()
            window.close()
            kiosk.close()
            stalls.gaps.append((time.perf_counter() - started) * 1000)
            window.deleteLater()
            app.processEvents()
            for entry in ("kiosk-token", "kiosk-token-pending"):
                vault.delete(entry)
            worst.append(max(stalls.gaps))
    note = f"closing included; the family waited on the {screen} screen"
    return [row("gui_stall_offline_max", worst, 50.0, "ms", 1.0, note=note)]


def session_cycles(cycles: int) -> list[dict[str, object]]:
    import gc

    from PySide6.QtWidgets import QApplication

    from kiosk.app import build_kiosk, build_window
    from kiosk.demo import DemoCentral
    from services.vault import open_vault
    from tests.benchmarks.report import row
    from tests.endurance.kiosk_sessions import FamilyDriver, Network, ScreenLog, rss_kib

    app = QApplication.instance() or QApplication(sys.argv[:1])
    warm_up = max(1, min(40, cycles // 10))
    with tempfile.TemporaryDirectory(prefix="lobby-bench-cycles-") as folder:
        central = DemoCentral(Path(folder) / "central",
                              ["--sign-up-limit", "100000", "--sign-in-limit", "100000"])
        central.folder.mkdir()
        central.start()
        # Its families pay on the server's simulated card reader, as in the endurance run.
        central.register_reader_when_enrolled("cycles")
        vault = open_vault("lobby-kiosk-bench-cycles")
        for entry in ("kiosk-token", "kiosk-token-pending"):
            vault.delete(entry)
        kiosk = None
        try:
            settings = _kiosk_settings(Path(folder), central.url, central.enrollment_code,
                                       "cycles")
            kiosk = build_kiosk(settings, vault=vault, demo=True)  # a throwaway server
            window = build_window(kiosk)
            window.resize(1280, 800)
            window.show()
            driver = FamilyDriver(window, Network(kiosk.client, central.url), ScreenLog())
            baseline = 0.0
            for number in range(1, warm_up + cycles + 1):
                driver.session(number, abandon=False, sign_up=True)
                driver.session(number, abandon=True, sign_up=False)  # the idle wipe
                if number == warm_up:
                    gc.collect()
                    baseline = rss_kib() / 1024
            gc.collect()
            growth = rss_kib() / 1024 - baseline
            window.close()
            window.deleteLater()
            app.processEvents()
        finally:
            if kiosk is not None:
                kiosk.close()
            for entry in ("kiosk-token", "kiosk-token-pending"):
                vault.delete(entry)
            central.stop()
    return [row("session_cycles_rss_growth", [max(0.0, growth)], 5.0, "MiB", 1.0,
                note=f"{cycles} cycles after a warm-up of {warm_up}")]


def main(argv: list[str] | None = None) -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child" and argv is None:
        return _child(sys.argv[2])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="starts (and switch passes)")
    parser.add_argument("--stall-runs", type=int, default=3)
    parser.add_argument("--cycles", type=int, default=500)
    parser.add_argument("--json", type=Path, help="append the rows to this JSON list")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tests.benchmarks.report import publish

    rows = cold_start(args.runs)
    rows += screen_switches(args.runs)
    rows += offline_stall(args.stall_runs)
    rows += session_cycles(args.cycles)
    publish(rows, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
