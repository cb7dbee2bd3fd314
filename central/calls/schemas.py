"""Request and response bodies of call authorization and rating (the call platform's API)
and of Single Call. Money is integer cents."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, Field
from pydantic import Strict as StrictValue

from central.calls.models import CallOutcome
from central.identity.schemas import Phone
from central.kernel.facilities import CallKind, Destination
from central.kernel.fields import JSON_INTEGER, Identifier, Token
from central.kernel.fields import Strict as StrictModel
from central.money.schemas import CardSummary

if TYPE_CHECKING:
    from central.calls.rating import RatedCall

Decision = Literal["covered", "charged", "single_call_available", "refused"]
MAX_CALL_SECONDS = 24 * 3600
MAX_SINGLE_CALL_MINUTES = 120


class CallAuthorizeIn(StrictModel):
    facility_id: Identifier = Field(description="The facility the call is placed from")
    resident_id: Identifier = Field(description="The resident placing the call")
    phone: Phone = Field(description="The number dialed; any common format, stored as E.164")
    kind: CallKind
    destination: Destination


class CallAuthorizationOut(BaseModel):
    """The decision about one call. Read ``decision`` first:

    - ``covered``: a subscription pays; ``calls_remaining`` is what the platform reads out
      (null with ``unlimited`` true);
    - ``charged``: AdvanceConnect pays per started minute; the call may last ``max_minutes``
      (that much is held from the balance until the call is rated);
    - ``single_call_available``: pay by card with ``POST /v1/calls/{call_id}/single-call``;

    For ``charged`` and ``single_call_available``, ``reason`` says why no subscription covers
    the call (``allotment_used_up``, ``not_in_state``, ``international``, ``no_subscription``)
    and ``calls_remaining`` is what is left on the family's call plan, if there is one.
    - ``refused``: ``reason`` says why (``no_account``, ``insufficient_balance``,
      ``resident_unknown``, ``no_rate``).
    """

    call_id: str
    decision: Decision
    reason: str | None = None
    kind: CallKind
    destination: Destination
    phone: str
    subscription_id: str | None = None
    calls_remaining: int | None = None
    unlimited: bool = False
    cents_per_minute: int | None = None
    max_minutes: int | None = None
    balance_cents: int | None = None
    single_call_max_minutes: int | None = None
    authorized_at: datetime


class CallRateIn(StrictModel):
    duration_seconds: Annotated[int, StrictValue(), Field(ge=0, le=MAX_CALL_SECONDS),
                                JSON_INTEGER]


class CallRatedOut(BaseModel):
    """A finished call's price. ``billed_minutes`` are started minutes, capped at what was
    authorized (rule 9); ``charged_cents`` is what the family paid for it (0 when covered)."""

    call_id: str
    outcome: CallOutcome
    duration_seconds: int
    billed_minutes: int
    cents_per_minute: int
    charged_cents: int
    balance_cents: int | None = None
    rated_at: datetime
    refunded_cents: int = Field(
        default=0, description="A Single Call's prepaid minutes it did not use, refunded to "
                               "its card (0 for other calls)")

    @classmethod
    def of(cls, rated: RatedCall) -> CallRatedOut:
        fields = asdict(rated)
        fields.pop("replayed")
        return cls(**fields)


class SingleCallIn(StrictModel):
    token: Token
    minutes: Annotated[
        int, StrictValue(),
        Field(ge=1, le=MAX_SINGLE_CALL_MINUTES,
              description="Minutes to prepay at the facility's rate"),
        JSON_INTEGER,
    ]


class SingleCallOut(BaseModel):
    call_id: str
    decision: Literal["authorized"] = "authorized"
    minutes: int
    cents_per_minute: int
    amount_cents: int
    card: CardSummary
