"""Crash safety with real crashes (docs/billing-rules.md, "Money that moves"): a real
``lobby-central serve`` process is killed with SIGKILL right after the gateway approves a
deposit, a purchase and a renewal; after a restart, ``lobby-central reconcile`` leaves every
charge with exactly one effect (a journal or a period) or exactly one refund.

``LOBBY_CRASH_ROUNDS`` sets the rounds per database (2 here; ``make soak`` runs more).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select, update

from central.db.engine import Database
from central.identity.kiosks import issue_enrollment_code
from central.kernel.clock import SystemClock
from central.money.gateway.models import GatewayCharge, GatewayRefund
from central.money.gateway.sandbox import CRASH_ENV
from central.money.models import Charge, ChargePurpose, ChargeState, LedgerJournal
from central.plans.models import Subscription, SubscriptionPeriod
from central.plans.periods import boundary
from central.plans.quote import TERMS_VERSION
from tests.central.family_support import PIN, VISA, registration
from tests.support import HEAVY, free_port

ROUNDS = int(os.environ.get("LOBBY_CRASH_ROUNDS", "2"))
HARBOR = "harbor-county-jail"


class CentralProcess:
    """``lobby-central serve`` in a child process, on a loopback port."""

    def __init__(self, url: str, log: Path, *, crash_after: str = "",
                 scheduler_seconds: float = 0, wait_ready: bool = True) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != CRASH_ENV}
        if crash_after:
            env[CRASH_ENV] = crash_after
        self._log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "central.cli", "serve", "--db", url, "--port",
             str(self.port), "--scheduler-interval", str(scheduler_seconds),
             "--mail-dir", str(log.parent / "mail")],
            env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while wait_ready:
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert self.process.poll() is None, "the server exited while starting"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)

    def killed_by_sigkill(self, timeout: float = 30) -> bool:
        return self.process.wait(timeout) == -signal.SIGKILL

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(30)
        self._log.close()


class Family:
    """A family using the process's API as a kiosk would."""

    def __init__(self, server: CentralProcess, kiosk_token: str, phone: str) -> None:
        self.kiosk = {"Authorization": f"Bearer {kiosk_token}"}
        self.phone = phone
        self.server = server
        created = self.call("POST", "/v1/accounts", registration(phone=phone), key="reg")
        assert created.status_code == 201, created.text
        self.account_id = created.json()["id"]
        self.sign_in()
        token = self.call("POST", "/v1/gateway/tokens", {
            "number": VISA, "exp_month": 12, "exp_year": 2040, "cvc": "123"}).json()["token"]
        card = self.call("POST", self.url("/payment-methods"), {"token": token}, key="card")
        assert card.status_code == 201, card.text
        self.card_id = card.json()["id"]

    def sign_in(self) -> None:
        response = self.call("POST", "/v1/sessions", {"phone": self.phone, "pin": PIN})
        assert response.status_code == 201, response.text
        self.session = {"X-Family-Session": response.json()["token"]}

    def url(self, tail: str) -> str:
        return f"/v1/accounts/{self.account_id}{tail}"

    def call(self, method: str, path: str, body: Any = None, key: str | None = None
             ) -> requests.Response:
        headers = {**self.kiosk, **getattr(self, "session", {})}
        if key:
            headers["Idempotency-Key"] = f"{key}-{self.phone}"
        return requests.request(method, self.server.base + path, json=body, headers=headers,
                                timeout=30)

    def buy(self, plan: str, mode: str, key: str) -> requests.Response:
        choice = {"plan_id": f"{HARBOR}:{plan}", "renewal_mode": mode}
        quoted = self.call("POST", self.url("/subscriptions/quote"), choice).json()
        return self.call("POST", self.url("/subscriptions"), {
            **choice, "payment_method_id": self.card_id, "terms_version": TERMS_VERSION,
            "accept_terms": True, "quoted_total_cents": quoted["price_cents"]}, key=key)


def _crashes(server: CentralProcess, request: Any) -> None:
    with pytest.raises(requests.ConnectionError):
        request()
    assert server.killed_by_sigkill(), "the server should have been killed after approval"


def _make_due(db: Database, subscription_id: str) -> None:
    """Move a subscription's first period into the past, so its renewal is due now."""
    anchor = datetime.now(UTC).replace(microsecond=0) - timedelta(days=35)
    with db.transaction() as session:
        session.execute(update(Subscription).where(Subscription.id == subscription_id).values(
            period_anchor=anchor, current_period_start=anchor,
            current_period_end=boundary(anchor, 1, "America/Chicago")))


