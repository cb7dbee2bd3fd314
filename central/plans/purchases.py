"""Paying for subscription periods (rules 1, 6, 8): the purchase and renew-now handlers a
route calls, and the effects of their card charges (a new subscription, a paid period),
which the renewal run and the reconciler apply through the same code."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from central.identity.models import Account
from central.kernel.clock import Clock
from central.kernel.facilities import Facility
from central.kernel.idempotency import StoredResponse, fingerprint
from central.kernel.ports import UnitOfWork
from central.kernel.problems import ProblemError
from central.money.charges import ChargeSpec, ChargeView, Ports, open_charge, owner, pay
from central.money.effects import ChargeEffects
from central.money.gateway import DeclineCode
from central.money.gateway.reader import ReaderGateway, ReaderState
from central.money.models import Charge, ChargePurpose
from central.money.payments import CardOnFile, card_on_file, no_card_problem
from central.money.terminal import (
    ReaderPaymentView,
    is_reader_charge,
    kiosk_reader,
    no_reader_problem,
    reader_card,
    reader_on_other_gateway_problem,
    reader_payment,
    start_payment,
)
from central.money.terminal_models import ReaderPayment
from central.plans import next_period
from central.plans.charge_details import (
    ChargedCard,
    PurchaseDetails,
    QuotedPlan,
    RenewalDetails,
)
from central.plans.letters import end_reason_for, queue_coverage_ended
from central.plans.models import (
    RenewalMode,
    Subscription,
    SubscriptionPeriod,
    SubscriptionStatus,
)
from central.plans.periods import canonical_utc
from central.plans.quote import TERMS_VERSION, SubscriptionQuote, quote_subscription
from central.plans.schemas import SubscriptionQuoteOut, quote_out, subscription_out
from central.plans.subscriptions import (
    already_subscribed,
    already_subscribed_problem,
    check_card_choice,
    owned_subscription,
    purchase_charge_key,
    renew_now_charge,
    start_subscription,
    subscription_id_for,
)

# --- the effects of charges ---------------------------------------------------------------


class SubscriptionEffect:
    """An approved purchase starts the subscription with its first period. If another one
    became active meanwhile, the purchase cannot happen and its charge is refunded."""

    def apply(self, session: Session, charge: Charge, clock: Clock) -> bool:
        details = PurchaseDetails.model_validate_json(charge.details)
        quote = details.quote.quote()
        assert charge.subject_id is not None
        if session.get(Subscription, charge.subject_id) is not None:
            # Its id comes from the same request key: this purchase happened already (a
            # record from before charges were rows). Never refund what started it.
            return True
        phone = session.get_one(Account, owner(charge)).phone
        if already_subscribed(session, phone, quote.facility_id, quote.service):
            return False
        try:
            with session.begin_nested():
                start_subscription(
                    session, subscription_id=charge.subject_id, account_id=owner(charge),
                    quote=quote, card=details.card.on_file(), charge_id=charge.id,
                    gateway_charge_id=charge.gateway_charge_id or "",
                    charge_key=charge.gateway_key, terms_version=details.terms_version,
                    clock=clock,
                )
        except ProblemError:  # a concurrent purchase won the partial unique index
            return False
        return True

    def declined(self, session: Session, charge: Charge, clock: Clock) -> None:
        """Nothing is created; the 402 tells the family."""


class RenewalEffect:
    """An approved attempt to pay the next period (the renewal run's or renew-now's)
    records the period and, once the current one has ended, enters it; one the subscription
    can no longer use is refunded (:func:`central.plans.next_period.paid`)."""

    def apply(self, session: Session, charge: Charge, clock: Clock) -> bool:
        subscription = session.execute(
            select(Subscription).where(Subscription.id == charge.subject_id).with_for_update()
        ).scalar_one()
        timezone = session.get_one(Facility, subscription.facility_id).timezone
        return next_period.paid(session, subscription, charge, timezone, clock)

    def apply_many(self, session: Session, charges: Sequence[Charge], clock: Clock
                   ) -> list[bool]:
        """:meth:`apply` for a renewal batch's approvals (each charge for its own
        subscription): the subscriptions locked and their facilities read in one query each,
        the effects written in bulk (:func:`central.plans.next_period.paid_many`)."""
        locked = {s.id: s for s in session.execute(
            select(Subscription).where(Subscription.id.in_(
                [c.subject_id for c in charges])).order_by(Subscription.id).with_for_update()
        ).scalars()}
        timezones = {f.id: f.timezone for f in session.execute(select(Facility).where(
            Facility.id.in_({s.facility_id for s in locked.values()}))).scalars()}
        paying = [(locked[c.subject_id or ""], c) for c in charges]
        return next_period.paid_many(session, paying, timezones, clock)

    def declined(self, session: Session, charge: Charge, clock: Clock) -> None:
        """A declined renewal by the renewal run ends coverage for good (rule 5); a declined
        renew-now only answers 402 (the family may try another card before the end)."""
        subscription = session.execute(
            select(Subscription).where(Subscription.id == charge.subject_id).with_for_update()
        ).scalar_one()
        if next_period.declined_ends_coverage(subscription, charge):
            expire(session, subscription, charge.decline_code, clock)


def expire(session: Session, subscription: Subscription, decline_code: str | None,
           clock: Clock) -> None:
    """End coverage after a failed automatic renewal and tell the family why."""
    subscription.status = SubscriptionStatus.EXPIRED
    subscription.ended_at = subscription.current_period_end
    subscription.renewal_claim = None
    subscription.renewal_claimed_at = None
    reason = end_reason_for(DeclineCode(decline_code) if decline_code else None)
    queue_coverage_ended(session, subscription, reason, clock)


SUBSCRIPTION = SubscriptionEffect()
RENEWAL = RenewalEffect()


def _period_paid_by(charge_id: str) -> ColumnElement[bool]:
    return exists().where(SubscriptionPeriod.charge_id == charge_id)


def register_effects(effects: ChargeEffects) -> None:
    """Plans' part of the charge effects: what a settled purchase or renewal does, and that
    a period a charge paid for keeps it from being refunded."""
    effects.register(ChargePurpose.SUBSCRIPTION, SUBSCRIPTION)
    effects.register(ChargePurpose.RENEWAL, RENEWAL)
    effects.register_paid_for("subscription_periods", _period_paid_by)
    effects.register_facility_of(ChargePurpose.SUBSCRIPTION, subscription_facility)
    effects.register_facility_of(ChargePurpose.RENEWAL, subscription_facility)


def subscription_facility(session: Session, charge: Charge) -> str | None:
    """The facility of the subscription a purchase or renewal charge is for (a purchase's
    subscription may not exist yet: then the facility it was quoted at, from the raw JSON)."""
    found = session.execute(select(Subscription.facility_id)
                            .where(Subscription.id == charge.subject_id)).scalar_one_or_none()
    if found is not None:
        return found
    try:
        quoted = json.loads(charge.details).get("quote", {}).get("facility_id")
    except (ValueError, AttributeError):
        return None
    return quoted if isinstance(quoted, str) else None


def renewal_spec(subscription: Subscription, card: CardOnFile, *, start: datetime,
                 end: datetime, charge_key: str, by: str) -> ChargeSpec:
    return ChargeSpec(
        purpose=ChargePurpose.RENEWAL, account_id=subscription.account_id,
        amount_cents=subscription.price_cents, gateway_key=charge_key, card=card,
        subject_id=subscription.id,
        details=RenewalDetails(
            by=by, start=canonical_utc(start), end=canonical_utc(end),
            ending_period_end=canonical_utc(subscription.current_period_end),
            card=ChargedCard.of(card)),
    )


# --- handlers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteRequest:
    account_id: str
    plan_id: str
    renewal_mode: RenewalMode
    # The kiosk's language on screen (Accept-Language); None: the account's own language.
    language: str | None = None


def quote(command: QuoteRequest, ports: UnitOfWork) -> SubscriptionQuoteOut:
    """Price, period, allotment, what is covered and the no-refund terms (rule 8); the plan's
    name, what it covers and the terms in ``command.language``, else the account's."""
    with ports.db.read() as session:
        return quote_out(quote_subscription(session, command.account_id, command.plan_id,
                                            command.renewal_mode, ports.clock.now(),
                                            command.language))


