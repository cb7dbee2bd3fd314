"""Card charges as records (docs/billing-rules.md, "Money that moves"): every charge is a row
before the gateway is asked, a conflict never refunds a charge a period or a journal uses, a
retry or a takeover of an in-flight key never refunds the first request's charge, and the
reconciler settles what a crash or a lost answer left, exactly once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from central.kernel.clock import ManualClock
from central.kernel.idempotency import IdempotencyRecord, purge_expired
from central.money import ledger
from central.money.gateway import ChargeResult
from central.money.gateway.models import GatewayCharge, GatewayRefund
from central.money.gateway.sandbox import SandboxGateway
from central.money.models import Charge, ChargeState, LedgerJournal
from central.money.reconciler import reconcile
from central.plans.models import Subscription, SubscriptionPeriod
from central.plans.renewals import run_renewals
from tests.central.family_support import MASTERCARD, Family
from tests.central.test_renewals import ChargesThenFails, ProcessDied
from tests.central.test_subscriptions import at, buy, count, one, renew, subscribe, travel


class HookedGateway(SandboxGateway):
    """The sandbox, with a hook that runs once, around the first charge whose key starts with
    ``prefix``: ``before`` while the charge is still to be made, ``after`` once it is."""

    def __init__(self, app: FastAPI, prefix: str, *, before: Callable[[], None] | None = None,
                 after: Callable[[], None] | None = None) -> None:
        services = app.state.services
        super().__init__(services.db, services.clock)
        self.prefix = prefix
        self.before = before
        self.after = after
        self.fired = False

    def charge(self, token: str, amount_cents: int, idempotency_key: str) -> ChargeResult:
        first = not self.fired and idempotency_key.startswith(self.prefix)
        self.fired = self.fired or first
        if first and self.before:
            self.before()
        result = super().charge(token, amount_cents, idempotency_key)
        if first and self.after:
            self.after()
        return result


class LostAnswer(SandboxGateway):
    """The sandbox, but the answer to the first charge is lost after the card was charged
    (a timeout on the way back)."""

    def __init__(self, app: FastAPI) -> None:
        services = app.state.services
        super().__init__(services.db, services.clock)
        self.lost = False

    def charge(self, token: str, amount_cents: int, idempotency_key: str) -> ChargeResult:
        result = super().charge(token, amount_cents, idempotency_key)
        if not self.lost:
            self.lost = True
            raise ConnectionError("the gateway's answer was lost")
        return result


def charges(app: FastAPI) -> list[Charge]:
    with app.state.services.db.transaction() as session:
        return list(session.scalars(select(Charge).order_by(Charge.created_at)))


def deposit_journals(app: FastAPI) -> int:
    return count(app, LedgerJournal, LedgerJournal.kind == "deposit")


def balance(app: FastAPI, account_id: str) -> int:
    with app.state.services.db.transaction() as session:
        return ledger.balance_cents(session, account_id)


# --- defect 1: a purchase never refunds its own charge ----------------------------------------


def test_replaying_a_purchase_key_after_the_subscription_expired_never_refunds_it(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    card = family.add_card()
    first = buy(family, mode="manual", card_id=card["id"], key="buy-once")
    assert first.status_code == 201, first.text
    clock.set(at(first.json()["period_end"]))
    assert renew(app, clock).expired == 1  # manual, not renewed
    travel(family, clock, timedelta(days=3))  # well past any 24 h retention
    again = buy(family, mode="manual", card_id=card["id"], key="buy-once")
    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert count(app, GatewayRefund) == 0 and count(app, GatewayCharge) == 1


def test_a_retry_taking_over_a_slow_purchase_never_refunds_the_only_charge(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    card = family.add_card()
    in_gateway, release = threading.Event(), threading.Event()

    def slow() -> None:
        in_gateway.set()
        assert release.wait(30)

    app.state.services.gateway = HookedGateway(app, "subscription:", before=slow)
    answers: list[Any] = []
    first = threading.Thread(target=lambda: answers.append(
        buy(family, card_id=card["id"], key="slow-buy")))
    first.start()
    assert in_gateway.wait(30)
    clock.advance(timedelta(seconds=61))  # the client gives up waiting and retries
    retry = buy(family, card_id=card["id"], key="slow-buy")
    assert retry.status_code == 201, retry.text
    release.set()
    first.join(30)
    assert answers[0].status_code == 201, answers[0].text
    assert answers[0].json()["id"] == retry.json()["id"]
    assert count(app, GatewayRefund) == 0 and count(app, GatewayCharge) == 1
    assert one(family, retry.json()["id"])["status"] == "active"
    assert [c.state for c in charges(app)] == [ChargeState.SETTLED]


def test_a_lost_race_refunds_only_the_charge_no_period_uses(
    family: Family, app: FastAPI
) -> None:
    subscribe(family)
    with app.state.services.db.transaction() as session:
        used = session.scalars(select(SubscriptionPeriod.charge_id)).one()
    assert used is not None
    from central.money.charges import is_referenced

    with app.state.services.db.transaction() as session:
        assert is_referenced(session, used)


# --- defect 3: renew-now racing the expiry at period end --------------------------------------


def test_renew_now_racing_the_expiry_renews_and_never_answers_expired(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    sub = subscribe(family, mode="manual")
    end = at(sub["period_end"])
    clock.set(end - timedelta(seconds=30))
    travel(family, clock, clock.now())
    services = app.state.services
    real = SandboxGateway(services.db, clock)

    def the_period_ends_meanwhile() -> None:
        clock.set(end + timedelta(seconds=5))
        run_renewals(services.db, real, clock, worker_id="scheduler")

    services.gateway = HookedGateway(app, "renewal:", after=the_period_ends_meanwhile)
    response = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-race")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "active"
    assert at(body["period_start"]) == end  # the paid period is the current one
    assert count(app, GatewayCharge) == 2 and count(app, GatewayRefund) == 0
    assert count(app, SubscriptionPeriod) == 2


# --- defect 4: an approved charge with no record ----------------------------------------------


def test_a_lost_deposit_answer_is_settled_by_the_retry_even_after_a_card_change(
    family: Family, app: FastAPI
) -> None:
    family.add_card()
    app.state.services.gateway = LostAnswer(app)
    lost = family.deposit(2000, key="dep-lost")
    assert lost.status_code == 500
    family.add_card(MASTERCARD)  # the family replaces the card, then tries again
    retried = family.deposit(2000, key="dep-lost")
    assert retried.status_code == 201, retried.text
    assert retried.json()["card"]["last4"] == "4242"  # the card that was charged
    assert balance(app, family.account_id) == 2000
    assert count(app, GatewayCharge) == 1 and deposit_journals(app) == 1


def test_the_reconciler_settles_a_deposit_whose_answer_was_lost(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    family.add_card()
    services = app.state.services
    services.gateway = LostAnswer(app)
    assert family.deposit(2000, key="dep-lost").status_code == 500
    assert reconcile(services.db, services.gateway, clock).examined == 0  # too early
    clock.advance(timedelta(minutes=5))
    report = reconcile(services.db, services.gateway, clock)
    assert (report.examined, report.settled) == (1, 1)
    assert balance(app, family.account_id) == 2000
    assert reconcile(services.db, services.gateway, clock).examined == 0  # exactly once
    travel(family, clock, clock.now())
    again = family.deposit(2000, key="dep-lost")  # the kiosk's retry gets the same deposit
    assert again.status_code == 201 and again.json()["balance_cents"] == 2000
    assert count(app, GatewayCharge) == 1 and deposit_journals(app) == 1


def test_two_reconcilers_at_once_settle_a_lost_deposit_once(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    """The scheduler of two servers (or one and ``lobby-central reconcile``) at the same
    moment: one of them posts the deposit, the other finds it done."""
    family.add_card()
    services = app.state.services
    services.gateway = LostAnswer(app)
    assert family.deposit(2000, key="dep-lost").status_code == 500
    clock.advance(timedelta(minutes=5))
    start = threading.Barrier(2)

    def run() -> Any:
        start.wait(timeout=10)
        return reconcile(services.db, services.gateway, clock)

    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda _: run(), range(2)))
    assert sum(r.failed for r in reports) == 0
    assert balance(app, family.account_id) == 2000
    assert count(app, GatewayCharge) == 1 and deposit_journals(app) == 1
    assert count(app, GatewayRefund) == 0
    assert [c.state for c in charges(app)] == [ChargeState.SETTLED]


def test_the_reconciler_finishes_a_renewal_whose_worker_died_after_the_charge(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    sub = subscribe(family)
    services = app.state.services
    clock.set(at(sub["period_end"]))
    with pytest.raises(ProcessDied):
        run_renewals(services.db, ChargesThenFails(services.gateway, ProcessDied()), clock,
                     worker_id="dead")
    clock.advance(timedelta(minutes=5))
    assert reconcile(services.db, services.gateway, clock).settled == 1
    with services.db.transaction() as session:
        renewed = session.get_one(Subscription, sub["id"])
        assert renewed.current_period_start == at(sub["period_end"])
        assert renewed.renewal_claim is None
    assert count(app, GatewayCharge) == 2 and count(app, SubscriptionPeriod) == 2


def test_the_reconciler_abandons_a_charge_the_gateway_never_saw(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    family.add_card()
    services = app.state.services

    def unreachable() -> None:
        raise ConnectionError("the gateway could not be reached")

    services.gateway = HookedGateway(app, "deposit:", before=unreachable)
    assert family.deposit(2000, key="dep-never").status_code == 500
    clock.advance(timedelta(minutes=5))
    assert reconcile(services.db, services.gateway, clock).waiting == 1
    clock.advance(timedelta(hours=1))
    assert reconcile(services.db, services.gateway, clock).abandoned == 1
    assert [c.state for c in charges(app)] == [ChargeState.ABANDONED]
    assert balance(app, family.account_id) == 0 and count(app, GatewayCharge) == 0


# --- defect 6: two clocks ---------------------------------------------------------------------


def test_a_past_as_of_run_beside_the_live_scheduler_charges_a_period_once(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    sub = subscribe(family)
    end = at(sub["period_end"])
    services = app.state.services
    as_of = ManualClock(end + timedelta(hours=1))  # renew --as-of, an hour after the end
    live = ManualClock(end + timedelta(days=40))  # the scheduler, much later

    def live_scheduler_runs() -> None:
        run_renewals(services.db, SandboxGateway(services.db, live), live, worker_id="live")

    hooked = HookedGateway(app, "renewal:", before=live_scheduler_runs)
    run_renewals(services.db, hooked, as_of, worker_id="as-of")
    with services.db.transaction() as session:
        keys = session.scalars(select(GatewayCharge.idempotency_key).where(
            GatewayCharge.idempotency_key.startswith("renewal:"))).all()
    assert len(keys) == 1


# --- idempotency records ----------------------------------------------------------------------


def test_records_of_created_resources_are_kept_and_others_purged(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    family.add_card()
    assert family.deposit(2000).status_code == 201
    services = app.state.services
    with services.db.transaction() as session:
        session.add(IdempotencyRecord(scope="test", key="failed-once", request_hash="x",
                                      created_at=clock.now()))
    clock.advance(timedelta(hours=25))
    assert purge_expired(services.db, clock) == 1
    with services.db.transaction() as session:
        kept = session.scalars(select(IdempotencyRecord.keep)).all()
    assert kept and all(kept)


@pytest.mark.usefixtures("call_platform")
def test_the_reconciler_authorizes_a_single_call_whose_answer_was_lost(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    from tests.central.rating_support import PLATFORM, authorized, rate

    offered = authorized(family.api, "single_call_available", phone="+17135550199")
    token = family.tokenize().json()["token"]
    services = app.state.services
    services.gateway = LostAnswer(app)
    paid = family.api.post(f"/v1/calls/{offered['call_id']}/single-call",
                           json={"token": token, "minutes": 5},
                           headers={"Idempotency-Key": "sc-lost", **PLATFORM})
    assert paid.status_code == 500
    clock.advance(timedelta(minutes=5))
    assert reconcile(services.db, services.gateway, clock).settled == 1
    rated = rate(family.api, offered["call_id"], 7 * 60).json()
    assert (rated["outcome"], rated["billed_minutes"], rated["charged_cents"]) == (
        "single_call", 5, 45)
    assert count(app, GatewayCharge) == 1 and count(app, GatewayRefund) == 0


def test_a_purchase_from_before_charges_were_rows_is_never_refunded_by_a_replay(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    """Upgraded data: the subscription and its period exist, no charges row does, and the
    request's record is gone; replaying the key must find the purchase done, not refund."""
    from sqlalchemy import delete, update

    from central.kernel.idempotency import IdempotencyRecord

    card = family.add_card()
    first = buy(family, card_id=card["id"], key="legacy")
    assert first.status_code == 201
    with app.state.services.db.transaction() as session:
        session.execute(update(SubscriptionPeriod).values(charge_id=None))
        session.execute(delete(Charge))
        session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.key == "legacy"))
        session.execute(update(Subscription).values(status="expired"))
    travel(family, clock, timedelta(days=2))
    again = buy(family, card_id=card["id"], key="legacy")
    assert again.status_code == 201, again.text
    assert again.json()["id"] == first.json()["id"]
    assert count(app, GatewayRefund) == 0 and count(app, GatewayCharge) == 1


