"""Billing at the edges (docs/billing-rules.md, rules 2, 7, 10, 11, 13, 14): caps bind when
a call is billed, a call that never connected uses nothing, a free Single Call is no error,
a charged call says why it is not covered, a new card is used at once, and simultaneous card
additions or sign-ups end in one card and a clear 409."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import update

from central.identity.accounts import create_account
from central.identity.schemas import AccountIn
from central.kernel.facilities import CallKind, Facility, Rate
from central.kernel.problems import ProblemError
from central.kernel.rules import active_rule_set
from central.money.payments import active_methods, attach_card
from tests.central.family_support import MASTERCARD, VISA, Family, registration
from tests.central.rating_support import (
    HARBOR,
    authorized,
    fund,
    rate,
    subscribe,
    used_in_period,
)
from tests.central.test_subscriptions import one
from tests.central.test_subscriptions import subscribe as buy_subscription

pytestmark = pytest.mark.usefixtures("call_platform")
STRANGER = "+17135550199"


def _set_harbor_audio_rate(app: FastAPI, cents: int) -> None:
    with app.state.services.db.transaction() as session:
        session.execute(update(Rate).where(Rate.facility_id == HARBOR,
                                           Rate.kind == CallKind.AUDIO)
                        .values(cents_per_minute=cents))


# --- defect 7: caps bind at billing time -------------------------------------------------------


def test_rule14_a_rate_above_the_cap_in_force_is_billed_at_the_cap(
    family: Family, app: FastAPI
) -> None:
    """A price written before a lower cap took effect (here: straight into the table)."""
    _set_harbor_audio_rate(app, 50)
    with app.state.services.db.transaction() as session:
        harbor = session.get_one(Facility, HARBOR)
        cap = active_rule_set(harbor.jurisdiction, app.state.services.clock.now()).cap(
            CallKind.AUDIO, harbor.size_tier)
    assert cap < 50
    fund(app, family.account_id, 1000)
    call = authorized(family.api, "charged", destination="interstate")
    assert call["cents_per_minute"] == cap
    assert rate(family.api, call["call_id"], 120).json()["charged_cents"] == 2 * cap


# --- defect 8: a covered call that never connects ----------------------------------------------


def test_rule2_a_covered_call_that_never_connects_uses_nothing(
    family: Family, app: FastAPI
) -> None:
    subscription = subscribe(app, family.account_id, allotment=100, used=10)
    call = authorized(family.api, "covered")
    assert used_in_period(app, subscription) == 11
    rated = rate(family.api, call["call_id"], 0)
    assert rated.status_code == 200 and rated.json()["charged_cents"] == 0
    assert used_in_period(app, subscription) == 10
    again = rate(family.api, call["call_id"], 0)  # rating again gives nothing back twice
    assert again.headers["Idempotent-Replayed"] == "true"
    assert used_in_period(app, subscription) == 10


# --- defect 11: a free Single Call, simultaneous cards and sign-ups ----------------------------


def test_rule10_a_call_at_a_0_cent_rate_is_authorized_free_not_a_500(
    family: Family, app: FastAPI
) -> None:
    _set_harbor_audio_rate(app, 0)
    call = authorized(family.api, "charged", phone=STRANGER, destination="international")
    assert (call["cents_per_minute"], call["max_minutes"]) == (0, None)
    token = family.tokenize(VISA).json()["token"]
    single = family.api.post(f"/v1/calls/{call['call_id']}/single-call",
                             json={"token": token, "minutes": 5},
                             headers={"Idempotency-Key": "sc-free",
                                      **_platform()})
    assert single.status_code == 409, single.text
    rated = rate(family.api, call["call_id"], 600).json()
    assert (rated["billed_minutes"], rated["charged_cents"]) == (10, 0)


def _platform() -> dict[str, str]:
    from tests.central.rating_support import PLATFORM

    return dict(PLATFORM)


def _second_waits_for_first(app: FastAPI, first: Any, second: Any) -> list[Any]:
    """Run ``first(session)`` in an open transaction, start ``second`` in another thread,
    then commit; returns what the second answered (or raised)."""
    db = app.state.services.db
    answers: list[Any] = []

    def run_second() -> None:
        try:
            with db.transaction() as session:
                answers.append(second(session))
        except ProblemError as exc:
            answers.append(exc)

    waiting = threading.Thread(target=run_second)
    with db.transaction() as session:
        first(session)
        waiting.start()
        waiting.join(timeout=0.5)
    waiting.join(timeout=30)
    assert not waiting.is_alive()
    return answers


def test_rule13_two_card_additions_at_once_leave_one_card(
    family: Family, app: FastAPI
) -> None:
    gateway = app.state.services.gateway
    now = app.state.services.clock.now()
    visa = gateway.describe(family.tokenize(VISA).json()["token"])
    mastercard = gateway.describe(family.tokenize(MASTERCARD).json()["token"])
    _second_waits_for_first(
        app, lambda s: attach_card(s, family.account_id, visa, now),
        lambda s: attach_card(s, family.account_id, mastercard, now))
    with app.state.services.db.transaction() as session:
        assert [m.last4 for m in active_methods(session, family.account_id)] == ["4444"]


def test_a_sign_up_race_is_409_not_500(app: FastAPI) -> None:
    body = AccountIn.model_validate(registration(phone="(713) 555-0188"))
    now = app.state.services.clock.now()
    [second] = _second_waits_for_first(
        app, lambda s: create_account(s, body, "-", None, now),
        lambda s: create_account(s, body, "-", None, now))
    assert isinstance(second, ProblemError), second
    assert (second.problem.status, second.problem.code) == (409, "phone_registered")


# --- defect 12: a new card is used at once -----------------------------------------------------


def test_rule7_updating_the_card_is_immediate_only_the_renewal_choice_waits(
    family: Family,
) -> None:
    sub = buy_subscription(family)
    new_card = family.add_card(MASTERCARD)
    changed = family.post(f"/subscriptions/{sub['id']}/renewal",
                          {"renewal_mode": "auto", "payment_method_id": new_card["id"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["pending_change"] is None
    assert changed.json()["card"]["payment_method_id"] == new_card["id"]
    manual = family.post(f"/subscriptions/{sub['id']}/renewal",
                         {"renewal_mode": "manual", "payment_method_id": new_card["id"]})
    assert manual.json()["pending_change"]["renewal_mode"] == "manual"
    assert one(family, sub["id"])["renewal_mode"] == "auto"


# --- defect 13: why a call is charged ----------------------------------------------------------


@pytest.mark.parametrize(
    ("allotment", "used", "destination", "reason", "remaining"),
    [(100, 100, "in_state", "allotment_used_up", 0),
     (100, 40, "interstate", "not_in_state", 60),
     (100, 40, "international", "international", 60),
     (None, 0, "in_state", "no_subscription", None)],
)
def test_rule11_a_charged_call_says_why_it_is_not_covered(
    family: Family, app: FastAPI, allotment: int | None, used: int, destination: str,
    reason: str, remaining: int | None,
) -> None:
    if allotment is not None:
        subscribe(app, family.account_id, allotment=allotment, used=used)
    fund(app, family.account_id, 500)
    call = authorized(family.api, "charged", destination=destination)
    assert (call["reason"], call["calls_remaining"]) == (reason, remaining)
