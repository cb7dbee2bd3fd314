"""Subscriptions through the API: quote, purchase with consent (rules 1-3, 8), one active per
service, cancel / resume, pending renewal changes (rule 7), renew-now (rule 6), usage (12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from central.kernel.clock import ManualClock
from central.kernel.facilities import Facility, Plan, PlanKind
from central.mail.models import OutgoingMail
from central.mail.outbox import message_of
from central.money.gateway.models import GatewayCharge
from central.plans.coverage import count_covered_use
from central.plans.models import Subscription, SubscriptionPeriod
from central.plans.quote import TERMS_VERSION
from central.plans.renewals import RenewalReport, run_renewals
from tests.central.family_support import (
    DECLINE,
    MASTERCARD,
    PROBLEM,
    Family,
    new_key,
    sign_in,
)

CALLS = "harbor-county-jail:call-100"
VIDEO_8 = "harbor-county-jail:video-8"
VIDEO_UNLIMITED = "harbor-county-jail:video-unlimited"


# --- helpers, shared with the renewal tests ---------------------------------------------------


def quote(family: Family, plan_id: str = CALLS, mode: str = "auto") -> Any:
    return family.post("/subscriptions/quote", {"plan_id": plan_id, "renewal_mode": mode})


def price_of(family: Family, plan_id: str) -> int:
    """The plan's price as the family is quoted it (1 for a plan nobody sells)."""
    facility = family.api.get(f"/v1/facilities/{plan_id.partition(':')[0]}")
    plans = facility.json().get("plans", []) if facility.status_code == 200 else []
    return next((int(p["price_cents"]) for p in plans if p["id"] == plan_id), 1)


def buy(family: Family, plan_id: str = CALLS, mode: str = "auto", *, card_id: str | None = None,
        key: str | None = None, **changes: Any) -> Any:
    body: dict[str, Any] = {
        "plan_id": plan_id, "renewal_mode": mode, "payment_method_id": card_id,
        "terms_version": TERMS_VERSION, "accept_terms": True,
        "quoted_total_cents": price_of(family, plan_id),
    }
    body.update(changes)
    return family.post("/subscriptions", body, key or new_key("sub"))


def subscribe(family: Family, plan_id: str = CALLS, mode: str = "auto",
              number: str | None = None) -> dict[str, Any]:
    """Put a card on file (unless one is) and buy ``plan_id``; returns the subscription."""
    cards = family.get("/payment-methods").json()
    card = family.add_card(number) if number else (cards[0] if cards else family.add_card())
    response = buy(family, plan_id, mode, card_id=card["id"])
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def renew(app: FastAPI, clock: ManualClock, worker: str = "test-worker") -> RenewalReport:
    services = app.state.services
    return run_renewals(services.db, services.gateway, clock, worker_id=worker)


def count(app: FastAPI, model: Any, *where: Any) -> int:
    with app.state.services.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def mail_keys(app: FastAPI) -> list[str]:
    with app.state.services.db.transaction() as session:
        return list(session.scalars(select(OutgoingMail.dedupe_key).order_by(OutgoingMail.id)))


def mail_text(app: FastAPI, prefix: str) -> str:
    """Subject and plain text of the queued mail whose key starts with ``prefix``, worded
    as delivery words it."""
    with app.state.services.db.transaction() as session:
        messages = [message_of(row) for row in session.scalars(
            select(OutgoingMail).where(OutgoingMail.dedupe_key.startswith(prefix)))]
    return "\n".join(f"{m['Subject']}\n{m.get_body(('plain',)).get_content()}"  # type: ignore[union-attr]
                     for m in messages)


