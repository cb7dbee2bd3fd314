"""Card-present payments on the kiosk's reader (docs/payments.md "The card reader").

A supervisor registers a kiosk's reader; a signed-in family's kiosk asks for a deposit on
it; the kiosk long-polls the payment's state and cancels it (Cancel, the idle wipe). The
kiosk never sees a card number: the processor drives the reader.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy import select

from central.api.deps import (
    AppServices,
    IdempotencyKey,
    KioskAuth,
    OwnedAccountId,
    Services,
    SupervisorAuth,
    staff_facility,
)
from central.kernel.fields import JSON_INTEGER, STRICT, Identifier, JsonBool, Strict
from central.kernel.problems import ProblemError, problems
from central.money.charges import view_of
from central.money.deposits import deposit_out
from central.money.gateway.reader import ReaderGateway, ReaderState
from central.money.gateway.reader_choice import ReadersUnsupported, build_reader_gateway
from central.money.models import Charge, ChargePurpose, ChargeState, LedgerJournal
from central.money.schemas import Cents, DepositCents, DepositOut
from central.money.terminal import (
    ReaderDeposit,
    ReaderPaymentView,
    ReaderView,
    RegisterReader,
    cancel_payment,
    kiosk_reader,
    no_reader_problem,
    reader_payment,
    reader_view,
    register_kiosk_reader,
    start_reader_deposit,
)
from central.plans.models import RenewalMode, Subscription
from central.plans.purchases import (
    ReaderPurchase,
    ReaderRenewal,
    start_reader_purchase,
    start_reader_renewal,
)
from central.plans.schemas import SubscriptionOut, TermsVersion, subscription_out

# What a reader payment route starts: a deposit, a purchase, a renewal.
_Command = TypeVar("_Command")

router = APIRouter(tags=["card reader"])

# The longest a kiosk's GET may wait for the reader's state to change (seconds).
MAX_WAIT_SECONDS = 20.0
POLL_EVERY_SECONDS = 0.2

ReaderRef = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                             pattern=r"^[A-Za-z0-9_]+$")]


class ReaderIn(Strict):
    reader_ref: ReaderRef = Field(description="The processor's reader id: Stripe's "
                                  "``tmr_...``, or a sandbox simulated reader ``sim_...``")
    label: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None


class ReaderOut(BaseModel):
    id: str
    kiosk_id: str
    gateway: str
    reader_ref: str
    label: str
    registered_at: datetime


def _save_card(why: str) -> Any:
    """The reader bodies' ``save_card``: false unless the family agreed on screen."""
    return Field(default=False, description="The family agreed on screen to keep the card"
                 + why)


def _quoted_total(what: str, answer: str = "") -> Any:
    """The reader bodies' total the family accepted: the service answers 409
    ``quote_changed`` when it is no longer that."""
    return Field(description=f"{what}; 409 quote_changed{answer} if it is no longer that")


class ReaderDepositIn(Strict):
    amount_cents: DepositCents
    total_cents: Cents | None = Field(
        default=None, description="The total the family saw on the quote; 409 if it changed")
    save_card: Annotated[bool, STRICT] = _save_card(
        " for renewals: an approved card becomes the account's card on file")


class ReaderPurchaseIn(Strict):
    plan_id: Identifier
    renewal_mode: RenewalMode
    terms_version: TermsVersion
    accept_terms: JsonBool = Field(
        description="Must be true: the family accepts the no-refund terms")
    quoted_total_cents: Cents = _quoted_total(
        "The price_cents of the quote the family accepted", " with the new quote")
    save_card: Annotated[bool, STRICT] = _save_card(
        " for renewals; required for automatic renewal (422 save_card_required)")


class ReaderRenewalIn(Strict):
    subscription_id: Identifier
    quoted_total_cents: Cents = _quoted_total(
        "The price the family was shown (the subscription's price_cents)")
    save_card: Annotated[bool, STRICT] = _save_card(
        ": an approved card becomes the account's card on file")


class ReaderPaymentOut(BaseModel):
    id: str
    purpose: str
    amount_cents: Annotated[int, JSON_INTEGER]
    state: ReaderState
    decline_code: str | None
    save_card: bool
    card_saved: bool
    brand: str | None
    last4: str | None
    started_at: datetime
    finished_at: datetime | None
    deposit: DepositOut | None = Field(
        default=None, description="The credited deposit, once an approved deposit settled")
    subscription: SubscriptionOut | None = Field(
        default=None, description="The subscription a purchase started, or a renewal "
        "paid the next period of, once it settled")
    refunded: bool = Field(
        default=False, description="The card was approved but what it paid for could not "
        "happen (a subscription for the service started meanwhile): it is refunded")