def quote_changed_problem(quote: SubscriptionQuote) -> ProblemError:
    """409 ``quote_changed``: the price is not the one the family was quoted (a supervisor
    changed it meanwhile). Nothing is charged; the new quote goes along for the kiosk to
    show and ask again."""
    return ProblemError(409, "quote_changed", "The price has changed since the quote",
                        f"The price is now {quote.price_cents} cents; show the new quote "
                        "and ask again.", field="quoted_total_cents",
                        quote=quote_out(quote).model_dump(mode="json"))


@dataclass(frozen=True)
class BuySubscription:
    account_id: str
    plan_id: str
    renewal_mode: RenewalMode
    payment_method_id: str | None
    accept_terms: bool
    terms_version: str
    quoted_total_cents: int
    idempotency_key: str
    request_fingerprint: str


def buy_subscription(command: BuySubscription, ports: Ports) -> StoredResponse:
    """Charge the first period to the card on file and start the subscription (201), at the
    price the family was quoted only (409 ``quote_changed`` with the new quote otherwise).
    409 ``already_subscribed``
    when one is active for this service, phone and facility (if that is found only after the
    card was charged, the charge is refunded); 402 on a decline (nothing is created)."""
    if not command.accept_terms:
        raise ProblemError(422, "terms_not_accepted", "The no-refund terms were not accepted",
                           "Show the terms and ask the family to accept them.",
                           field="accept_terms")
    account_id = command.account_id
    subscription_id = subscription_id_for(account_id, command.idempotency_key)

    def outside() -> ChargeView:
        with ports.db.transaction() as session:
            now = ports.clock.now()
            quoted = quote_subscription(session, account_id, command.plan_id,
                                        command.renewal_mode, now)
            if command.terms_version != TERMS_VERSION:
                raise ProblemError(409, "terms_changed", "The terms have changed",
                                   f"Show and accept terms version {TERMS_VERSION}.",
                                   field="terms_version")
            if command.quoted_total_cents != quoted.price_cents:
                raise quote_changed_problem(quoted)
            check_card_choice(session, account_id, command.renewal_mode,
                              command.payment_method_id)
            card = card_on_file(session, account_id)
            if card is None:
                raise no_card_problem()
            phone = session.get_one(Account, account_id).phone
            if already_subscribed(session, phone, quoted.facility_id, quoted.service):
                raise already_subscribed_problem(quoted.service)
            charge = open_charge(session, ChargeSpec(
                purpose=ChargePurpose.SUBSCRIPTION, account_id=account_id,
                amount_cents=quoted.price_cents,
                gateway_key=purchase_charge_key(subscription_id), card=card,
                subject_id=subscription_id,
                details=PurchaseDetails(quote=QuotedPlan.of(quoted), card=ChargedCard.of(card),
                                        terms_version=command.terms_version),
            ), now, ports.gateway.name)
        return pay(ports, charge, SUBSCRIPTION, already_subscribed_problem(quoted.service))

    def work(session: Session, charge: ChargeView) -> tuple[int, dict[str, Any]]:
        subscription = session.get_one(Subscription, subscription_id)
        return 201, subscription_out(session, subscription).model_dump(mode="json")

    return ports.idempotency.run_staged(
        f"account:{account_id}", command.idempotency_key, command.request_fingerprint,
        outside, work, keep=True,
    )


