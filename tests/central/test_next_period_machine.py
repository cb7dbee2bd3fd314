"""The next period's state machine, one test per transition of the table in
docs/billing-rules.md ("The next period"): the pure decisions of
:mod:`central.plans.next_period`, on plain values and unsaved rows (the database-backed
journeys are in tests/central/test_next_period.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from central.kernel.problems import ProblemError
from central.mail.notifications import CoverageEndReason
from central.money.models import Charge, ChargePurpose, ChargeState
from central.plans import next_period
from central.plans.models import RenewalMode, Subscription, SubscriptionPeriod
from central.plans.next_period import RENEW_NOW, RUN, AtEnd, Facts, NextPeriod, Payment

AUTO, MANUAL = RenewalMode.AUTO, RenewalMode.MANUAL
END = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
PAID_END = datetime(2026, 4, 1, 1, 0, tzinfo=UTC)


def state(payment: Payment, *, by: str | None = None, cancel: bool = False,
          renews: RenewalMode = AUTO, attempt: int = 1, price: int = 3999) -> NextPeriod:
    return NextPeriod(payment=payment, by=by, attempt=attempt, cancel_requested=cancel,
                      renews=renews, price_cents=price)


def subscription(**changes: object) -> Subscription:
    fields: dict[str, object] = dict(
        id="s1", renewal_mode=MANUAL, pending_renewal_mode=None, cancel_at_period_end=False,
        current_period_end=END, renewal_attempt=0, price_cents=3999)
    fields.update(changes)
    return Subscription(**fields)


def attempt_charge(state: ChargeState, by: str) -> Charge:
    details = {"version": 1, "by": by, "start": "2026-03-01T02:00:00Z",
               "end": "2026-04-01T01:00:00Z", "ending_period_end": "2026-03-01T02:00:00Z",
               "card": {"payment_method_id": "pm", "token": "t", "brand": "visa",
                        "last4": "4242", "exp_month": 12, "exp_year": 2030}}
    return Charge(purpose=ChargePurpose.RENEWAL, state=state, details=json.dumps(details),
                  gateway_key="renewal:s1:2026-03-01T02:00:00Z:1", amount_cents=3999)


# --- at period end ------------------------------------------------------------------------


@pytest.mark.parametrize("cancel", [False, True])
@pytest.mark.parametrize("renews", [AUTO, MANUAL])
def test_paid_enters_the_paid_period_even_when_cancelled(cancel: bool, renews: RenewalMode
                                                         ) -> None:
    assert next_period.at_period_end(
        state(Payment.PAID, by=RENEW_NOW, cancel=cancel, renews=renews)) is AtEnd.ENTER


@pytest.mark.parametrize("cancel", [False, True])
def test_a_renew_now_still_paying_is_waited_for(cancel: bool) -> None:
    assert next_period.at_period_end(
        state(Payment.PAYING, by=RENEW_NOW, cancel=cancel, renews=MANUAL)) is AtEnd.WAIT


def test_the_runs_own_pending_attempt_is_asked_again_under_its_key() -> None:
    pending = state(Payment.PAYING, by=RUN, attempt=3)
    assert next_period.at_period_end(pending) is AtEnd.CHARGE
    assert pending.next_attempt() == 3


@pytest.mark.parametrize("payment", [Payment.NOTHING, Payment.DECLINED])
def test_a_cancel_with_nothing_paid_ends_it_canceled(payment: Payment) -> None:
    assert next_period.at_period_end(
        state(payment, by=RENEW_NOW, cancel=True)) is AtEnd.CANCEL


@pytest.mark.parametrize("payment", [Payment.NOTHING, Payment.DECLINED])
def test_manual_with_nothing_paid_expires_not_renewed(payment: Payment) -> None:
    unpaid = state(payment, by=RENEW_NOW, renews=MANUAL)
    assert next_period.at_period_end(unpaid) is AtEnd.EXPIRE
    assert next_period.end_reason(unpaid, "card_declined") is CoverageEndReason.NOT_RENEWED


def test_a_declined_automatic_renewal_expires_with_the_decline_as_reason() -> None:
    declined = state(Payment.DECLINED, by=RUN)
    assert next_period.at_period_end(declined) is AtEnd.EXPIRE
    assert next_period.end_reason(declined, "card_expired") is CoverageEndReason.CARD_EXPIRED
    assert next_period.end_reason(declined, None) is CoverageEndReason.PAYMENT_DECLINED


@pytest.mark.parametrize("price", [0, -1])
def test_an_automatic_renewal_under_1_cent_is_never_charged(price: int) -> None:
    assert next_period.at_period_end(state(Payment.NOTHING, price=price)) is AtEnd.EXPIRE


@pytest.mark.parametrize(("payment", "by"), [(Payment.NOTHING, None),
                                             (Payment.DECLINED, RENEW_NOW)])
def test_automatic_renewal_charges_a_new_attempt(payment: Payment, by: str | None) -> None:
    unpaid = state(payment, by=by, attempt=2)
    assert next_period.at_period_end(unpaid) is AtEnd.CHARGE
    assert unpaid.next_attempt() == 3


# --- renew-now ---------------------------------------------------------------------------


@pytest.mark.parametrize(("payment", "attempt", "charged_under"), [
    (Payment.NOTHING, 0, 1),  # the first attempt
    (Payment.DECLINED, 1, 2),  # a decline leaves the period open: a new attempt
    (Payment.NOTHING, 2, 3),  # abandoned or refunded (nothing charged): a new attempt
    (Payment.PAYING, 2, 2),  # pending (the gateway was down): the same key again
])
def test_renew_now_charges_under_the_right_attempt(payment: Payment, attempt: int,
                                                   charged_under: int) -> None:
    assert next_period.renew_now_attempt(
        state(payment, by=RENEW_NOW, attempt=attempt, renews=MANUAL), MANUAL) == charged_under


@pytest.mark.parametrize(("unpayable", "mode", "code"), [
    (state(Payment.PAID, by=RENEW_NOW, renews=MANUAL), MANUAL, "already_renewed"),
    (state(Payment.NOTHING, cancel=True, renews=MANUAL), MANUAL, "cancellation_pending"),
    (state(Payment.NOTHING), AUTO, "not_manual_renewal"),
])
def test_renew_now_is_refused(unpayable: NextPeriod, mode: RenewalMode, code: str) -> None:
    with pytest.raises(ProblemError) as refused:
        next_period.renew_now_attempt(unpayable, mode)
    assert refused.value.problem.code == code


# --- cancel, resume, change renewal --------------------------------------------------------


def test_cancel_after_a_paid_next_period_is_covered_to_its_end() -> None:
    paid = SubscriptionPeriod(period_start=END, period_end=PAID_END)
    marked = subscription()
    assert next_period.request_cancel(marked, Facts(paid, None)) == PAID_END
    assert marked.cancel_at_period_end is True
    assert next_period.request_cancel(marked, Facts(paid, None)) is None  # asked already


def test_cancel_with_nothing_paid_is_covered_to_the_current_end() -> None:
    assert next_period.request_cancel(subscription(), Facts(None, None)) == END


def test_resume_withdraws_the_cancel_and_keeps_the_payment() -> None:
    marked = subscription(cancel_at_period_end=True, renewal_attempt=2)
    next_period.withdraw_cancel(marked)
    assert (marked.cancel_at_period_end, marked.renewal_attempt) == (False, 2)


def test_a_renewal_choice_waits_for_the_end_and_a_card_applies_at_once() -> None:
    changed = subscription(payment_method_id="old")
    next_period.choose_renewal(changed, AUTO, "new")
    assert (changed.pending_renewal_mode, changed.payment_method_id) == (AUTO, "new")
    assert next_period.state_of(changed, Facts(None, None)).renews is AUTO
    next_period.choose_renewal(changed, MANUAL, None)  # the choice in force: nothing pending
    assert changed.pending_renewal_mode is None


# --- what the state is read from -------------------------------------------------------------


@pytest.mark.parametrize(("charge_state", "payment"), [
    (ChargeState.PENDING, Payment.PAYING),
    (ChargeState.DECLINED, Payment.DECLINED),
    (ChargeState.ABANDONED, Payment.NOTHING),
    (ChargeState.REFUNDED, Payment.NOTHING),
    (ChargeState.REFUND_DUE, Payment.NOTHING),
])
def test_the_latest_attempt_gives_the_payment(charge_state: ChargeState, payment: Payment
                                              ) -> None:
    read = next_period.state_of(subscription(), Facts(None, attempt_charge(charge_state,
                                                                           RENEW_NOW)))
    assert (read.payment, read.by) == (payment, RENEW_NOW)


def test_a_recorded_next_period_is_paid_whatever_the_attempt() -> None:
    paid = SubscriptionPeriod(period_start=END, period_end=PAID_END)
    read = next_period.state_of(subscription(), Facts(paid, attempt_charge(
        ChargeState.SETTLED, RENEW_NOW)))
    assert read.payment is Payment.PAID


def test_each_attempt_has_its_own_key_and_attempt_0_is_the_old_one() -> None:
    assert next_period.attempt_key("s1", END, 2) == "renewal:s1:2026-03-01T02:00:00Z:2"
    assert next_period.attempt_key("s1", END, 0) == "renewal:s1:2026-03-01T02:00:00Z"