def one(family: Family, subscription_id: str) -> dict[str, Any]:
    response = family.get(f"/subscriptions/{subscription_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def travel(family: Family, clock: ManualClock, when: datetime | timedelta) -> None:
    """Move the clock, and sign in again: family sessions last an hour at most."""
    if isinstance(when, datetime):
        clock.set(when)
    else:
        clock.advance(when)
    response = sign_in(family.api)
    assert response.status_code == 201, response.text
    family.token = response.json()["token"]


# --- quote (rules 1-3, 8) ---------------------------------------------------------------------


def test_quote_shows_price_period_coverage_and_terms(family: Family, clock: ManualClock) -> None:
    travel(family, clock, datetime(2026, 1, 15, 17, 0, 12, 345678, tzinfo=UTC))
    response = quote(family)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["price_cents"] == 3999 and body["allotment"] == 100
    assert body["covered_destinations"] == ["in_state"]
    assert "in-state" in body["coverage"] and "not included" in body["coverage"]
    # Anniversary from now, in whole seconds, in the facility's zone (Chicago).
    assert at(body["period_start"]) == datetime(2026, 1, 15, 17, 0, 12, tzinfo=UTC)
    assert at(body["period_end"]) == datetime(2026, 2, 15, 17, 0, 12, tzinfo=UTC)
    assert body["facility_timezone"] == "America/Chicago"
    assert body["terms_version"] == TERMS_VERSION == body["terms"]["version"]
    assert body["terms"]["refundable"] is False and "No refunds" in body["terms"]["text"]


def test_video_quotes_sessions_and_unlimited(family: Family) -> None:
    bundle = quote(family, VIDEO_8).json()
    assert (bundle["service"], bundle["allotment"], bundle["covered_destinations"]) == (
        "video", 8, [])
    assert "8 video sessions" in bundle["coverage"]
    unlimited = quote(family, VIDEO_UNLIMITED).json()
    assert unlimited["allotment"] is None and "Unlimited" in unlimited["coverage"]


def test_spanish_family_gets_spanish_terms(kiosk_api: Any) -> None:
    from tests.central.family_support import open_family

    family = open_family(kiosk_api, phone="(713) 555-0177", language="es")
    assert "Sin reembolsos" in quote(family).json()["terms"]["text"]


@pytest.mark.parametrize(
    "plan_id",
    ["mesa-valley-detention:call-100",  # a participating facility the family is not linked to
     "nowhere:call-100"],
)
def test_rule1_plans_only_where_the_family_is_linked(family: Family, plan_id: str) -> None:
    for response in (quote(family, plan_id), buy(family, plan_id, card_id="x")):
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM
        assert (response.json()["code"], response.json()["field"]) == ("plan_not_offered",
                                                                        "plan_id")


def test_rule1_plan_at_a_non_participating_facility_is_refused(
    family: Family, app: FastAPI
) -> None:
    family.add_card()
    with app.state.services.db.transaction() as session:
        session.execute(update(Facility).where(Facility.id == "harbor-county-jail")
                        .values(offers_subscriptions=False))
    assert quote(family).json()["code"] == "plan_not_offered"
    assert buy(family, card_id=None, renewal_mode="manual").json()["code"] == "plan_not_offered"
    assert count(app, GatewayCharge) == 0


def test_inactive_plan_is_not_offered(family: Family, app: FastAPI) -> None:
    with app.state.services.db.transaction() as session:
        session.execute(update(Plan).where(Plan.id == CALLS).values(active=False))
    assert quote(family).json()["code"] == "plan_not_offered"


# --- purchase ---------------------------------------------------------------------------------


def test_rule8_purchase_needs_consent_to_the_no_refund_terms(family: Family, app: FastAPI
                                                             ) -> None:
    card = family.add_card()
    refused = buy(family, card_id=card["id"], accept_terms=False)
    assert refused.status_code == 422, refused.text
    assert (refused.json()["code"], refused.json()["field"]) == ("terms_not_accepted",
                                                                 "accept_terms")
    missing = family.post("/subscriptions", {"plan_id": CALLS, "renewal_mode": "auto",
                                             "payment_method_id": card["id"],
                                             "terms_version": TERMS_VERSION,
                                             "quoted_total_cents": price_of(family, CALLS)},
                          new_key())
    assert missing.status_code == 422 and missing.json()["field"] == "accept_terms"
    stale = buy(family, card_id=card["id"], terms_version="old-terms")
    assert stale.status_code == 409 and stale.json()["code"] == "terms_changed"
    assert count(app, GatewayCharge) == 0 and count(app, Subscription) == 0


def test_purchase_charges_once_and_starts_the_first_period(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    travel(family, clock, datetime(2026, 1, 15, 17, 0, 0, 900000, tzinfo=UTC))
    card = family.add_card()
    first = buy(family, card_id=card["id"], key="buy-once")
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["status"], body["renewal_mode"], body["price_cents"]) == ("active", "auto", 3999)
    assert (body["used"], body["remaining"], body["period_index"]) == (0, 100, 0)
    assert body["card"]["brand"] == "visa" and body["card"]["last4"] == "4242"
    assert body["cancel_at_period_end"] is False and body["pending_change"] is None
    assert at(body["period_start"]) == datetime(2026, 1, 15, 17, 0, tzinfo=UTC)
    again = buy(family, card_id=card["id"], key="buy-once")
    assert again.json() == body and again.headers["Idempotent-Replayed"] == "true"
    with app.state.services.db.transaction() as session:
        [charge] = session.scalars(select(GatewayCharge)).all()
        [period] = session.scalars(select(SubscriptionPeriod)).all()
    assert charge.amount_cents == 3999
    assert charge.idempotency_key == f"subscription:{body['id']}"
    assert period.charge_key == charge.idempotency_key
    assert mail_keys(app) == [f"receipt:subscription:{body['id']}:2026-01-15T17:00:00Z"]
    receipt = mail_text(app, "receipt:")
    assert "Receipt: Call Subscription" in receipt and "No refunds" in receipt


def test_a_retry_long_after_a_crash_between_charge_and_commit_charges_once(
    family: Family, app: FastAPI, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import central.plans.purchases as routes

    card = family.add_card()
    real_start = routes.start_subscription
    crashes = iter([True])

    def crash_once(*args: Any, **kwargs: Any) -> Any:
        if next(crashes, False):
            raise RuntimeError("the process died after the charge")
        return real_start(*args, **kwargs)

    monkeypatch.setattr(routes, "start_subscription", crash_once)
    failed = buy(family, card_id=card["id"], key="crash-retry")
    # Charged but not finished: the family is told not to pay again (docs/payments.md).
    assert failed.status_code == 409 and failed.json()["code"] == "charge_unfinished"
    assert count(app, GatewayCharge) == 1 and count(app, Subscription) == 0
    clock.advance(timedelta(minutes=5))  # the retry comes later, with another purchase time
    retried = buy(family, card_id=card["id"], key="crash-retry")
    assert retried.status_code == 201, retried.text
    assert count(app, GatewayCharge) == 1 and count(app, Subscription) == 1


def test_a_purchase_that_loses_a_race_is_refunded(
    family: Family, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    import central.plans.purchases as routes
    from central.money.gateway.models import GatewayRefund

    subscribe(family)
    # The second purchase's early check runs before the first one committed...
    monkeypatch.setattr(routes, "already_subscribed", lambda *args, **kwargs: False)
    lost = buy(family, card_id=family.get("/payment-methods").json()[0]["id"], key="lost")
    # ...so its card was charged; the database said no, and the money goes back.
    assert lost.status_code == 409 and lost.json()["code"] == "already_subscribed"
    with app.state.services.db.transaction() as session:
        [winner] = session.scalars(select(SubscriptionPeriod.charge_key)).all()
        [refund] = session.scalars(select(GatewayRefund)).all()
        refunded = session.get_one(GatewayCharge, refund.charge_id)
    assert count(app, GatewayCharge) == 2 and count(app, Subscription) == 1
    assert refunded.idempotency_key != winner
    assert refund.amount_cents == refunded.amount_cents == 3999


def test_card_choice_is_checked(family: Family, app: FastAPI) -> None:
    no_card = buy(family, mode="manual")
    assert no_card.status_code == 409 and no_card.json()["code"] == "no_card_on_file"
    card = family.add_card()
    needs_card = buy(family, mode="auto")
    assert (needs_card.status_code, needs_card.json()["code"]) == (422, "payment_method_required")
    other = buy(family, card_id="not-this-one")
    assert (other.status_code, other.json()["code"]) == (422, "payment_method_unknown")
    old = card["id"]
    family.add_card(MASTERCARD)  # replaces the first card (rule 13)
    replaced = buy(family, card_id=old)
    assert replaced.json()["code"] == "payment_method_unknown"
    assert count(app, GatewayCharge) == 0
    manual = buy(family, mode="manual")  # the first period is paid by the card on file
    assert manual.status_code == 201 and manual.json()["card"]["last4"] == "4444"


def test_declined_purchase_is_402_and_creates_nothing(family: Family, app: FastAPI) -> None:
    card = family.add_card(DECLINE)
    response = buy(family, card_id=card["id"])
    assert response.status_code == 402 and response.json()["code"] == "card_declined"
    assert count(app, Subscription) == 0 and mail_keys(app) == []


def test_one_active_subscription_per_service_phone_and_facility(
    family: Family, app: FastAPI
) -> None:
    subscribe(family)
    again = buy(family, card_id=family.get("/payment-methods").json()[0]["id"])
    assert again.status_code == 409 and again.json()["code"] == "already_subscribed"
    assert count(app, GatewayCharge) == 1
    video = buy(family, VIDEO_8, "manual")  # another service is fine
    assert video.status_code == 201, video.text
    other_video = buy(family, VIDEO_UNLIMITED, "manual")
    assert other_video.json()["code"] == "already_subscribed"


def test_the_database_keeps_one_active_per_service_even_if_a_check_is_raced(
    family: Family, app: FastAPI
) -> None:
    from sqlalchemy.exc import IntegrityError

    subscribed = subscribe(family)
    with app.state.services.db.transaction() as session:
        row = session.get_one(Subscription, subscribed["id"])
        copy = {c.name: getattr(row, c.name) for c in Subscription.__table__.columns}
    copy["id"] = "raced"
    with pytest.raises(IntegrityError), app.state.services.db.transaction() as session:
        session.add(Subscription(**copy))


def test_list_shows_status_usage_and_card(family: Family, app: FastAPI) -> None:
    calls = subscribe(family)
    video = subscribe(family, VIDEO_UNLIMITED, "manual")
    listed = family.get("/subscriptions")
    assert listed.status_code == 200
    by_id = {s["id"]: s for s in listed.json()}
    assert by_id[calls["id"]]["remaining"] == 100
    assert by_id[video["id"]]["remaining"] is None  # unlimited
    assert by_id[video["id"]]["renewal_mode"] == "manual"
    assert set(by_id[calls["id"]]["card"]) == {"payment_method_id", "brand", "last4",
                                               "exp_month", "exp_year"}


def test_another_familys_subscription_is_not_found(family: Family, kiosk_api: Any) -> None:
    from tests.central.family_support import open_family

    theirs = subscribe(family)
    other = open_family(kiosk_api, phone="(713) 555-0199")
    assert other.get(f"/subscriptions/{theirs['id']}").status_code == 404
    assert other.post(f"/subscriptions/{theirs['id']}/cancel").json()["code"] == (
        "subscription_unknown")
    foreign = other.api.get(family.url("/subscriptions"), headers=other.headers)
    assert foreign.status_code == 403


# --- cancel and resume (rule 8) ---------------------------------------------------------------


def test_rule8_cancel_keeps_coverage_until_period_end_then_ends(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    sub = subscribe(family)
    travel(family, clock, timedelta(days=10))
    canceled = family.post(f"/subscriptions/{sub['id']}/cancel")
    assert canceled.status_code == 200, canceled.text
    assert (canceled.json()["status"], canceled.json()["cancel_at_period_end"]) == ("active",
                                                                                   True)
    assert family.post(f"/subscriptions/{sub['id']}/cancel").status_code == 200  # no-op
    assert [k for k in mail_keys(app) if k.startswith("cancellation:")] == [
        f"cancellation:{sub['id']}:2026-01-25T17:00:00Z"]
    assert "marked for cancellation" in mail_text(app, "cancellation:")
    travel(family, clock, at(sub["period_end"]) - timedelta(seconds=1))
    assert renew(app, clock).claimed == 0  # still active
    assert one(family, sub["id"])["status"] == "active"
    travel(family, clock, at(sub["period_end"]))
    report = renew(app, clock)
    assert report.canceled == 1
    ended = one(family, sub["id"])
    assert ended["status"] == "canceled" and at(ended["ended_at"]) == at(sub["period_end"])
    assert count(app, GatewayCharge) == 1  # never charged again, nothing refunded
    for action in ("resume", "cancel"):
        refused = family.post(f"/subscriptions/{sub['id']}/{action}")
        assert (refused.status_code, refused.json()["code"]) == (409, "subscription_ended")
    assert buy(family, card_id=sub["card"]["payment_method_id"]).status_code == 201


def test_rule8_resume_before_period_end(family: Family, app: FastAPI, clock: ManualClock
                                        ) -> None:
    sub = subscribe(family)
    family.post(f"/subscriptions/{sub['id']}/cancel")
    resumed = family.post(f"/subscriptions/{sub['id']}/resume")
    assert resumed.status_code == 200 and resumed.json()["cancel_at_period_end"] is False
    travel(family, clock, at(sub["period_end"]))
    assert renew(app, clock).renewed == 1
    assert one(family, sub["id"])["status"] == "active"


def test_resume_is_refused_once_the_period_has_ended(
    family: Family, clock: ManualClock
) -> None:
    sub = subscribe(family)
    family.post(f"/subscriptions/{sub['id']}/cancel")
    travel(family, clock, at(sub["period_end"]) + timedelta(seconds=5))  # not renewed yet
    late = family.post(f"/subscriptions/{sub['id']}/resume")
    assert (late.status_code, late.json()["code"]) == (409, "period_ended")


# --- pending renewal changes (rule 7) ---------------------------------------------------------


def test_rule7_switch_to_manual_is_pending_then_applies_at_period_end(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    sub = subscribe(family)
    changed = family.post(f"/subscriptions/{sub['id']}/renewal", {"renewal_mode": "manual"})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["renewal_mode"] == "auto"  # still, until the period ends
    assert body["pending_change"]["renewal_mode"] == "manual"
    assert at(body["pending_change"]["effective_at"]) == at(sub["period_end"])
    assert one(family, sub["id"])["pending_change"] is not None  # visible until then
    travel(family, clock, at(sub["period_end"]))
    report = renew(app, clock)
    assert report.expired == 1  # manual and not renewed: no charge at period end
    ended = one(family, sub["id"])
    assert (ended["status"], ended["renewal_mode"], ended["pending_change"]) == (
        "expired", "manual", None)
    assert count(app, GatewayCharge) == 1


def test_rule7_switch_to_auto_with_a_new_card_renews_with_it(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    sub = subscribe(family, mode="manual")
    needs_card = family.post(f"/subscriptions/{sub['id']}/renewal", {"renewal_mode": "auto"})
    assert needs_card.json()["code"] == "payment_method_required"
    new_card = family.add_card(MASTERCARD)
    changed = family.post(f"/subscriptions/{sub['id']}/renewal",
                          {"renewal_mode": "auto", "payment_method_id": new_card["id"]})
    pending = changed.json()["pending_change"]
    assert pending["renewal_mode"] == "auto"
    assert changed.json()["card"]["last4"] == "4444"  # a new card is used at once
    back = family.post(f"/subscriptions/{sub['id']}/renewal",
                       {"renewal_mode": "manual", "payment_method_id": None})
    assert back.json()["pending_change"] is None  # asking for what is in force clears it
    family.post(f"/subscriptions/{sub['id']}/renewal",
                {"renewal_mode": "auto", "payment_method_id": new_card["id"]})
    travel(family, clock, at(sub["period_end"]))
    assert renew(app, clock).renewed == 1
    renewed = one(family, sub["id"])
    assert renewed["renewal_mode"] == "auto" and renewed["pending_change"] is None
    assert renewed["card"]["payment_method_id"] == new_card["id"]
    with app.state.services.db.transaction() as session:
        charges = session.scalars(select(GatewayCharge).order_by(GatewayCharge.created_at))
        assert [c.idempotency_key.split(":")[0] for c in charges] == ["subscription", "renewal"]


# --- renew now (rule 6) -----------------------------------------------------------------------


def test_rule6_renew_now_extends_from_the_period_end(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    sub = subscribe(family, mode="manual")
    travel(family, clock, timedelta(days=20))
    response = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-1")
    assert response.status_code == 200, response.text
    body = response.json()
    assert at(body["period_end"]) == at(sub["period_end"])  # the current period is unchanged
    # 11:00 in Chicago each month: CST in February, CDT (one hour less to UTC) in March.
    assert at(body["renewed_through"]) == datetime(2026, 3, 15, 16, 0, tzinfo=UTC)
    replay = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-1")
    assert replay.json() == body
    twice = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-2")
    assert (twice.status_code, twice.json()["code"]) == (409, "already_renewed")
    with app.state.services.db.transaction() as session:
        keys = set(session.scalars(select(GatewayCharge.idempotency_key)))
    assert f"renewal:{sub['id']}:2026-02-15T17:00:00Z:1" in keys and len(keys) == 2
    with app.state.services.db.transaction() as session:
        session.execute(update(Subscription).values(used_in_period=60))
    travel(family, clock, at(sub["period_end"]))
    report = renew(app, clock)
    assert report.renewed == 1
    rolled = one(family, sub["id"])
    assert (rolled["status"], rolled["period_index"], rolled["used"]) == ("active", 1, 0)
    assert at(rolled["period_start"]) == at(sub["period_end"])
    assert rolled["renewed_through"] is None
    assert count(app, GatewayCharge) == 2  # nothing more charged at period end
    travel(family, clock, at(rolled["period_end"]))
    assert renew(app, clock).expired == 1  # not renewed again: it expires


def test_renew_now_is_for_manual_subscriptions_only(family: Family) -> None:
    sub = subscribe(family)
    refused = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-auto")
    assert (refused.status_code, refused.json()["code"]) == (409, "not_manual_renewal")


def test_renew_now_decline_is_402(family: Family, app: FastAPI) -> None:
    sub = subscribe(family, mode="manual")
    family.add_card(DECLINE)
    refused = family.post(f"/subscriptions/{sub['id']}/renew-now", key="rn-declined")
    assert (refused.status_code, refused.json()["code"]) == (402, "card_declined")
    assert count(app, SubscriptionPeriod) == 1


# --- usage (rule 12) --------------------------------------------------------------------------


def test_rule12_usage_and_one_reminder_per_period(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    sub = subscribe(family)
    usage = family.get(f"/subscriptions/{sub['id']}/usage").json()
    assert (usage["used"], usage["remaining"], usage["reminder_threshold"]) == (0, 100, 10)
    db = app.state.services.db
    with db.transaction() as session:
        session.execute(update(Subscription).values(used_in_period=89))
    with db.transaction() as session:
        use = count_covered_use(session, sub["id"], clock)
    assert (use.counted, use.remaining, use.reminder_queued) == (True, 10, True)
    with db.transaction() as session:
        assert not count_covered_use(session, sub["id"], clock).reminder_queued
    usage = family.get(f"/subscriptions/{sub['id']}/usage").json()
    assert (usage["used"], usage["remaining"]) == (91, 9)
    assert "10 of 100 calls left" in mail_text(app, "usage-reminder:")
    with db.transaction() as session:
        session.execute(update(Subscription).values(used_in_period=100))
    with db.transaction() as session:
        used_up = count_covered_use(session, sub["id"], clock)
    assert (used_up.counted, used_up.remaining) == (False, 0)
    travel(family, clock, at(sub["period_end"]))
    renew(app, clock)
    usage = family.get(f"/subscriptions/{sub['id']}/usage").json()
    assert (usage["used"], usage["remaining"]) == (0, 100)  # counters reset


def test_unlimited_usage_has_no_remaining_or_threshold(family: Family, app: FastAPI,
                                                        clock: ManualClock) -> None:
    sub = subscribe(family, VIDEO_UNLIMITED, "manual")
    with app.state.services.db.transaction() as session:
        assert count_covered_use(session, sub["id"], clock).counted
    usage = family.get(f"/subscriptions/{sub['id']}/usage").json()
    assert (usage["used"], usage["remaining"], usage["reminder_threshold"]) == (1, None, None)


def test_plan_kind_maps_to_service() -> None:
    from central.plans.models import Service
    from central.plans.quote import service_of

    assert service_of(PlanKind.CALL) is Service.CALLS
    assert {service_of(PlanKind.VIDEO_BUNDLE), service_of(PlanKind.VIDEO_UNLIMITED)} == {
        Service.VIDEO}


def test_the_account_read_lists_active_subscriptions_with_usage(
    family: Family, app: FastAPI
) -> None:
    bought = subscribe(family)
    with app.state.services.db.transaction() as session:
        assert count_covered_use(session, bought["id"], app.state.services.clock).counted
    account = family.get().json()
    [listed] = account["subscriptions"]
    assert (listed["id"], listed["used"], listed["remaining"]) == (bought["id"], 1, 99)
    family.post(f"/subscriptions/{bought['id']}/cancel", {})
    travel(family, app.state.services.clock, timedelta(days=40))
    renew(app, app.state.services.clock)
    account = family.get().json()
    assert account["subscriptions"] == []  # ended ones are in the subscriptions list only
