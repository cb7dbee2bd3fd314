"""Where the central API's time goes under the mixed load of ``api_load`` (issue 21).

    python -m tests.benchmarks.api_profile [--seconds 20] [--kiosks 200] [--top 40]

A real ``lobby-central serve`` runs in its own process with cProfile in every thread: the
routes run in anyio's worker threads, which a profiler of the main thread alone (the event
loop) never sees. This process sends ``api_load``'s mixed workload for ``--seconds``, stops
the server, and prints the functions with the most time in them and under them, summed over
the server's threads. A fixed cost per request shows as ``ncalls`` equal to the requests.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

from tests.benchmarks import api_load
from tests.support import free_port

_profiles: list[cProfile.Profile] = []


def _profile_this_thread(_frame: FrameType, _event: str, _arg: Any) -> None:
    """Installed with ``threading.setprofile``: the first event of a new thread gives it a
    profiler of its own."""
    sys.setprofile(None)
    profile = cProfile.Profile()
    _profiles.append(profile)
    profile.enable()


def serve_profiled(url: str, port: int, out: Path) -> int:
    """``lobby-central serve`` in this process, every thread profiled; the stats are written
    to ``out`` when the server stops (SIGTERM)."""
    from central.cli import main

    # uvicorn raises the SIGTERM it caught again once it has shut down: end with the stats.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    threading.setprofile(_profile_this_thread)
    own = cProfile.Profile()
    own.enable()
    try:
        return main(["serve", "--db", url, "--port", str(port), "--scheduler-interval", "0",
                     "--sign-in-limit", "100000", "--sign-up-limit", "100000"])
    finally:
        own.disable()
        stats = pstats.Stats(own)
        for profile in _profiles:
            profile.create_stats()
            stats.add(profile)
        stats.dump_stats(str(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--kiosks", type=int, default=200)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--keep", type=Path, help="also write the merged stats here")
    parser.add_argument("--serve", nargs=3, metavar=("URL", "PORT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve_profiled(args.serve[0], int(args.serve[1]), Path(args.serve[2]))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'central.sqlite3'}"
        out = Path(folder) / "server.pstats"
        codes = api_load.prepare_database(url, args.kiosks)
        platform = api_load.platform_token(url)
        port = free_port()
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.benchmarks.api_profile", "--serve", url,
                 str(port), str(out)], stdout=log, stderr=log)
            for base in api_load._until_stopped(process, log, f"http://127.0.0.1:{port}"):
                fleet = api_load.enroll(base, codes, platform)
                api_load.fund(url, fleet)
                started = time.perf_counter()
                samples = asyncio.run(api_load._phase(base, args.kiosks, args.seconds, fleet))
                spent = time.perf_counter() - started
                print(f"{len(samples.mixed)} mixed and {len(samples.healthz)} /healthz requests "
                      f"in {spent:.1f} s")
        stats = pstats.Stats(str(out))
        stats.sort_stats(args.sort).print_stats(args.top)
        if args.keep:
            stats.dump_stats(str(args.keep))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