def readers_of(request: Request, services: AppServices) -> ReaderGateway:
    """The reader gateway beside the app's payment gateway, built once per app."""
    readers: ReaderGateway | None = getattr(request.app.state, "readers", None)
    if readers is None:
        try:
            readers = build_reader_gateway(services.gateway, services.db, services.clock)
        except ReadersUnsupported as exc:
            raise ProblemError(409, "readers_unsupported",
                               "This server's payment processor drives no card readers",
                               str(exc)) from None
        request.app.state.readers = readers
    return readers


def _on_the_reader(
    request: Request, services: AppServices,
    start: Callable[[_Command, AppServices, ReaderGateway], ReaderPaymentView],
    command: _Command,
) -> ReaderPaymentOut:
    """The reader payment routes' one way: the reader gateway (409 ``readers_unsupported``
    before any check of the body), the payment ``start`` begins for ``command`` on it (the
    service's checks and problems), and the payment as it is now."""
    return _payment_out(services, start(command, services, readers_of(request, services)))


def _reader_out(view: ReaderView) -> ReaderOut:
    return ReaderOut(id=view.id, kiosk_id=view.kiosk_id, gateway=view.gateway,
                     reader_ref=view.reader_ref, label=view.label,
                     registered_at=view.registered_at)


def _payment_out(services: AppServices, view: ReaderPaymentView) -> ReaderPaymentOut:
    deposit = subscription = None
    with services.db.transaction() as session:
        charge = session.get_one(Charge, view.charge_id)
        if (charge.purpose is ChargePurpose.DEPOSIT and charge.state is ChargeState.SETTLED
                and session.execute(select(LedgerJournal.id).where(
                    LedgerJournal.charge_id == charge.id)).first() is not None):
            deposit = deposit_out(session, view_of(charge))
        if (charge.purpose in (ChargePurpose.SUBSCRIPTION, ChargePurpose.RENEWAL)
                and charge.state is ChargeState.SETTLED and charge.subject_id is not None):
            started = session.get(Subscription, charge.subject_id)
            if started is not None:
                subscription = subscription_out(session, started)
        refunded = charge.state in (ChargeState.REFUND_DUE, ChargeState.REFUNDED)
    return ReaderPaymentOut(
        id=view.id, purpose=view.purpose, amount_cents=view.amount_cents, state=view.state,
        decline_code=view.decline_code, save_card=view.save_card, card_saved=view.card_saved,
        brand=view.brand, last4=view.last4, started_at=view.started_at,
        finished_at=view.finished_at, deposit=deposit, subscription=subscription,
        refunded=refunded)


@router.put(
    "/v1/terminal/readers/{kiosk_id}",
    response_model=ReaderOut,
    responses=problems(400, 401, 403, 404, 409, 422),
)
def put_reader(kiosk_id: str, body: ReaderIn, request: Request, services: Services,
               kiosk: KioskAuth, supervisor: SupervisorAuth) -> ReaderOut:
    """Register the card reader of a kiosk of the supervisor's facility (replacing the one it
    had). 422 ``reader_unknown`` when the processor has no such reader; 409
    ``reader_in_use`` when another kiosk has it."""
    return _reader_out(register_kiosk_reader(RegisterReader(
        kiosk_id, staff_facility(supervisor, kiosk), body.reader_ref, body.label,
        supervisor.staff.id), readers_of(request, services), services))


@router.get(
    "/v1/terminal/reader",
    response_model=ReaderOut,
    responses=problems(401, 409),
)
def get_my_reader(services: Services, kiosk: KioskAuth) -> ReaderOut:
    """The calling kiosk's reader; 409 ``reader_not_registered`` when it has none."""
    with services.db.transaction() as session:
        reader = kiosk_reader(session, kiosk.id)
        if reader is None:
            raise no_reader_problem()
        return _reader_out(reader_view(reader))


@router.post(
    "/v1/accounts/{account_id}/terminal/deposits",
    status_code=201,
    response_model=ReaderPaymentOut,
    responses=problems(400, 401, 403, 409, 422, 503),
)
def post_reader_deposit(body: ReaderDepositIn, account_id: OwnedAccountId, request: Request,
                        services: Services, kiosk: KioskAuth,
                        idempotency_key: IdempotencyKey) -> ReaderPaymentOut:
    """Collect a deposit on this kiosk's reader: the charge is recorded, then handed to the
    reader; the answer is the payment (``waiting_for_card``), whose state the kiosk then
    reads. The same Idempotency-Key again answers the same payment."""
    return _on_the_reader(request, services, start_reader_deposit, ReaderDeposit(
        kiosk.id, account_id, body.amount_cents, body.total_cents, body.save_card,
        idempotency_key))


