"""The central API's answers, decoded: the one place where the kiosk reads the server's JSON.

Each ``decode_*`` turns one answer into typed, frozen values (``domain``, or the client's own
records below). A field that is missing or has the wrong type raises ``MalformedAnswer``,
naming the answer and the field (``deposit quote: fee_cents is not an integer``), instead of
a ``KeyError`` from deep inside a capability. Types are checked, never coerced: a price sent
as a string or a boolean is an error, not a number.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from domain import (
    AccountView,
    Advice,
    AdviceOption,
    CardView,
    DepositQuote,
    DepositReceipt,
    FacilitySummary,
    LovedOne,
    PlanView,
    RateView,
    ReaderPayment,
    RefundView,
    ResidentMatch,
    SignUpConflict,
    SubscriptionQuote,
    SubscriptionView,
    TransactionView,
)
from services.errors import MalformedAnswer

T = TypeVar("T")


# -- the client's own records (what only the client and the capabilities need) --------------


@dataclass(frozen=True)
class ServiceState:
    """Whether the fleet's operators let this kiosk serve families, and why not."""

    in_service: bool
    reason: str = ""


@dataclass(frozen=True)
class FamilySession:
    """A signed-in family: never written anywhere, dropped on sign-out and idle wipe."""

    token: str = field(repr=False)
    account_id: str


@dataclass(frozen=True)
class StaffSession:
    """A signed-in staff member: in memory only, dropped when staff mode ends."""

    token: str = field(repr=False)
    staff_id: str
    name: str
    role: str
    # The kiosk's facility allows typing a card number (staff-assisted only).
    keyed_entry: bool = False


@dataclass(frozen=True)
class CashDepositAnswer:
    """A stacked note credited (or its first answer replayed): what the receipt names."""

    deposit_id: str
    transaction_id: str
    amount_cents: int
    note_count: int
    method: str  # "cash, 3 notes"


@dataclass(frozen=True)
class CashReceiptAnswer:
    """A cash visit's e-mailed receipt, queued on the server."""

    amount_cents: int
    note_count: int
    method: str


@dataclass(frozen=True)
class CashCountAnswer:
    """A cassette's count, kept on the server."""

    count_id: str
    cassette: int
    note_count: int
    total_cents: int


@dataclass(frozen=True)
class Enrollment:
    kiosk_id: str
    facility_id: str
    token: str


@dataclass(frozen=True, slots=True)
class FacilityDetail:
    """A facility's time zone, the plans it sells and its per-minute rates."""

    id: str
    timezone: str
    plans: tuple[PlanView, ...]
    rates: tuple[RateView, ...]


@dataclass(frozen=True, slots=True)
class TransactionsPage:
    """The balance and the latest AdvanceConnect transactions, newest first."""

    balance_cents: int
    transactions: tuple[TransactionView, ...]


# -- reading JSON strictly --------------------------------------------------------------------


class Fields:
    """One JSON object of an answer, read field by field with its type checked."""

    def __init__(self, answer: str, body: object, path: str = "") -> None:
        self._answer = answer
        self._path = path
        if not isinstance(body, dict):
            raise MalformedAnswer(answer, path or "the answer", "an object")
        self._body: dict[str, object] = body

    @property
    def answer(self) -> str:
        return self._answer

    @property
    def path(self) -> str:
        return self._path

    def raw(self, key: str) -> object:
        """The field's JSON value as it came (None when missing)."""
        return self._body.get(key)

    def where(self, key: str) -> str:
        return f"{self._path}.{key}" if self._path else key

    def bad(self, key: str, expected: str) -> MalformedAnswer:
        return MalformedAnswer(self._answer, self.where(key), expected)

    def text(self, key: str) -> str:
        value = self._body.get(key)
        if not isinstance(value, str):
            raise self.bad(key, "a string")
        return value

    def opt_text(self, key: str) -> str:
        """A string that may be missing or null: "" then."""
        value = self._body.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.bad(key, "a string")
        return value

    def integer(self, key: str) -> int:
        value = self._body.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.bad(key, "an integer")
        return value

    def opt_integer(self, key: str) -> int | None:
        """An integer that may be missing or null (an unlimited allotment)."""
        if self._body.get(key) is None:
            return None
        return self.integer(key)

    def flag(self, key: str) -> bool:
        value = self._body.get(key)
        if not isinstance(value, bool):
            raise self.bad(key, "true or false")
        return value

    def time(self, key: str) -> datetime:
        text = self.text(key)
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise self.bad(key, "an ISO 8601 time") from None

    def obj(self, key: str) -> Fields:
        return Fields(self._answer, self._body.get(key), self.where(key))

    def opt_obj(self, key: str) -> Fields | None:
        return None if self._body.get(key) is None else self.obj(key)

    def items(self, key: str, *, optional: bool = False) -> list[Fields]:
        """Each object of the list under ``key`` (a missing or null list is empty when
        ``optional``)."""
        value = self._body.get(key)
        if value is None and optional:
            return []
        if not isinstance(value, list):
            raise self.bad(key, "a list")
        return [Fields(self._answer, item, f"{self.where(key)}[{i}]")
                for i, item in enumerate(value)]

    def strings(self, key: str) -> list[str]:
        value = self._body.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.bad(key, "a list of strings")
        return [str(v) for v in value]