# --- the scheduler runs the reconciler and the purge ------------------------------------------


@pytest.mark.usefixtures("call_platform")
def test_a_scheduler_round_reconciles_purges_and_gives_holds_back(
    family: Family, app: FastAPI, clock: ManualClock, mail_dir: Path
) -> None:
    """What ``lobby-central serve`` does every round besides renewals: settle a charge whose
    answer was lost, purge an expired Idempotency-Key record (keeping the deposit's), and
    give back the hold of a call that was never rated."""
    from central.calls.rating import HOLD_LASTS
    from central.mail.mailer import EmlFolderMailer
    from central.scheduler import RenewalScheduler
    from tests.central.rating_support import authorized, fund

    family.add_card()
    services = app.state.services
    services.gateway = LostAnswer(app)
    assert family.deposit(2000, key="dep-lost").status_code == 500
    with services.db.transaction() as session:
        session.add(IdempotencyRecord(scope="test", key="failed-once", request_hash="x",
                                      created_at=clock.now()))
    fund(app, family.account_id, 100)
    authorized(family.api, "charged")  # 99 c held for the longest call
    assert balance(app, family.account_id) == 1
    clock.advance(max(HOLD_LASTS, timedelta(hours=25)))
    RenewalScheduler(services.db, services.gateway, EmlFolderMailer(mail_dir, clock=clock),
                     clock, 60).run_once()
    assert [c.state for c in charges(app)] == [ChargeState.SETTLED]
    assert balance(app, family.account_id) == 2000 + 100
    with services.db.transaction() as session:
        records = {key: keep for key, keep in session.execute(
            select(IdempotencyRecord.key, IdempotencyRecord.keep))}
    assert "failed-once" not in records  # the sign-up's, the card's, the call's are kept
    assert len(records) == 3 and all(records.values()), records
    travel(family, clock, clock.now())
    again = family.deposit(2000, key="dep-lost")
    assert again.status_code == 201 and again.json()["balance_cents"] == 2100
    assert count(app, GatewayCharge) == 1
    assert deposit_journals(app) == 2  # the card's, once, and the 100 c funded directly


def test_every_card_charge_goes_through_a_charge_record() -> None:
    """Only :func:`central.money.charges.ask_gateway` asks the gateway to charge, so no card
    is ever charged without a ``charges`` row committed first."""
    import ast

    root = Path(__file__).resolve().parents[2] / "central"
    callers = []
    for path in root.rglob("*.py"):
        if "gateway" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "charge"):
                callers.append(str(path.relative_to(root)))
    assert callers == ["money/charges.py"]
