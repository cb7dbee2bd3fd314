"""The served OpenAPI document is the contract: schemathesis runs every check against a real
`lobby-central serve` process and must find no server error and no undocumented answer,
including its stateful phase, which follows the document's links between operations, once
as each of two families. The seed changes every run and is printed (set
KIOSK_SCHEMATHESIS_SEED to replay one)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from central.plans.quote import TERMS_VERSION
from tests.central.family_support import PIN, registration
from tests.support import HEAVY, free_port

ROOT = Path(__file__).resolve().parents[2]
# A new seed each run finds what a fixed one never would; printed, it can be replayed.
SEED = os.environ.get("KIOSK_SCHEMATHESIS_SEED") or str(random.SystemRandom().randrange(2**31))
# Examples per operation in the generated phases: 30 in `make test` (a new seed every run, so
# the runs add up), 150 in `make soak`.
MAX_EXAMPLES = os.environ.get("KIOSK_SCHEMATHESIS_EXAMPLES", "30")


def _cli(db: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "central.cli", *args, "--db", db],
        capture_output=True, text=True, check=True, timeout=120,
    )
    return done.stdout.strip()


@dataclass(frozen=True)
class FuzzFamily:
    """A signed-in family with a card on file and a subscription."""

    account_id: str
    session: str
    subscription_id: str


@dataclass(frozen=True)
class Served:
    url: str
    kiosk_token: str
    families: tuple[FuzzFamily, FuzzFamily]
    staff_session: str
    platform_token: str


def _family(url: str, kiosk: dict[str, str], phone: str, tag: str) -> FuzzFamily:
    account = requests.post(url + "/v1/accounts", json=registration(phone=phone), timeout=10,
                            headers={**kiosk, "Idempotency-Key": f"st-{tag}"}).json()
    family = requests.post(url + "/v1/sessions", json={"phone": phone, "pin": PIN},
                           headers=kiosk, timeout=10).json()
    # A card on file and a subscription, so the fuzzer reaches past "not found" too.
    signed_in = {**kiosk, "X-Family-Session": family["token"]}
    account_url = f"{url}/v1/accounts/{account['id']}"
    card = requests.post(url + "/v1/gateway/tokens", headers=kiosk, timeout=10, json={
        "number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}).json()
    method = requests.post(account_url + "/payment-methods", json={"token": card["token"]},
                           headers={**signed_in, "Idempotency-Key": f"st-card-{tag}"},
                           timeout=10).json()
    choice = {"plan_id": "harbor-county-jail:call-100", "renewal_mode": "auto"}
    quoted = requests.post(account_url + "/subscriptions/quote", json=choice,
                           headers=signed_in, timeout=10).json()
    subscription = requests.post(account_url + "/subscriptions", timeout=10, json={
        **choice, "payment_method_id": method["id"], "terms_version": TERMS_VERSION,
        "accept_terms": True, "quoted_total_cents": quoted["price_cents"]},
        headers={**signed_in, "Idempotency-Key": f"st-sub-{tag}"}).json()
    return FuzzFamily(account["id"], family["token"], subscription["id"])


@pytest.fixture
def served(seeded_url: str, tmp_path: Path) -> Iterator[Served]:
    """A real server process on loopback, an enrolled kiosk, and a family and a supervisor
    signed in at it, so the fuzzer reaches past the sign-in checks."""
    code = _cli(seeded_url, "kiosk-code", "--facility", "harbor-county-jail")
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "central.cli", "serve", "--db", seeded_url,
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(url + "/healthz", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        token = requests.post(url + "/v1/kiosks/enroll", json={"code": code, "name": "st"},
                              timeout=5).json()["token"]
        kiosk = {"Authorization": f"Bearer {token}"}
        requests.post(url + "/v1/kiosks/enroll/confirm", headers=kiosk,
                      timeout=5).raise_for_status()
        families = (_family(url, kiosk, "(713) 555-0142", "a"),
                    _family(url, kiosk, "(713) 555-0143", "b"))
        staff = requests.post(url + "/v1/staff/sessions", json={"badge_id": "1001",
                              "pin": "2468"}, headers=kiosk, timeout=10).json()
        platform = _cli(seeded_url, "platform-token", "--facility", "harbor-county-jail")
        yield Served(url, token, families, staff["token"], platform)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_openapi_is_served_with_every_error_documented(served: Served) -> None:
    url = served.url
    spec = requests.get(url + "/openapi.json", timeout=5).json()
    assert spec["info"]["title"] == "Lobby Kiosk central API"
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            if method == "post" and ("requestBody" in operation or operation.get("parameters")):
                assert statuses & {"400", "422"}, f"{method} {path} documents no input error"
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert "application/problem+json" in response["content"], (path, status)


def _schemathesis(served: Served, tmp_path: Path, token: str, *filters: str,
                  family: FuzzFamily | None = None,
                  capsys: pytest.CaptureFixture[str] | None = None) -> None:
    family = family or served.families[0]
    if capsys is not None:
        with capsys.disabled():
            print(f"\nschemathesis seed {SEED} (KIOSK_SCHEMATHESIS_SEED={SEED} replays it)")
    binary = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert binary, "schemathesis is a test dependency"
    done = subprocess.run(
        [binary, "--config-file", str(ROOT / "schemathesis.toml"), "run",
         f"{served.url}/openapi.json", "--checks", "all", "--seed", SEED,
         "--max-examples", MAX_EXAMPLES, *filters,
         "--header", f"Authorization: Bearer {token}",
         "--header", f"X-Family-Session: {family.session}",
         "--header", f"X-Staff-Session: {served.staff_session}",
         "--request-timeout", "20", "--no-color"],
        capture_output=True, text=True, timeout=900, cwd=tmp_path, check=False,
        env={**os.environ, "KIOSK_ST_ACCOUNT_ID": family.account_id,
             "KIOSK_ST_SUBSCRIPTION_ID": family.subscription_id},
    )
    assert done.returncode == 0, (f"seed {SEED}\n" + done.stdout[-6000:]
                                  + done.stderr[-2000:] + _server_errors(tmp_path))


def _server_errors(tmp_path: Path) -> str:
    """The server's tracebacks, so a 500 in CI's output names its cause."""
    log = (tmp_path / "server.log").read_text(errors="replace")
    start = log.find("Traceback")
    return "" if start < 0 else "\nserver log:\n" + log[start:][-4000:]


def test_the_document_links_operations_for_the_stateful_phase(served: Served) -> None:
    spec = requests.get(served.url + "/openapi.json", timeout=5).json()
    operation_ids = {op["operationId"] for ops in spec["paths"].values() for op in ops.values()}
    links = [(path, name, link) for path, ops in spec["paths"].items()
             for op in ops.values() for response in op["responses"].values()
             for name, link in response.get("links", {}).items()]
    assert len(links) >= 10
    for path, name, link in links:
        assert link["operationId"] in operation_ids, (path, name)
    created = spec["paths"]["/v1/accounts"]["post"]["responses"]["201"]["links"]
    assert created["ReadAccount"]["parameters"] == {"account_id": "$response.body#/id"}


# Every phase of a fuzzing run takes minutes on a 2-core machine; the subprocess has its own
# 900 s bound.
SCHEMATHESIS_TIMEOUT = pytest.mark.timeout(960)


@HEAVY
@pytest.mark.slow
@SCHEMATHESIS_TIMEOUT
def test_schemathesis_as_a_kiosk_finds_no_server_error_or_undocumented_answer(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every phase, the stateful one included, as the first family."""
    _schemathesis(served, tmp_path, served.kiosk_token, "--exclude-path-regex", "^/v1/calls",
                  capsys=capsys)


@HEAVY
@pytest.mark.slow
@SCHEMATHESIS_TIMEOUT
def test_schemathesis_stateful_phase_as_the_second_family(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The links followed again as the other family, whose account and subscription the
    first run never touched; what the first family created is there to be refused."""
    _schemathesis(served, tmp_path, served.kiosk_token, "--exclude-path-regex", "^/v1/calls",
                  "--phases", "stateful", family=served.families[1], capsys=capsys)


@HEAVY
@pytest.mark.slow
@SCHEMATHESIS_TIMEOUT
def test_schemathesis_as_the_call_platform_finds_no_server_error_or_undocumented_answer(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _schemathesis(served, tmp_path, served.platform_token, "--include-path-regex", "^/v1/calls",
                  capsys=capsys)
