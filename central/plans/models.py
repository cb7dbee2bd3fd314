"""Tables of what a family bought: subscriptions and each period paid for (rules 4-8). What
a facility offers (facilities, residents, rates, plans) is in :mod:`central.kernel.facilities`."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from central.db.base import Base, UTCDateTime, cents, enum_type, str_id, utc_time


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
    service: Mapped[Service] = mapped_column(enum_type(Service))
    # The number calls come to (the account's phone when bought), in E.164.
    phone: Mapped[str] = mapped_column(String(20))
    status: Mapped[SubscriptionStatus] = mapped_column(enum_type(SubscriptionStatus))
    # Price and allotment as sold; a later plan change does not alter a running subscription.
    price_cents: Mapped[cents]
    allotment: Mapped[int | None] = mapped_column(Integer, nullable=True)
    renewal_mode: Mapped[RenewalMode] = mapped_column(enum_type(RenewalMode))
    payment_method_id: Mapped[str | None] = mapped_column(
        ForeignKey("payment_methods.id"), nullable=True
    )
    # Rule 7: changes to the payment choice wait for the end of the current period.
    pending_renewal_mode: Mapped[RenewalMode | None] = mapped_column(
        enum_type(RenewalMode), nullable=True
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
    # The latest attempt to pay the next period (central.plans.next_period): its number is
    # in the attempt's gateway key. 0 before the first; back to 0 when a period starts.
    renewal_attempt: Mapped[int] = mapped_column(Integer, default=0)
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
    # The gateway charge's idempotency key, e.g. renewal:{subscription_id}:{period_start}:{n}.
    charge_key: Mapped[str] = mapped_column(String(200), unique=True)
    # The card charge that paid for it: such a charge is never refunded. One period per
    # charge, and (above) one period per start: one approved charge per period.
    charge_id: Mapped[str | None] = mapped_column(
        ForeignKey("charges.id"), nullable=True, index=True, unique=True
    )
    charged_at: Mapped[utc_time]

    subscription: Mapped[Subscription] = relationship(back_populates="periods")
