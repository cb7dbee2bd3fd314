"""PIN hashes (docs/testing.md "PIN hashes in tests"): argon2id with the library's defaults
on every server, argon2's cheapest profile only where the test suite's switch is set, and a
PIN checked with whatever parameters its hash was written with."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from central.identity.security import CHEAP_PIN_HASHES, hash_pin, verify_pin
from tests.central.test_crash_recovery import CentralProcess

STRONG = "$argon2id$v=19$m=65536,t=3,p=4$"


def test_a_server_hashes_pins_with_argon2id_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CHEAP_PIN_HASHES)
    strong = hash_pin("4826")
    assert strong.startswith(STRONG)
    assert verify_pin(strong, "4826") and not verify_pin(strong, "4827")


def test_the_suites_switch_gives_the_cheapest_profile_and_either_hash_checks() -> None:
    cheap = hash_pin("4826")
    assert cheap.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert verify_pin(cheap, "4826") and not verify_pin(cheap, "0000")
    assert not verify_pin("not a hash", "4826")


def test_a_fresh_process_without_the_switch_hashes_strongly() -> None:
    """What a deployment runs: nothing imported at start sets the switch."""
    env = {k: v for k, v in os.environ.items() if k != CHEAP_PIN_HASHES}
    out = subprocess.run(
        [sys.executable, "-c",
         "from central.identity.security import hash_pin; print(hash_pin('1234'))"],
        env=env, capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.startswith(STRONG)


def test_serve_says_loudly_when_the_switch_is_on(sqlite_url: str, tmp_path: Path) -> None:
    assert os.environ.get(CHEAP_PIN_HASHES) == "1"  # set by tests/conftest.py
    log = tmp_path / "serve.log"
    server = CentralProcess(sqlite_url, log)
    server.stop()
    assert f"TESTS ONLY: {CHEAP_PIN_HASHES}=1" in log.read_text()
