"""The sandbox card processor: real checks, named test cards, no network and no real money.

Test cards (any future expiry, any CVC of the right length):

- ``4242 4242 4242 4242`` Visa, approved; ``5555 5555 5555 4444`` Mastercard, approved
- ``4000 0000 0000 0002`` declined
- ``4000 0000 0000 9995`` declined for insufficient funds
- ``4000 0000 0000 0069`` tokenizes, then every charge fails as expired

Any other valid number is approved. It runs its own transactions, as a separate system
would: a charge is recorded whatever becomes of the caller's transaction.

For crash tests only, ``crash_after_approval`` names charge purposes (the gateway key's
prefix: ``deposit``, ``subscription``, ``renewal``) after whose first approval the process
kills itself with SIGKILL, the worst moment for the caller: the card is charged and the
caller has recorded nothing since. ``lobby-central serve`` sets it from the environment
variable ``LOBBY_CENTRAL_TEST_CRASH_AFTER_APPROVAL``; it is empty (off) by default.
"""

from __future__ import annotations

import os
import secrets
import signal
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from central.db.engine import Database
from central.kernel.clock import Clock
from central.money.gateway import (
    CardBrand,
    CardDetails,
    CardRejected,
    CardToken,
    ChargeRequest,
    ChargeResult,
    DeclineCode,
    KeyConflict,
    PaymentGateway,
    RefundRefused,
    RefundResult,
    UnknownToken,
)
from central.money.gateway.models import GatewayCard, GatewayCharge, GatewayRefund

APPROVE = "approve"
TEST_CARDS: dict[str, str] = {
    "4242424242424242": APPROVE,
    "5555555555554444": APPROVE,
    "4000000000000002": DeclineCode.CARD_DECLINED,
    "4000000000009995": DeclineCode.INSUFFICIENT_FUNDS,
    "4000000000000069": DeclineCode.CARD_EXPIRED,
}
MAX_YEARS_AHEAD = 20


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> CardBrand | None:
    if digits.startswith("4"):
        return CardBrand.VISA
    if digits[:2] in {"34", "37"}:
        return CardBrand.AMEX
    if 51 <= int(digits[:2]) <= 55 or 2221 <= int(digits[:4]) <= 2720:
        return CardBrand.MASTERCARD
    if digits.startswith(("6011", "65")) or 644 <= int(digits[:3]) <= 649:
        return CardBrand.DISCOVER
    return None


def check_card(card: CardDetails, now: datetime) -> tuple[str, CardBrand]:
    digits = card.number.replace(" ", "").replace("-", "")
    if not (digits.isascii() and digits.isdigit() and 12 <= len(digits) <= 19):
        raise CardRejected("card_number_invalid", "number", "A card number has 12 to 19 digits")
    if not luhn_valid(digits):
        raise CardRejected("card_number_invalid", "number", "This card number is not valid")
    brand = card_brand(digits)
    if brand is None:
        raise CardRejected("card_brand_unsupported", "number",
                           "Visa, Mastercard, American Express and Discover are accepted")
    if not 1 <= card.exp_month <= 12:
        raise CardRejected("card_expiry_invalid", "exp_month", "The month is 1 to 12")
    if (card.exp_year, card.exp_month) < (now.year, now.month):
        raise CardRejected("card_expired", "exp_year", "This card has expired")
    if card.exp_year > now.year + MAX_YEARS_AHEAD:
        raise CardRejected("card_expiry_invalid", "exp_year", "This expiry year is not valid")
    cvc_length = 4 if brand is CardBrand.AMEX else 3
    if not (card.cvc.isascii() and card.cvc.isdigit() and len(card.cvc) == cvc_length):
        raise CardRejected("cvc_invalid", "cvc",
                           f"The security code is {cvc_length} digits for this card")
    return digits, brand


CRASH_ENV = "LOBBY_CENTRAL_TEST_CRASH_AFTER_APPROVAL"


def crash_purposes_from_env() -> frozenset[str]:
    """The purposes named in ``LOBBY_CENTRAL_TEST_CRASH_AFTER_APPROVAL`` (comma-separated)."""
    return frozenset(p.strip() for p in os.environ.get(CRASH_ENV, "").split(",") if p.strip())


