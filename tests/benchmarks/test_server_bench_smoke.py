"""Tiny runs of the server benchmarks (``make bench`` runs them full size), so they cannot
rot: every row is written in the shared format, and the runs check their own results
(one charge per subscription, every sign-up sent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.benchmarks import renewals, sync_drain


def test_renewals_benchmark_runs_small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    monkeypatch.delenv("KIOSK_TEST_PG_URL", raising=False)  # SQLite here; PG is for make bench
    out = tmp_path / "bench.json"
    assert renewals.main(["--sizes", "20,40", "--runs", "1", "--json", str(out)]) == 0
    rows = {r["name"]: r for r in json.loads(out.read_text())}
    assert rows["renewals_100k"]["skipped"]
    assert rows["renewals_per_worker"]["value"] > 0
    assert rows["renewals_peak_rss"]["runs"] == 1


def test_sync_drain_benchmark_runs_small(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    assert sync_drain.main(["--count", "3", "--runs", "1", "--json", str(out)]) == 0
    [drain] = json.loads(out.read_text())
    # Only its shape: under pytest PINs hash cheaply (docs/testing.md "PIN hashes in
    # tests"), so three sign-ups can beat the floor's bare POSTs; make bench hashes for real.
    assert drain["name"] == "sync_drain_10k" and drain["value"] > 0 and drain["floor"] > 0
    assert drain["ratio"] == pytest.approx(drain["value"] / drain["floor"], rel=0.05, abs=0.01)