def renewal_in_progress_problem() -> ProblemError:
    return ProblemError(409, "renewal_in_progress",
                        "A payment for the next period is already being made",
                        "Wait for it to finish (the card reader's, or the card on file's), "
                        "then look at the subscription again.")


def refuse_other_attempt(session: Session, subscription: Subscription, *,
                         on_reader: bool) -> None:
    """Rule 6 on two ways to pay: an attempt still pending is asked again under its own key
    by the card on file (a replay), but never taken over by the other way. A reader's
    attempt is not the card on file's to charge, and a card-on-file (or renewal run)
    attempt is not the reader's to collect: 409 ``renewal_in_progress`` until it ends.
    Either way one period at most is paid (docs/billing-rules.md, "The next period")."""
    state, facts = next_period.read(session, subscription)
    if state.payment is not next_period.Payment.PAYING or facts.charge is None:
        return
    if on_reader or is_reader_charge(facts.charge):
        raise renewal_in_progress_problem()


@dataclass(frozen=True)
class RenewNow:
    account_id: str
    subscription_id: str
    idempotency_key: str


def renew_now(command: RenewNow, ports: Ports) -> StoredResponse:
    """Rule 6: pay the next period of a manual subscription now (200). It starts when the
    current one ends; at most one period ahead (409 ``already_renewed``). Meeting the period
    end while the card is charged still renews: the renewal run finishes this charge under
    the same key instead of expiring the subscription. Only if the subscription ended
    otherwise meanwhile (a cancellation took effect) is the charge refunded, with 409
    ``subscription_ended``."""
    account_id = command.account_id

    def outside() -> ChargeView:
        with ports.db.transaction() as session:
            now = ports.clock.now()
            subscription = owned_subscription(session, account_id, command.subscription_id,
                                              for_update=True)
            timezone = session.get_one(Facility, subscription.facility_id).timezone
            refuse_other_attempt(session, subscription, on_reader=False)
            due = renew_now_charge(session, subscription, now, timezone)
            card = card_on_file(session, account_id)
            if card is None:
                raise no_card_problem()
            charge = open_charge(session, renewal_spec(
                subscription, card, start=due.period_start, end=due.period_end,
                charge_key=due.charge_key, by=next_period.RENEW_NOW), now, ports.gateway.name)
        return pay(ports, charge, RENEWAL, ProblemError(
            409, "subscription_ended", "This subscription has ended",
            "It ended while the payment was made; the payment was refunded."))

    def work(session: Session, charge: ChargeView) -> tuple[int, dict[str, Any]]:
        subscription = owned_subscription(session, account_id, command.subscription_id)
        return 200, subscription_out(session, subscription).model_dump(mode="json")

    return ports.idempotency.run_staged(
        f"account:{account_id}", command.idempotency_key,
        fingerprint("POST renew-now", {"subscription_id": command.subscription_id}),
        outside, work, keep=True,
    )