@router.post(
    "/v1/accounts/{account_id}/terminal/subscriptions",
    status_code=201,
    response_model=ReaderPaymentOut,
    responses=problems(400, 401, 403, 409, 422, 503),
)
def post_reader_purchase(body: ReaderPurchaseIn, account_id: OwnedAccountId, request: Request,
                         services: Services, kiosk: KioskAuth,
                         idempotency_key: IdempotencyKey) -> ReaderPaymentOut:
    """Buy a plan on this kiosk's reader (docs/payments.md "The card reader"): the checks of
    a purchase by card on file (``terms_not_accepted``, ``terms_changed``, ``quote_changed``
    with the new quote, ``already_subscribed``), then the charge is recorded and handed to
    the reader; the answer is the payment, whose ``subscription`` appears once the approved
    card started it. Automatic renewal needs ``save_card`` (422 ``save_card_required``).
    The same Idempotency-Key again answers the same payment."""
    return _on_the_reader(request, services, start_reader_purchase, ReaderPurchase(
        kiosk.id, account_id, body.plan_id, body.renewal_mode, body.accept_terms,
        body.terms_version, body.quoted_total_cents, body.save_card, idempotency_key))


@router.post(
    "/v1/accounts/{account_id}/terminal/renewals",
    status_code=201,
    response_model=ReaderPaymentOut,
    responses=problems(400, 401, 403, 404, 409, 422, 503),
)
def post_reader_renewal(body: ReaderRenewalIn, account_id: OwnedAccountId, request: Request,
                        services: Services, kiosk: KioskAuth,
                        idempotency_key: IdempotencyKey) -> ReaderPaymentOut:
    """Renew now on this kiosk's reader (rule 6; docs/payments.md "The card reader"): the
    checks of renew-now by card on file (``not_manual_renewal``, ``cancellation_pending``,
    ``already_renewed``), the price shown (409 ``quote_changed``), 409
    ``renewal_in_progress`` while another attempt to pay the next period is pending; then
    the next period's charge is recorded and handed to the reader. The answer is the
    payment, whose ``subscription`` (with ``renewed_through``) appears once the approved
    card paid the period. The same Idempotency-Key again answers the same payment."""
    return _on_the_reader(request, services, start_reader_renewal, ReaderRenewal(
        kiosk.id, account_id, body.subscription_id, body.quoted_total_cents, body.save_card,
        idempotency_key))


@router.get(
    "/v1/terminal/payments/{payment_id}",
    response_model=ReaderPaymentOut,
    responses=problems(401, 404, 409, 503),
)
def get_reader_payment(
    payment_id: str, request: Request, services: Services, kiosk: KioskAuth,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT_SECONDS,
                                 description="Wait up to this many seconds for the state "
                                 "to differ from ``after``")] = 0,
    after: Annotated[ReaderState | None, Query(description="The state the kiosk shows")
                     ] = None,
) -> ReaderPaymentOut:
    """What the reader is doing with the payment. With ``wait`` and ``after`` the answer
    comes as soon as the state is not ``after`` any more, or when ``wait`` is over."""
    readers = readers_of(request, services)
    deadline = time.monotonic() + wait
    view = reader_payment(services, readers, kiosk.id, payment_id)
    while (after is not None and view.state is after and not view.state.final
           and time.monotonic() < deadline):
        time.sleep(POLL_EVERY_SECONDS)
        view = reader_payment(services, readers, kiosk.id, payment_id)
    return _payment_out(services, view)


@router.post(
    "/v1/terminal/payments/{payment_id}/cancel",
    response_model=ReaderPaymentOut,
    responses=problems(401, 404, 409, 503),
)
def post_cancel_reader_payment(payment_id: str, request: Request, services: Services,
                               kiosk: KioskAuth) -> ReaderPaymentOut:
    """Cancel the reader's action (Cancel, the idle wipe). Answers the payment as it ended:
    ``canceled``, or ``approved`` when the card was approved first."""
    readers = readers_of(request, services)
    return _payment_out(services, cancel_payment(services, readers, kiosk.id, payment_id))