def _one_crash_round(url: str, log: Path, db: Database, kiosk_token: str, n: int) -> None:
    phone = f"+1713555{1000 + n:04d}"
    server = CentralProcess(url, log)
    try:
        family = Family(server, kiosk_token, phone)
        renewing = family.buy("call-100", "auto", "buy-calls")
        assert renewing.status_code == 201, renewing.text
    finally:
        server.stop()

    server = CentralProcess(url, log, crash_after="deposit")
    family.server = server
    _crashes(server, lambda: family.call("POST", family.url("/advance-connect/deposits"),
                                         {"amount_cents": 2000}, key="deposit"))
    server = CentralProcess(url, log, crash_after="subscription")
    family.server = server
    _crashes(server, lambda: family.buy("video-8", "manual", "buy-video"))
    _make_due(db, renewing.json()["id"])
    # The scheduler's first round runs at start-up: it may die before it answers at all.
    server = CentralProcess(url, log, crash_after="renewal", scheduler_seconds=0.2,
                            wait_ready=False)
    assert server.killed_by_sigkill(), "the scheduler's renewal should have killed it"

    server = CentralProcess(url, log)  # the restart
    try:
        done = subprocess.run([sys.executable, "-m", "central.cli", "reconcile", "--db", url,
                               "--older-than", "0"], capture_output=True, text=True,
                              timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        family.server = server
        family.sign_in()
        account = family.call("GET", family.url("")).json()
        assert account["balance_cents"] == 2000
        services = {s["service"] for s in account["subscriptions"]}
        assert services == {"calls", "video"}
        renewed = family.call("GET", family.url(f"/subscriptions/{renewing.json()['id']}"))
        assert renewed.json()["period_index"] == 1
    finally:
        server.stop()
    _every_charge_has_one_outcome(db, family.account_id)


def _every_charge_has_one_outcome(db: Database, account_id: str) -> None:
    with db.transaction() as session:
        rows = list(session.scalars(select(Charge).where(Charge.account_id == account_id)))
        assert sorted(c.purpose for c in rows) == sorted([
            ChargePurpose.SUBSCRIPTION, ChargePurpose.SUBSCRIPTION, ChargePurpose.DEPOSIT,
            ChargePurpose.RENEWAL])
        for charge in rows:
            journals = session.scalar(select(func.count()).select_from(LedgerJournal)
                                      .where(LedgerJournal.charge_id == charge.id))
            periods = session.scalar(select(func.count()).select_from(SubscriptionPeriod)
                                     .where(SubscriptionPeriod.charge_id == charge.id))
            gateway = session.scalars(select(GatewayCharge).where(
                GatewayCharge.idempotency_key == charge.gateway_key)).one()
            refunds = session.scalar(select(func.count()).select_from(GatewayRefund)
                                     .where(GatewayRefund.charge_id == gateway.id))
            effects = (journals or 0) + (periods or 0)
            assert charge.state in (ChargeState.SETTLED, ChargeState.REFUNDED), charge.state
            if charge.state is ChargeState.SETTLED:
                assert (effects, refunds) == (1, 0), charge.gateway_key
            else:
                assert (effects, refunds) == (0, 1), charge.gateway_key


@HEAVY
@pytest.mark.timeout(300 + 300 * ROUNDS)  # child processes: slow on a busy machine
def test_sigkill_after_approval_ends_in_one_effect_or_one_refund(
    seeded_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    db = Database(seeded_url)
    try:
        server = CentralProcess(seeded_url, log)
        try:
            code = issue_enrollment_code(db, SystemClock(), HARBOR)
            enrolled = requests.post(server.base + "/v1/kiosks/enroll",
                                     json={"code": code, "name": "Lobby 1"}, timeout=30)
            assert enrolled.status_code == 201, enrolled.text
            token = enrolled.json()["token"]
            requests.post(server.base + "/v1/kiosks/enroll/confirm",
                          headers={"Authorization": f"Bearer {token}"},
                          timeout=30).raise_for_status()
        finally:
            server.stop()
        for n in range(ROUNDS):
            _one_crash_round(seeded_url, log, db, token, n)
    finally:
        db.dispose()