def each(answer: str, body: object, read: Callable[[Fields], T]) -> list[T]:
    """An answer that is a JSON list of objects, each read with ``read``."""
    if not isinstance(body, list):
        raise MalformedAnswer(answer, "the answer", "a list")
    return [read(Fields(answer, item, f"[{i}]")) for i, item in enumerate(body)]


# -- the answers --------------------------------------------------------------------------------


def service_state(body: object) -> ServiceState:
    f = Fields("heartbeat", body)
    return ServiceState(f.flag("in_service"), f.opt_text("out_of_service_reason"))


def enrollment(body: object) -> Enrollment:
    f = Fields("enrollment", body)
    return Enrollment(f.text("kiosk_id"), f.text("facility_id"), f.text("token"))


def facility(f: Fields) -> FacilitySummary:
    return FacilitySummary(
        id=f.text("id"),
        name=f.text("name"),
        state=f.text("state"),
        timezone=f.text("timezone"),
        offers_subscriptions=f.flag("offers_subscriptions"),
        offers_single_call=f.flag("offers_single_call"),
    )


def resident(f: Fields) -> ResidentMatch:
    return ResidentMatch(f.text("id"), f.text("display_name"), f.text("resident_number"))


def resident_directory(body: object) -> list[ResidentMatch]:
    return [resident(r) for r in Fields("resident directory", body).items("residents")]


def created_account_id(body: object) -> str:
    return Fields("new account", body).text("id")


def family_session(body: object) -> FamilySession:
    f = Fields("sign-in", body)
    return FamilySession(token=f.text("token"), account_id=f.text("account_id"))


def staff_session(body: object) -> StaffSession:
    f = Fields("staff sign-in", body)
    staff = f.obj("staff")
    keyed = body.get("keyed_entry") if isinstance(body, dict) else None
    return StaffSession(token=f.text("token"), staff_id=staff.text("id"),
                        name=staff.text("name"), role=staff.text("role"),
                        keyed_entry=keyed is True)


def card(f: Fields) -> CardView:
    return CardView(f.text("brand"), f.text("last4"), f.opt_text("id"))


def subscription(f: Fields) -> SubscriptionView:
    pending = f.opt_obj("pending_change")
    return SubscriptionView(
        id=f.text("id"),
        plan_name=f.text("plan_name"),
        service=f.text("service"),
        allotment=f.opt_integer("allotment"),
        used=f.integer("used"),
        remaining=f.opt_integer("remaining"),
        period_end=f.text("period_end"),
        renewal_mode=f.text("renewal_mode"),
        cancel_at_period_end=f.flag("cancel_at_period_end"),
        pending_renewal_mode=pending.opt_text("renewal_mode") if pending else "",
        price_cents=f.opt_integer("price_cents") or 0,
        renewed_through=f.opt_text("renewed_through"),
    )