class SandboxGateway(PaymentGateway):
    @property
    def name(self) -> str:
        return "sandbox"

    def __init__(self, db: Database, clock: Clock,
                 crash_after_approval: Iterable[str] = ()) -> None:
        self._db = db
        self._clock = clock
        self._crash_after = frozenset(crash_after_approval)

    def tokenize(self, card: CardDetails) -> CardToken:
        digits, brand = check_card(card, self._clock.now())
        token = "tok_sandbox_" + secrets.token_urlsafe(24)
        with self._db.transaction() as session:
            session.add(GatewayCard(
                token=token, brand=brand.value, last4=digits[-4:], exp_month=card.exp_month,
                exp_year=card.exp_year, scenario=TEST_CARDS.get(digits, APPROVE),
                created_at=self._clock.now(),
            ))
        return CardToken(token, brand, digits[-4:], card.exp_month, card.exp_year)

    def describe(self, token: str) -> CardToken:
        with self._db.transaction() as session:
            card = session.get(GatewayCard, token)
            if card is None:
                raise UnknownToken(token[:16])
            return CardToken(card.token, CardBrand(card.brand), card.last4, card.exp_month,
                             card.exp_year)

    def charge(self, token: str, amount_cents: int, idempotency_key: str) -> ChargeResult:
        if amount_cents <= 0:
            raise ValueError("a charge is for a positive amount")
        # One transaction: the answer under this key if there is one, else a new charge.
        # A second request with the same key at the same moment fails the unique key and
        # reads the first one's answer.
        now = self._clock.now()
        try:
            with self._db.transaction() as session:
                found = session.execute(select(GatewayCharge).where(
                    GatewayCharge.idempotency_key == idempotency_key)).scalar_one_or_none()
                if found is None:
                    card = session.get(GatewayCard, token)
                    if card is None:
                        raise UnknownToken(token[:16])
                    decline = self._decline(card, now)
                    found = GatewayCharge(
                        idempotency_key=idempotency_key, token=token, amount_cents=amount_cents,
                        status="approved" if decline is None else "declined",
                        decline_code=decline, created_at=now,
                    )
                    session.add(found)
                    session.flush()
                    charged = True
                else:
                    charged = False
                first = _result(found)
        except IntegrityError:
            raced = self._charge_for_key(idempotency_key)  # the same key raced us
            assert raced is not None
            first, charged = raced, False
        if charged and first.approved and idempotency_key.split(":", 1)[0] in self._crash_after:
            os.kill(os.getpid(), signal.SIGKILL)
        if first.token != token or first.amount_cents != amount_cents:
            raise KeyConflict("this key was used for another charge")
        return first

    def charge_many(self, requests: Sequence[ChargeRequest]) -> list[ChargeResult | Exception]:
        """Every request of the batch in one transaction (a renewal run's batch): the keys
        already charged and the cards in one query each, the new charges in one INSERT.
        Each key keeps :meth:`charge`'s promises; a key raced by another caller at the same
        moment fails the batch's INSERT, and the batch is then charged one by one (each
        reads the other's answer)."""
        if any(r.amount_cents <= 0 for r in requests):
            raise ValueError("a charge is for a positive amount")
        now = self._clock.now()
        new_approvals: list[str] = []
        try:
            with self._db.transaction() as session:
                found = {c.idempotency_key: c for c in session.execute(
                    select(GatewayCharge).where(GatewayCharge.idempotency_key.in_(
                        [r.idempotency_key for r in requests]))).scalars()}
                cards = {c.token: c for c in session.execute(
                    select(GatewayCard).where(GatewayCard.token.in_(
                        {r.token for r in requests}))).scalars()}
                made: list[GatewayCharge | Exception] = []
                for request in requests:
                    charge = found.get(request.idempotency_key)
                    if charge is None:
                        card = cards.get(request.token)
                        if card is None:
                            made.append(UnknownToken(request.token[:16]))
                            continue
                        decline = self._decline(card, now)
                        charge = GatewayCharge(
                            idempotency_key=request.idempotency_key, token=request.token,
                            amount_cents=request.amount_cents,
                            status="approved" if decline is None else "declined",
                            decline_code=decline, created_at=now)
                        session.add(charge)
                        found[request.idempotency_key] = charge
                        if decline is None:
                            new_approvals.append(request.idempotency_key)
                    made.append(KeyConflict("this key was used for another charge")
                                if charge.token != request.token
                                or charge.amount_cents != request.amount_cents else charge)
                session.flush()
                answers = [_result(m) if isinstance(m, GatewayCharge) else m for m in made]
        except IntegrityError:
            return super().charge_many(requests)  # a key raced us: read its first answer
        if any(key.split(":", 1)[0] in self._crash_after for key in new_approvals):
            os.kill(os.getpid(), signal.SIGKILL)
        return answers

    def find_charge(self, idempotency_key: str, charge_id: str | None = None
                    ) -> ChargeResult | None:
        # The key is the sandbox's primary look-up, at no cost: the id adds nothing.
        return self._charge_for_key(idempotency_key)

    def refund(self, charge_id: str, amount_cents: int, idempotency_key: str) -> RefundResult:
        if amount_cents <= 0:
            raise ValueError("a refund is for a positive amount")
        with self._db.transaction() as session:
            done = session.execute(
                select(GatewayRefund).where(GatewayRefund.idempotency_key == idempotency_key)
            ).scalar_one_or_none()
            if done is not None:
                if done.charge_id != charge_id or done.amount_cents != amount_cents:
                    raise KeyConflict("this key was used for another refund")
                return RefundResult(done.id, done.charge_id, done.amount_cents)
            charge = session.get(GatewayCharge, charge_id, with_for_update=True)
            if charge is None or charge.status != "approved":
                raise RefundRefused("only an approved charge can be refunded")
            if charge.refunded_cents + amount_cents > charge.amount_cents:
                raise RefundRefused("more than what is left of the charge")
            charge.refunded_cents += amount_cents
            refund = GatewayRefund(idempotency_key=idempotency_key, charge_id=charge_id,
                                   amount_cents=amount_cents, created_at=self._clock.now())
            session.add(refund)
            session.flush()
            return RefundResult(refund.id, charge_id, amount_cents)

    def _charge_for_key(self, idempotency_key: str) -> ChargeResult | None:
        with self._db.transaction() as session:
            charge = session.execute(
                select(GatewayCharge).where(GatewayCharge.idempotency_key == idempotency_key)
            ).scalar_one_or_none()
            return None if charge is None else _result(charge)

    @staticmethod
    def _decline(card: GatewayCard, now: datetime) -> str | None:
        if card.scenario != APPROVE:
            return card.scenario
        if (card.exp_year, card.exp_month) < (now.year, now.month):
            return DeclineCode.CARD_EXPIRED.value
        return None


def _result(charge: GatewayCharge) -> ChargeResult:
    return ChargeResult(
        charge_id=charge.id, token=charge.token, amount_cents=charge.amount_cents,
        approved=charge.status == "approved",
        decline_code=DeclineCode(charge.decline_code) if charge.decline_code else None,
    )
