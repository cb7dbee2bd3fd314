"""Tables of subscriptions and calls: what a family bought, each period it paid for, and
every call the platform asked about (rules 2-8, 10-12)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from central.models import Base, CallKind, Destination, UTCDateTime, _enum, cents, str_id, utc_time


class Service(enum.StrEnum):
    """What a subscription covers; a family holds at most one active per service."""

    CALLS = "calls"
    VIDEO = "video"


class SubscriptionStatus(enum.StrEnum):
    ACTIVE = "active"  # covered now (possibly marked to cancel at period end)
    EXPIRED = "expired"  # a renewal failed or a manual one was not paid: never revived
    CANCELED = "canceled"  # ended at period end after the family cancelled


class RenewalMode(enum.StrEnum):
    AUTO = "auto"  # the card on file is charged at period end
    MANUAL = "manual"  # the family renews before period end, or it expires


class Subscription(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (
        # Rule: one active subscription per service, per linked phone, per facility.
        Index(
            "uq_subscriptions_active_service_phone_facility",
            "service", "phone", "facility_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_subscriptions_due", "status", "current_period_end"),
    )

    id: Mapped[str_id]
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"))
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"))
    service: Mapped[Service] = mapped_column(_enum(Service))
    # The number calls come to (the account's phone when bought), in E.164.
    phone: Mapped[str] = mapped_column(String(20))
    status: Mapped[SubscriptionStatus] = mapped_column(_enum(SubscriptionStatus))
    # Price and allotment as sold; a later plan change does not alter a running subscription.
    price_cents: Mapped[cents]
    allotment: Mapped[int | None] = mapped_column(Integer, nullable=True)
    renewal_mode: Mapped[RenewalMode] = mapped_column(_enum(RenewalMode))
    payment_method_id: Mapped[str | None] = mapped_column(
        ForeignKey("payment_methods.id"), nullable=True
    )
    # Rule 7: changes to the payment choice wait for the end of the current period.
    pending_renewal_mode: Mapped[RenewalMode | None] = mapped_column(
        _enum(RenewalMode), nullable=True
    )
    pending_payment_method_id: Mapped[str | None] = mapped_column(
        ForeignKey("payment_methods.id"), nullable=True
    )
    # Rule 4: periods run from this anchor, month by month, in the facility's time zone.
    period_anchor: Mapped[utc_time]
    period_index: Mapped[int] = mapped_column(Integer, default=0)
    current_period_start: Mapped[utc_time]
    current_period_end: Mapped[utc_time]
    used_in_period: Mapped[int] = mapped_column(Integer, default=0)
    # Rule 8: marked for cancellation, still active until the period ends.
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, default=False)
    # Rule 8: the no-refund terms, accepted before purchase.
    terms_version: Mapped[str] = mapped_column(String(32))
    terms_accepted_at: Mapped[utc_time]
    created_at: Mapped[utc_time]
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # A renewal run claims a due subscription by a conditional update of these two.
    renewal_claim: Mapped[str | None] = mapped_column(String(64), nullable=True)
    renewal_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Reminders go out once per period: the period start they were sent for.
    usage_reminder_sent_for: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True
    )
    renewal_reminder_sent_for: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True
    )

    periods: Mapped[list[SubscriptionPeriod]] = relationship(
        back_populates="subscription", order_by="SubscriptionPeriod.period_start"
    )


class SubscriptionPeriod(Base):
    """One paid period: the purchase, a renewal, or a manual renew-now."""

    __tablename__ = "subscription_periods"
    __table_args__ = (UniqueConstraint("subscription_id", "period_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(ForeignKey("subscriptions.id"), index=True)
    period_start: Mapped[utc_time]
    period_end: Mapped[utc_time]
    amount_cents: Mapped[cents]
    # The gateway charge's idempotency key, e.g. renewal:{subscription_id}:{period_start}.
    charge_key: Mapped[str] = mapped_column(String(200), unique=True)
    charged_at: Mapped[utc_time]

    subscription: Mapped[Subscription] = relationship(back_populates="periods")


class CallOutcome(enum.StrEnum):
    COVERED = "covered"  # counted against a subscription's allotment
    CHARGED = "charged"  # paid from AdvanceConnect per started minute
    SINGLE_CALL = "single_call"  # paid by card, no account balance (rule 10)
    REFUSED = "refused"


class CallStatus(enum.StrEnum):
    AUTHORIZED = "authorized"
    RATED = "rated"  # finished and priced
    REFUSED = "refused"


class Call(Base):
    """A call the call platform asked us to authorize, and then to rate."""

    __tablename__ = "calls"

    id: Mapped[str_id]
    facility_id: Mapped[str] = mapped_column(ForeignKey("facilities.id"))
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("residents.id"), nullable=True)
    account_id: Mapped[str | None] = mapped_column(
        ForeignKey("accounts.id"), nullable=True, index=True
    )
    subscription_id: Mapped[str | None] = mapped_column(
        ForeignKey("subscriptions.id"), nullable=True, index=True
    )
    kind: Mapped[CallKind] = mapped_column(_enum(CallKind))
    destination: Mapped[Destination] = mapped_column(_enum(Destination))
    dialed_phone: Mapped[str] = mapped_column(String(20))
    status: Mapped[CallStatus] = mapped_column(_enum(CallStatus))
    outcome: Mapped[CallOutcome] = mapped_column(_enum(CallOutcome))
    refusal_reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    cents_per_minute: Mapped[cents] = mapped_column(default=0)
    # Rule 9: the most minutes the balance covered when the call was authorized.
    max_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    authorized_at: Mapped[utc_time]
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    duration_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    billed_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    charged_cents: Mapped[cents] = mapped_column(default=0)