def account(body: object) -> AccountView:
    f = Fields("account", body)
    cards = f.items("payment_methods", optional=True)
    return AccountView(
        account_id=f.text("id"),
        first_name=f.text("first_name"),
        last_name=f.text("last_name"),
        balance_cents=f.integer("balance_cents"),
        loved_ones=tuple(
            LovedOne(r.text("facility_id"), r.text("resident_id"), r.text("display_name"))
            for r in f.items("linked_residents", optional=True)
        ),
        subscriptions=tuple(subscription(s) for s in f.items("subscriptions", optional=True)),
        card=card(cards[0]) if cards else None,
    )


def deposit_quote(body: object) -> DepositQuote:
    return decode_as(DepositQuote, body, "deposit quote")


def deposit_receipt(body: object) -> DepositReceipt:
    f = Fields("deposit", body)
    return DepositReceipt(
        reference=f.text("transaction_id"),
        amount_cents=f.integer("amount_cents"),
        fee_cents=f.integer("fee_cents"),
        total_cents=f.integer("total_cents"),
        balance_cents=f.integer("balance_cents"),
        card=card(f.obj("card")),
    )


def cash_deposit(body: object) -> CashDepositAnswer:
    return decode_as(CashDepositAnswer, body, "cash deposit")


def cash_maximum(body: object) -> int:
    """The kiosk's facility's cash maximum (``GET /v1/kiosks/cash-terms``), in cents."""
    return Fields("cash terms", body).integer("maximum_cents")


def cash_receipt(body: object) -> CashReceiptAnswer:
    return decode_as(CashReceiptAnswer, body, "cash receipt")


def cash_count(body: object) -> CashCountAnswer:
    return decode_as(CashCountAnswer, body, "cash box count")


def reader_payment(body: object) -> ReaderPayment:
    f = Fields("reader payment", body)
    deposit = f.opt_obj("deposit")
    started = f.opt_obj("subscription")
    refunded = body.get("refunded") if isinstance(body, dict) else None
    return ReaderPayment(
        id=f.text("id"),
        state=f.text("state"),
        amount_cents=f.integer("amount_cents"),
        decline_code=f.opt_text("decline_code"),
        brand=f.opt_text("brand"),
        last4=f.opt_text("last4"),
        card_saved=f.flag("card_saved"),
        deposit=None if deposit is None else DepositReceipt(
            reference=deposit.text("transaction_id"),
            amount_cents=deposit.integer("amount_cents"),
            fee_cents=deposit.integer("fee_cents"),
            total_cents=deposit.integer("total_cents"),
            balance_cents=deposit.integer("balance_cents"),
            card=card(deposit.obj("card")),
        ),
        subscription=None if started is None else subscription(started),
        refunded=refunded is True,
        purpose=f.opt_text("purpose") or "deposit",
    )


def saved_card(body: object) -> CardView:
    return card(Fields("card", body))


def gateway_token(body: object) -> str:
    return Fields("card token", body).text("token")


def plan(f: Fields) -> PlanView:
    return PlanView(
        id=f.text("id"),
        kind=f.text("kind"),
        name=f.text("name"),
        price_cents=f.integer("price_cents"),
        allotment=f.opt_integer("allotment"),
    )


def rate(f: Fields) -> RateView:
    return RateView(f.text("kind"), f.text("destination"), f.integer("cents_per_minute"))


def facility_detail(body: object) -> FacilityDetail:
    f = Fields("facility", body)
    return FacilityDetail(
        id=f.text("id"),
        timezone=f.text("timezone"),
        plans=tuple(plan(p) for p in f.items("plans", optional=True)),
        rates=tuple(rate(r) for r in f.items("rates", optional=True)),
    )


def subscription_quote(body: object) -> SubscriptionQuote:
    f = Fields("subscription quote", body)
    terms = f.opt_obj("terms")
    return SubscriptionQuote(
        plan_id=f.text("plan_id"),
        plan_name=f.text("plan_name"),
        plan_kind=f.text("plan_kind"),
        price_cents=f.integer("price_cents"),
        allotment=f.opt_integer("allotment"),
        in_state_only=f.strings("covered_destinations") == ["in_state"],
        coverage=f.opt_text("coverage"),
        renewal_mode=f.text("renewal_mode"),
        period_start=f.text("period_start"),
        period_end=f.text("period_end"),
        terms_version=f.text("terms_version"),
        terms_text=terms.opt_text("text") if terms else "",
    )