@dataclass(frozen=True)
class ReaderPurchase:
    """A plan bought on the kiosk's card reader: the quote the family accepted, and whether
    they agreed on screen to keep the card (needed for automatic renewal)."""

    kiosk_id: str
    account_id: str
    plan_id: str
    renewal_mode: RenewalMode
    accept_terms: bool
    terms_version: str
    quoted_total_cents: int
    save_card: bool
    idempotency_key: str


def start_reader_purchase(command: ReaderPurchase, ports: Ports, readers: ReaderGateway
                          ) -> ReaderPaymentView:
    """Rule 8's purchase, paid on the reader instead of the card on file: the same checks
    before anything is charged (terms, the quoted price, one subscription per service, phone
    and facility), the same charge key from the request's key (the same key again is the
    same payment) and the same effect (:data:`SUBSCRIPTION`) once the card is approved.
    Automatic renewal charges the card on file, so it needs ``save_card`` (422
    ``save_card_required``): the card read becomes the card on file."""
    if not command.accept_terms:
        raise ProblemError(422, "terms_not_accepted", "The no-refund terms were not accepted",
                           "Show the terms and ask the family to accept them.",
                           field="accept_terms")
    if command.renewal_mode is RenewalMode.AUTO and not command.save_card:
        raise ProblemError(422, "save_card_required",
                           "Automatic renewal needs the card kept on file",
                           "Ask the family to keep the card for renewals, or choose manual "
                           "renewal.", field="save_card")
    account_id = command.account_id
    subscription_id = subscription_id_for(account_id, command.idempotency_key)
    with ports.db.transaction() as session:
        quoted = quote_subscription(session, account_id, command.plan_id,
                                    command.renewal_mode, ports.clock.now())
        if command.terms_version != TERMS_VERSION:
            raise ProblemError(409, "terms_changed", "The terms have changed",
                               f"Show and accept terms version {TERMS_VERSION}.",
                               field="terms_version")
        if command.quoted_total_cents != quoted.price_cents:
            raise quote_changed_problem(quoted)
        reader = kiosk_reader(session, command.kiosk_id)
        if reader is None:
            raise no_reader_problem()
        started = session.get(Subscription, subscription_id) is not None
        phone = session.get_one(Account, account_id).phone
        if not started and already_subscribed(session, phone, quoted.facility_id,
                                              quoted.service):
            raise already_subscribed_problem(quoted.service)
        # The card is named from the reader's answer before the effect reads it
        # (central.money.terminal); until then the charge knows only the reader.
        card = CardOnFile("", reader_card(reader), "", "", 0, 0)
    spec = ChargeSpec(
        purpose=ChargePurpose.SUBSCRIPTION, account_id=account_id,
        amount_cents=quoted.price_cents, gateway_key=purchase_charge_key(subscription_id),
        card=card, subject_id=subscription_id,
        details=PurchaseDetails(quote=QuotedPlan.of(quoted), card=ChargedCard.of(card),
                                terms_version=command.terms_version),
    )
    return start_payment(ports, readers, command.kiosk_id, spec, command.save_card)


