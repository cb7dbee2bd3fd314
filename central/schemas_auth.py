"""Request and response bodies of sign-in (families and staff) and the account overview."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from central.models_auth import StaffRole
from central.schemas import AccountOut, Phone, Pin, Strict
from central.schemas_money import PaymentMethodOut
from central.schemas_subscriptions import SubscriptionOut


class FamilySessionIn(Strict):
    phone: Phone
    pin: Pin


class FamilySessionOut(BaseModel):
    """Send ``token`` as ``X-Family-Session`` from the kiosk that opened the session."""

    token: str
    account_id: str
    expires_at: datetime


class StaffSessionIn(Strict):
    badge_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                               max_length=32)]
    pin: Pin


class StaffOut(BaseModel):
    id: str
    name: str
    role: StaffRole


class StaffSessionOut(BaseModel):
    """Send ``token`` as ``X-Staff-Session`` from the kiosk that opened the session."""

    token: str
    staff: StaffOut
    expires_at: datetime


class AccountDetail(AccountOut):
    balance_cents: int
    payment_methods: list[PaymentMethodOut]
    subscriptions: list[SubscriptionOut] = Field(
        default_factory=list, description="Active subscriptions, with usage this period"
    )