def subscription_answer(body: object) -> SubscriptionView:
    return subscription(Fields("subscription", body))


def advice(body: object) -> Advice:
    f = Fields("advice", body)
    return Advice(
        basis=f.text("basis"),
        options=tuple(
            AdviceOption(o.text("label"), o.integer("monthly_cost_cents"),
                         o.integer("monthly_savings_cents"), o.flag("is_recommended"))
            for o in f.items("options")
        ),
    )


def transactions_page(body: object) -> TransactionsPage:
    f = Fields("transactions", body)
    return TransactionsPage(
        balance_cents=f.integer("balance_cents"),
        transactions=tuple(
            TransactionView(t.text("id"), t.text("kind"), t.integer("amount_cents"),
                            t.text("description"), t.text("created_at"))
            for t in f.items("transactions")
        ),
    )


def refund(body: object) -> RefundView:
    f = Fields("refund request", body)
    return RefundView(
        reference=f.text("transaction_id"),
        amount_cents=f.integer("amount_cents"),
        balance_cents=f.integer("balance_cents"),
        status=f.text("status"),
        created_at=f.text("created_at"),
    )


def sign_up_conflict(f: Fields) -> SignUpConflict:
    return SignUpConflict(f.text("id"), f.text("first_name"), f.text("phone"), f.text("email"),
                          f.time("signed_up_at"))


# -- any answer shaped like its dataclass ------------------------------------------------------


def decode_as(kind: type[T], body: object, answer: str = "") -> T:
    """``body`` read into the frozen dataclass ``kind``, field by field with its JSON name
    the field's name: the same strict reading as the hand-written decoders above (no
    coercion; a missing field without a default, or a wrong type, is ``MalformedAnswer``).
    A new request's answer needs no decoder of its own (docs/architecture.md, "Adding a
    kiosk request"). Field types: str, int, bool, datetime, an Enum, another such
    dataclass, ``X | None``, ``tuple[X, ...]`` and ``list[X]`` of those."""
    return _read_object(kind, Fields(answer or _spoken(kind.__name__), body))


def _spoken(name: str) -> str:
    """``ReaderInfo`` -> ``reader info``, as the hand-written decoders name their answers."""
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()


def _read_object(kind: type[T], f: Fields) -> T:
    hints = typing.get_type_hints(kind)
    values: dict[str, object] = {}
    for spec in dataclasses.fields(kind):  # type: ignore[arg-type]
        has_default = (spec.default is not dataclasses.MISSING
                       or spec.default_factory is not dataclasses.MISSING)
        if has_default and f.raw(spec.name) is None:
            continue
        values[spec.name] = _read_value(hints[spec.name], f, spec.name)
    return kind(**values)


def _read_value(form: object, f: Fields, key: str) -> object:
    origin = typing.get_origin(form)
    arms = typing.get_args(form)
    if origin in (typing.Union, types.UnionType):
        present = [arm for arm in arms if arm is not type(None)]
        if len(present) != 1:
            raise TypeError(f"decode_as reads X | None, not {form}")
        return None if f.raw(key) is None else _read_value(present[0], f, key)
    if origin in (tuple, list):
        item = arms[0]
        raw = f.raw(key)
        if not isinstance(raw, list):
            raise f.bad(key, "a list")
        listed = [_read_value(item, Fields(f.answer, {f"{key}[{i}]": v}, f.path),
                              f"{key}[{i}]") for i, v in enumerate(raw)]
        return tuple(listed) if origin is tuple else listed
    if form is str:
        return f.text(key)
    if form is bool:
        return f.flag(key)
    if form is int:
        return f.integer(key)
    if form is datetime:
        return f.time(key)
    if isinstance(form, type) and issubclass(form, enum.Enum):
        raw = f.raw(key)
        try:
            return form(raw)
        except ValueError:
            raise f.bad(key, f"one of {', '.join(str(m.value) for m in form)}") from None
    if isinstance(form, type) and dataclasses.is_dataclass(form):
        return _read_object(form, f.obj(key))
    raise TypeError(f"decode_as cannot read a field of type {form}")