def _unstarted_reader_attempt(session: Session, subscription: Subscription, token: str
                              ) -> ChargeSpec | None:
    """The pending attempt for this kiosk's reader that never reached the reader (the
    processor did not answer, or a crash came between recording it and handing it over):
    asked for again, it is handed over now under its own key instead of blocking the period
    until the reconciler gives it up."""
    state, facts = next_period.read(session, subscription)
    charge = facts.charge
    if (state.payment is not next_period.Payment.PAYING or charge is None
            or charge.gateway_token != token):
        return None
    payment = session.execute(select(ReaderPayment).where(
        ReaderPayment.charge_id == charge.id)).scalar_one_or_none()
    if payment is not None and (payment.payment_ref is not None
                                or ReaderState(payment.state).final):
        return None
    return ChargeSpec(
        purpose=ChargePurpose.RENEWAL, account_id=subscription.account_id,
        amount_cents=charge.amount_cents, gateway_key=charge.gateway_key,
        card=CardOnFile("", token, "", "", 0, 0), subject_id=subscription.id,
        details=RenewalDetails.model_validate_json(charge.details))


@dataclass(frozen=True)
class ReaderRenewal:
    """Renew-now paid on the kiosk's card reader (rule 6): the subscription, the price the
    family was shown, and whether they agreed on screen to keep the card."""

    kiosk_id: str
    account_id: str
    subscription_id: str
    quoted_total_cents: int
    save_card: bool
    idempotency_key: str


def start_reader_renewal(command: ReaderRenewal, ports: Ports, readers: ReaderGateway
                         ) -> ReaderPaymentView:
    """Rule 6's renew-now, paid on the reader instead of the card on file: the same checks
    (manual renewal, no cancellation pending, at most one period ahead: ``already_renewed``),
    the same attempt key of the next period (:func:`renew_now_charge`) opened under the
    subscription's lock, and the same effect (:data:`RENEWAL`) once the card is approved, so
    the renewal run waits for it and a second approved charge for the period is refunded.
    An attempt still pending (either way) is 409 ``renewal_in_progress``. The same
    Idempotency-Key again is the same payment (the request's answer is its id)."""
    account_id = command.account_id

    def outside() -> ReaderPaymentView:
        with ports.db.transaction() as session:
            now = ports.clock.now()
            subscription = owned_subscription(session, account_id, command.subscription_id,
                                              for_update=True)
            reader = kiosk_reader(session, command.kiosk_id)
            if reader is None:
                raise no_reader_problem()
            if reader.gateway != readers.name:
                raise reader_on_other_gateway_problem(reader.gateway, readers.name)
            if command.quoted_total_cents != subscription.price_cents:
                raise ProblemError(409, "quote_changed", "The price has changed",
                                   f"The price is now {subscription.price_cents} cents; show "
                                   "it and ask again.", field="quoted_total_cents")
            token = reader_card(reader)
            spec = _unstarted_reader_attempt(session, subscription, token)
            if spec is None:
                refuse_other_attempt(session, subscription, on_reader=True)
                timezone = session.get_one(Facility, subscription.facility_id).timezone
                due = renew_now_charge(session, subscription, now, timezone)
                # The card is named from the reader's answer before the effect reads it.
                spec = renewal_spec(subscription, CardOnFile("", token, "", "", 0, 0),
                                    start=due.period_start, end=due.period_end,
                                    charge_key=due.charge_key, by=next_period.RENEW_NOW)
                # Opened with the attempt's number, under the lock: a renewal run or
                # another renew-now now sees this attempt pending.
                open_charge(session, spec, now, ports.gateway.name)
        return start_payment(ports, readers, command.kiosk_id, spec, command.save_card)

    def work(session: Session, payment: ReaderPaymentView) -> tuple[int, dict[str, Any]]:
        return 201, {"payment_id": payment.id}

    started: list[ReaderPaymentView] = []

    def remembered() -> ReaderPaymentView:
        started.append(outside())
        return started[0]

    stored = ports.idempotency.run_staged(
        f"account:{account_id}", command.idempotency_key,
        fingerprint("POST terminal/renewals", {
            "subscription_id": command.subscription_id,
            "quoted_total_cents": command.quoted_total_cents,
            "save_card": command.save_card}),
        remembered, work, keep=True,
    )
    if started:
        return started[0]
    # The same request again: the payment it started, as it is now.
    return reader_payment(ports, readers, command.kiosk_id, str(stored.body["payment_id"]))
