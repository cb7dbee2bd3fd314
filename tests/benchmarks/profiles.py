"""Every benchmark's sizes and durations, in one place, for the two runs the README names.

``short`` is `make bench`: every figure, small enough to finish in 15 minutes on the
2-core machine (run it before and after a change to a hot path; docs/performance.md, "A bench
that finishes", has the time it took and what each part costs: the kiosk's session cycles
and the outbox drain wait on a sign-up's PIN hash each, so their counts set the time).
``full`` is `make bench-full`: the 100,000-renewal run, 60-second load phases, 500 session
cycles, a 10,000 sign-up drain and two serve processes behind nginx, for a release or a
capacity question (hours). Both write ``bench-results.json`` with each figure's
floor and ratio (tests/benchmarks/report.py).

    python -m tests.benchmarks.profiles short --json bench-results.json
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

# module -> its arguments, per profile. kiosk_start runs in a keyring session (the kiosk's
# vault opens the Secret Service), the others without one.
PROFILES: dict[str, dict[str, list[str]]] = {
    "short": {
        "tests.benchmarks.kiosk_ui": ["--runs", "9"],
        "tests.benchmarks.kiosk_start": ["--runs", "5", "--stall-runs", "2", "--cycles", "30"],
        "tests.benchmarks.api_load": ["--seconds", "15", "--runs", "2", "--kiosks", "200"],
        "tests.benchmarks.renewals": ["--sizes", "300,3000", "--runs", "2"],
        "tests.benchmarks.sync_drain": ["--count", "200", "--runs", "3"],
    },
    "full": {
        "tests.benchmarks.kiosk_ui": ["--runs", "15"],
        "tests.benchmarks.kiosk_start": ["--runs", "7", "--stall-runs", "3", "--cycles", "500"],
        # and two serve processes behind the installer's nginx on PostgreSQL (needs nginx)
        "tests.benchmarks.api_load": ["--seconds", "60", "--runs", "3", "--kiosks", "200",
                                      "--two-processes", "--due", "2000"],
        "tests.benchmarks.renewals": ["--sizes", "1000,10000,100000", "--runs", "3"],
        "tests.benchmarks.sync_drain": ["--count", "10000", "--runs", "3"],
    },
}
IN_KEYRING_SESSION = {"tests.benchmarks.kiosk_start"}
ROOT = Path(__file__).resolve().parents[2]


def command(module: str, args: list[str], json_path: Path) -> list[str]:
    """The command line that runs one benchmark of a profile."""
    line = [sys.executable, "-m", module, *args, "--json", str(json_path)]
    if module in IN_KEYRING_SESSION:
        line = [str(ROOT / "scripts" / "with-keyring.sh"), *line]
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", choices=sorted(PROFILES))
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--only", help="run only the benchmark modules whose name contains this")
    args = parser.parse_args(argv)
    args.json.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    status = 0
    for module, module_args in PROFILES[args.profile].items():
        if args.only and args.only not in module:
            continue
        started = time.monotonic()
        done = subprocess.run(command(module, module_args, args.json), env=env, check=False)
        sys.stdout.write(f"-- {module}: {time.monotonic() - started:.0f} s"
                         f"{'' if done.returncode == 0 else f', failed ({done.returncode})'}\n")
        sys.stdout.flush()
        status = status or done.returncode
    sys.stdout.write(f"results: {args.json}\n")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
