"""The demo clock (issue 7): ``lobby-central serve --demo-clock START`` runs the server from
START, a supervisor moves it forward through one route, /healthz shows it, PostgreSQL
refuses it; and a subscription bought on Jan 31 renews to Feb 28 and Mar 31 through the API
alone."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from fastapi.testclient import TestClient

from central.plans.quote import TERMS_VERSION
from tests.central.family_support import PIN, PROBLEM, VISA, registration
from tests.support import free_port

CHICAGO = ZoneInfo("America/Chicago")
START = "2027-01-31T18:00:00Z"  # noon on Jan 31 in Harbor County


def _cli(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "central.cli", *args, "--db", db],
                          capture_output=True, text=True, timeout=120, check=False)


@dataclass
class DemoServer:
    url: str
    kiosk: dict[str, str]

    def get(self, path: str, **headers: str) -> Any:
        return requests.get(self.url + path, headers={**self.kiosk, **headers}, timeout=20)

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return requests.post(self.url + path, json=body, headers={**self.kiosk, **headers},
                             timeout=20)


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[DemoServer]:
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    for step in (("migrate",), ("seed-demo",)):
        assert _cli(db, *step).returncode == 0
    code = _cli(db, "kiosk-code", "--facility", "harbor-county-jail").stdout.strip()
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "central.cli", "serve", "--db", db, "--host", "127.0.0.1",
         "--port", str(port), "--demo-clock", START, "--scheduler-interval", "0.2",
         "--mail-dir", str(tmp_path / "mail")],
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
        enrolled = requests.post(url + "/v1/kiosks/enroll", json={"code": code, "name": "d"},
                                 timeout=10)
        assert enrolled.status_code == 201, enrolled.text
        bearer = {"Authorization": f"Bearer {enrolled.json()['token']}"}
        requests.post(url + "/v1/kiosks/enroll/confirm", headers=bearer,
                      timeout=10).raise_for_status()
        yield DemoServer(url, bearer)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _local_day(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone(CHICAGO).strftime("%Y-%m-%d")


def _family_headers(server: DemoServer) -> dict[str, str]:
    # Signed in anew after each jump: a month of demo time ends any session.
    opened = server.post("/v1/sessions", {"phone": "(713) 555-0142", "pin": PIN})
    assert opened.status_code == 201, opened.text
    return {"X-Family-Session": opened.json()["token"]}


def _move_past(server: DemoServer, when: str) -> None:
    staff = server.post("/v1/staff/sessions", {"badge_id": "1001", "pin": "2468"})
    assert staff.status_code == 201, staff.text
    now = datetime.fromisoformat(server.get("/healthz").json()["time"])
    step = int((datetime.fromisoformat(when) - now).total_seconds()) + 60
    moved = server.post("/v1/admin/demo-clock", {"advance_seconds": step},
                        **{"X-Staff-Session": staff.json()["token"]})
    assert moved.status_code == 200, moved.text
    assert datetime.fromisoformat(moved.json()["now"]) > datetime.fromisoformat(when)


def _wait_for_period_after(server: DemoServer, url: str, ended: str) -> dict[str, Any]:
    headers = _family_headers(server)
    deadline = time.monotonic() + 30
    while True:
        subscription: dict[str, Any] = server.get(url, **headers).json()
        if subscription["period_start"] == ended:
            return subscription
        assert time.monotonic() < deadline, f"no renewal: {subscription}"
        time.sleep(0.2)


def test_a_subscription_bought_on_jan_31_renews_to_feb_28_and_mar_31(
    demo_server: DemoServer,
) -> None:
    server = demo_server
    health = server.get("/healthz").json()
    assert health["clock"] == "demo"
    assert health["demo_clock_started_at"].startswith("2027-01-31T18:00:00")
    assert health["time"].startswith("2027-01-31T18:0")
    account = server.post("/v1/accounts", registration(), **{"Idempotency-Key": "demo-reg"})
    assert account.status_code == 201, account.text
    account_url = f"/v1/accounts/{account.json()['id']}"
    family = _family_headers(server)
    card = server.post("/v1/gateway/tokens", {"number": VISA, "exp_month": 12,
                                              "exp_year": 2040, "cvc": "123"}).json()
    method = server.post(account_url + "/payment-methods", {"token": card["token"]},
                         **family, **{"Idempotency-Key": "demo-card"})
    assert method.status_code == 201, method.text
    choice = {"plan_id": "harbor-county-jail:call-100", "renewal_mode": "auto"}
    quoted = server.post(account_url + "/subscriptions/quote", choice, **family).json()
    bought = server.post(account_url + "/subscriptions", {
        **choice, "payment_method_id": method.json()["id"], "terms_version": TERMS_VERSION,
        "accept_terms": True, "quoted_total_cents": quoted["price_cents"]},
        **family, **{"Idempotency-Key": "demo-sub"})
    assert bought.status_code == 201, bought.text
    first = bought.json()
    assert (_local_day(first["period_start"]), _local_day(first["period_end"])) == (
        "2027-01-31", "2027-02-28")
    url = f"{account_url}/subscriptions/{first['id']}"

    _move_past(server, first["period_end"])
    second = _wait_for_period_after(server, url, first["period_end"])
    assert second["status"] == "active" and second["period_index"] == first["period_index"] + 1
    assert _local_day(second["period_end"]) == "2027-03-31"

    _move_past(server, second["period_end"])
    third = _wait_for_period_after(server, url, second["period_end"])
    assert (_local_day(third["period_start"]), _local_day(third["period_end"])) == (
        "2027-03-31", "2027-04-30")


def test_the_demo_family_the_readme_names_can_sign_in_at_once(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """Issue 19, item 9: `make demo` had no family account; the README names one (phone
    (956) 555-0173, PIN 4826), loaded by `seed-demo` through the sign-up's own rules, with
    Ana López at Harbor County Jail as their loved one; loading again adds nothing."""
    opened = demo_server.post("/v1/sessions", {"phone": "(956) 555-0173", "pin": "4826"})
    assert opened.status_code == 201, opened.text
    again = _cli(f"sqlite:///{tmp_path / 'central.sqlite3'}", "seed-demo")
    assert again.returncode == 0 and "demo family already present" in again.stderr


def test_the_route_is_409_on_the_real_clock_and_supervisors_only(
    kiosk_api: TestClient, supervisor_headers: dict[str, str]
) -> None:
    health = kiosk_api.get("/healthz").json()
    assert health["clock"] == "system" and health["demo_clock_started_at"] is None
    off = kiosk_api.post("/v1/admin/demo-clock", json={"advance_seconds": 60},
                         headers=supervisor_headers)
    assert off.status_code == 409
    assert off.headers["content-type"] == PROBLEM
    assert off.json()["code"] == "demo_clock_off"
    assert kiosk_api.post("/v1/admin/demo-clock",
                          json={"advance_seconds": 60}).status_code == 401


def test_postgresql_and_a_time_without_offset_are_refused(tmp_path: Path) -> None:
    refused = _cli("postgresql://nobody@127.0.0.1:1/none", "serve", "--demo-clock", START,
                   "--mail-dir", str(tmp_path))
    assert refused.returncode == 2
    assert "only on a SQLite database" in refused.stderr
    naive = _cli(f"sqlite:///{tmp_path / 'x.sqlite3'}", "serve", "--demo-clock",
                 "2027-01-31T18:00:00", "--mail-dir", str(tmp_path))
    assert naive.returncode == 2 and "offset" in naive.stderr
