"""Each benchmark script runs to the end with its smallest settings and writes its rows, so
none of them rots between `make bench` runs. Speed is never asserted here: a figure that
misses its goal is `ok: false` in bench-results.json, not a failed test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import HEAVY


def _run(module: str, *args: str, tmp_path: Path) -> list[dict[str, object]]:
    out = tmp_path / "bench-results.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", module, *args, "--json", str(out)],
                          capture_output=True, text=True, timeout=600, env=env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    rows: list[dict[str, object]] = json.loads(out.read_text())
    return rows


@HEAVY
@pytest.mark.timeout(600)
def test_the_api_load_benchmark_runs(tmp_path: Path) -> None:
    rows = _run("tests.benchmarks.api_load", "--seconds", "1", "--runs", "1", "--kiosks", "4",
                tmp_path=tmp_path)
    names = [r["name"] for r in rows]
    assert names[:2] == ["api_mixed_p99", "api_mixed_throughput"]
    assert {"api_mixed_p99_postgres", "api_mixed_throughput_postgres"} <= set(names)
    assert all(r["value"] is not None or r.get("skipped") for r in rows)


@HEAVY
@pytest.mark.timeout(600)
def test_the_kiosk_start_benchmark_runs(tmp_path: Path) -> None:
    rows = _run("tests.benchmarks.kiosk_start", "--runs", "1", "--stall-runs", "1",
                "--cycles", "1", tmp_path=tmp_path)
    assert [r["name"] for r in rows] == [
        "kiosk_cold_start", "kiosk_peak_rss", "screen_switch_p95", "gui_stall_offline_max",
        "session_cycles_rss_growth"]
    assert all(isinstance(r["value"], float | int) for r in rows)


def test_both_bench_profiles_run_every_benchmark() -> None:
    """`make bench` and `make bench-full` (tests/benchmarks/profiles.py) leave no benchmark out."""
    from tests.benchmarks.profiles import PROFILES

    folder = Path(__file__).parent
    # api_profile is a profiler run by hand (docs/performance.md), not a benchmark: it
    # prints where the time goes and measures nothing against a goal.
    scripts = {f"tests.benchmarks.{p.stem}" for p in folder.glob("*.py")
               if "\ndef main(" in p.read_text() and p.stem not in ("profiles", "api_profile")}
    assert set(PROFILES["short"]) == scripts
    assert set(PROFILES["full"]) == scripts
