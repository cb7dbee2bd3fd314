"""Made-up data the tour renders with: facilities, residents, what a family types, a
signed-in account, and one problem per form. No Qt, no network."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk.domain import (
    AccountView,
    Advice,
    AdviceOption,
    CardView,
    CashBoxCount,
    CashProgress,
    CashReceipt,
    CashTerms,
    DepositQuote,
    DepositReceipt,
    FacilitySummary,
    Language,
    LovedOne,
    NoteInDoubt,
    PlanView,
    RateView,
    ReaderPayment,
    RefundView,
    Refusal,
    ResidentMatch,
    SubscriptionQuote,
    SubscriptionView,
    TransactionsView,
    TransactionView,
)
from kiosk.staff import OutboxRow, SignUpConflict, StaffMember, StaffRole

SAMPLE_FACILITIES = [
    FacilitySummary(
        "harbor-county-jail", "Harbor County Jail", "TX", "America/Chicago", True, True
    ),
    FacilitySummary(
        "mesa-valley-detention",
        "Mesa Valley Detention Center",
        "TX",
        "America/Chicago",
        True,
        False,
    ),
    FacilitySummary(
        "pine-ridge-county-jail", "Pine Ridge County Jail", "CO", "America/Denver", False, True
    ),
    FacilitySummary(
        "desert-springs-prison", "Desert Springs State Prison", "AZ", "America/Phoenix", True, True
    ),
]
SAMPLE_RESIDENTS = [
    ResidentMatch("harbor-county-jail:007", "López, Ana", "100007"),
    ResidentMatch("harbor-county-jail:005", "García, María", "100005"),
]
SAMPLE_TYPING = {
    "register_name": {"first_name": "Angela", "last_name": "Rivera"},
    "register_contact": {"phone": "5125550142", "email": "angela.rivera@example.com"},
    "register_address": {
        "line1": "1401 E 7th St",
        "line2": "Apt 3B",
        "city": "Austin",
        "state": "TX",
        "postal_code": "78702",
    },
    "register_pin": {"pin": "5820", "pin_confirm": "5820"},
    "sign_in": {"phone": "5125550142"},
    "staff_sign_in": {"badge": "1001"},
    "staff_conflict_resolve": {"staff_reason": "The family signed in with their PIN"},
    "staff_outbox_discard": {"staff_reason": "Signed up again at the front desk"},
    "advisor_estimate": {"calls_per_month": "20", "average_minutes": "12",
                         "video_sessions_per_month": "2"},
}
# Mistakes a new user made, checked as typed: a state's name, a short ZIP, a name that is
# really a phone number and an e-mail address.
SAMPLE_BAD_TYPING = {
    "register_address": {"state": "Texas", "postal_code": "770"},
    "register_name": {"last_name": "2145550123luis@example.com"},
}
# Typed but not checked: a card number never goes into a picture, so the form is partial.
SAMPLE_PARTIAL_TYPING = {"card_entry": {"card_expiry": "08/29", "card_zip": "78702"}}
SAMPLE_QUOTE = DepositQuote(2000, 195, 2195, 500, 30000)
SAMPLE_RECEIPT = DepositReceipt("jr_8f2c41d0", 2000, 195, 2195, 4550, CardView("visa", "4242"))
SAMPLE_ACCOUNT = AccountView(
    account_id="acct-1",
    first_name="Angela",
    last_name="Rivera",
    balance_cents=2550,
    loved_ones=(
        LovedOne("harbor-county-jail", "harbor-county-jail:007", "López, Ana"),
        LovedOne("harbor-county-jail", "harbor-county-jail:005", "García, María"),
    ),
    subscriptions=(
        SubscriptionView(
            id="sub-1",
            plan_name="Call Subscription (100 calls)",
            service="voice",
            allotment=100,
            used=38,
            remaining=62,
            period_end="2026-03-03T06:00:00+00:00",
            renewal_mode="auto",
            cancel_at_period_end=False,
            pending_renewal_mode="manual",
            price_cents=4500,
        ),
        SubscriptionView(
            id="sub-2",
            plan_name="Video Visits (8 sessions)",
            service="video",
            allotment=8,
            used=3,
            remaining=5,
            period_end="2026-03-10T06:00:00+00:00",
            renewal_mode="manual",
            cancel_at_period_end=True,
        ),
    ),
    card=CardView("visa", "4242"),
)
# One problem per form, as the server or the checks would report it.
# Cash (docs/cash.md): the US notes an NV200 takes, two notes stacked and a third held, a
# jam, the receipt of the visit, and a cash box count.
SAMPLE_CASH_TERMS = CashTerms((100, 500, 1000, 2000, 5000, 10000), 30_000, simulated=False)
SAMPLE_CASH_PROGRESS = CashProgress(stacked=(2000, 500), returned="suspect",
                                    problem="jammed")
SAMPLE_CASH_RECEIPT = CashReceipt((2000, 500, 1000), sent=True)
SAMPLE_CASH_BOX = CashBoxCount(3, ((100, 4), (500, 7), (1000, 3), (2000, 11)), 0,
                               removed=False, acceptor="jammed")
# Two notes the kiosk could not confirm stacked (a kiosk that died mid-stack), for staff.
SAMPLE_NOTES_IN_DOUBT = (
    NoteInDoubt("cash:4f1c0a", datetime(2026, 1, 15, 16, 42, tzinfo=UTC), 2000,
                "acct-rosa-1", "7a3e91c2", 3),
    NoteInDoubt("cash:9b2d7e", datetime(2026, 1, 15, 17, 5, tzinfo=UTC), 500,
                "acct-jorge-2", "c41f08d5", 3),
)

SAMPLE_ERRORS = {
    "cash_intro": Refusal("cash_unavailable"),
    "cash_insert": Refusal("cash_unavailable"),
    "staff_cash_box": Refusal("cash_unavailable"),
    "staff_cash_doubt_settle": Refusal("note_not_in_doubt"),
    "facility": Refusal("timeout"),
    "resident": Refusal("resident_unknown"),
    "register_name": Refusal("required", "first_name"),
    "register_contact": Refusal("phone_registered", "phone"),
    "register_address": Refusal("postal_code_invalid", "postal_code"),
    "register_pin": Refusal("pin_too_simple", "pin"),
    "review": Refusal("offline"),
    "sign_in": Refusal("pin_incorrect", "pin", attempts_remaining=3),
    "account_home": Refusal("offline"),
    "deposit_amount": Refusal("amount_out_of_range", "amount_cents"),
    "deposit_confirm": Refusal("card_declined"),
    "card_entry": Refusal("card_number_invalid", "number"),
    "buy_plan": Refusal("offline"),
    "buy_renewal": Refusal("plan_not_offered"),
    "buy_terms": Refusal("already_subscribed"),
    "manage_list": Refusal("offline"),
    "manage_confirm": Refusal("period_ended"),
    "uncovered_calls": Refusal("offline"),
    "advisor_basis": Refusal("offline"),
    "advisor_estimate": Refusal("count_invalid", "average_minutes"),
    "advisor_result": Refusal("no_usage_history"),
    "loved_one_confirm": Refusal("resident_already_linked", "resident_id"),
    "loved_one_pin": Refusal("signed_out"),
    "transactions": Refusal("timeout"),
    "refund_confirm": Refusal("nothing_to_refund"),
    "refund_receipt": Refusal("offline"),
    "staff_sign_in": Refusal("pin_incorrect", "staff_pin", attempts_remaining=2),
    "staff_home": Refusal("staff_required"),
    "staff_conflicts": Refusal("timeout"),
    "staff_conflict_resolve": Refusal("offline"),
    "staff_outbox": Refusal("offline"),
    "staff_outbox_discard": Refusal("outbox_not_discardable"),
    "staff_photo_id": Refusal("staff_required"),
    "reader_deposit": Refusal("keyed_entry_not_allowed", "number"),
    "reader_plan": Refusal("save_card_required", "save_card"),
    "reader_renew": Refusal("renewal_in_progress"),
}
SAMPLE_PLANS = [
    PlanView("harbor-county-jail:call-100", "call", "Call Subscription (100 calls)", 4500, 100),
    PlanView("harbor-county-jail:video-8", "video_bundle", "Video Visits (8 sessions)", 3600, 8),
    PlanView("harbor-county-jail:video-unlimited", "video_unlimited", "Unlimited Video", 9900,
             None),
]
SAMPLE_SUBSCRIPTION_QUOTE = SubscriptionQuote(
    plan_id="harbor-county-jail:call-100",
    plan_name="Call Subscription (100 calls)",
    plan_kind="call",
    price_cents=4500,
    allotment=100,
    in_state_only=True,
    coverage="100 calls of up to 15 minutes each, this month.",
    renewal_mode="auto",
    period_start="2026-02-03T06:00:00+00:00",
    period_end="2026-03-03T06:00:00+00:00",
    terms_version="no-refund-2026-01",
    terms_text=(
        "No refunds. The subscription price is charged now for one month. If you cancel early,"
        " if calls or sessions go unused, or for any fee, nothing is refunded. Cancelling stops"
        " the next renewal; coverage lasts until the end of the paid period."
    ),
)
SAMPLE_RATES = [
    RateView("audio", "in_state", 21),
    RateView("audio", "interstate", 21),
    RateView("audio", "international", 89),
    RateView("video", "in_state", 35),
    RateView("video", "interstate", 35),
]
SAMPLE_ADVICE = Advice("estimate", (
    AdviceOption("Pay per minute from AdvanceConnect", 6300, 0, False),
    AdviceOption("Call Subscription (100 calls)", 4500, 1800, True),
    AdviceOption("Call Subscription + Video Visits", 8100, -1800, False),
))

SAMPLE_TRANSACTIONS = TransactionsView(
    balance_cents=2550,
    transactions=(
        TransactionView("jr_8f2c41d0", "call_charge", -315, "Call to (512) 555-0142, 15 min",
                        "2026-02-21T01:12:00+00:00"),
        TransactionView("jr_7a11b2c9", "deposit", 2000, "Deposit by Visa ending in 4242",
                        "2026-02-20T15:40:00+00:00"),
        TransactionView("jr_61d0e3aa", "call_hold", -420, "Call in progress",
                        "2026-02-14T23:05:00+00:00"),
        TransactionView("jr_5c2f9b10", "deposit", 1000, "Deposit by Visa ending in 4242",
                        "2026-02-02T16:20:00+00:00"),
    ),
    timezone="America/Chicago",
)
SAMPLE_REFUND = RefundView("jr_9d3e0f41", 2550, 0, "requested", "2026-02-21T16:02:00+00:00")

# Staff mode (docs/staff-mode.md): a supervisor, two conflicts, and an outbox with a row
# in each state.
_STAFF_AT = datetime(2026, 11, 27, 15, 40, tzinfo=UTC)
SAMPLE_STAFF = StaffMember("staff-7", "Dana Whitfield", StaffRole.SUPERVISOR)
SAMPLE_CONFLICTS = [
    SignUpConflict("conflict-1", "María José", "+12145550123", "mariajose.gutierrez@example.com",
                   _STAFF_AT),
    SignUpConflict("conflict-2", "Angela", "+15125550142", "angela@example.com",
                   _STAFF_AT - timedelta(hours=2)),
]
SAMPLE_OUTBOX = [
    OutboxRow(14, "create_account", "pending", 3, "offline", _STAFF_AT),
    OutboxRow(13, "report_sign_up_conflict", "sent", 1, "", _STAFF_AT - timedelta(minutes=30)),
    OutboxRow(12, "create_account", "conflict", 1, "", _STAFF_AT - timedelta(hours=1),
              "phone_registered", "This phone number already has an account",
              "Sign in with the phone number and PIN instead."),
    OutboxRow(11, "create_account", "failed", 2, "secret_lost", _STAFF_AT - timedelta(hours=3),
              "secret_lost"),
]


# What the server says in Spanish (its catalogs: central/plans/wording.py) when the kiosk
# asks in Spanish: the tour's Spanish pictures show what a Spanish family reads.
_SPANISH_PLAN_NAMES = {
    "Call Subscription (100 calls)": "Suscripción de llamadas: 100 llamadas",
    "Video Visits (8 sessions)": "Suscripción de video: 8 videollamadas",
    "Unlimited Video": "Suscripción de video: ilimitada",
}


def _spanish_plan(name: str) -> str:
    return _SPANISH_PLAN_NAMES.get(name, name)


SPANISH_SAMPLES: dict[str, Any] = {
    "plans": [replace(plan, name=_spanish_plan(plan.name)) for plan in SAMPLE_PLANS],
    "account": replace(SAMPLE_ACCOUNT, subscriptions=tuple(
        replace(sub, plan_name=_spanish_plan(sub.plan_name))
        for sub in SAMPLE_ACCOUNT.subscriptions)),
    "subscription_quote": replace(
        SAMPLE_SUBSCRIPTION_QUOTE,
        plan_name=_spanish_plan(SAMPLE_SUBSCRIPTION_QUOTE.plan_name),
        coverage="Hasta 100 llamadas dentro del estado por período, de cualquier duración, al "
                 "teléfono registrado.",
        terms_text=(
            "Sin reembolsos. El precio de la suscripción se cobra ahora por un mes. Si cancela "
            "antes de tiempo, si no usa llamadas o sesiones, o por cualquier tarifa, no se "
            "reembolsa nada. Cancelar detiene la próxima renovación; la cobertura dura hasta "
            "el fin del período pagado."
        ),
    ),
    "advice": Advice("estimate", (
        AdviceOption("Pagar por minuto con AdvanceConnect", 6300, 0, False),
        AdviceOption(_spanish_plan("Call Subscription (100 calls)"), 4500, 1800, True),
        AdviceOption("Suscripción de llamadas + Suscripción de video", 8100, -1800, False),
    )),
    # What staff typed, in the language they work in.
    "typing": {
        "staff_conflict_resolve": {"staff_reason": "La familia inició sesión con su PIN"},
        "staff_outbox_discard": {"staff_reason": "Se registró de nuevo en la recepción"},
    },
}


def samples(language: Language) -> dict[str, Any]:
    """The server's answers as the tour shows them, in ``language``."""
    english: dict[str, Any] = {
        "plans": list(SAMPLE_PLANS), "account": SAMPLE_ACCOUNT,
        "subscription_quote": SAMPLE_SUBSCRIPTION_QUOTE, "advice": SAMPLE_ADVICE,
        "typing": {},
    }
    return SPANISH_SAMPLES if language is Language.SPANISH else english


# The card reader's states as the tour shows them on the reader's screens (kiosk/tour.py):
# the payment waiting for the card, then each way it can end without paying.
SAMPLE_READER_PAYMENT = ReaderPayment(
    id="rdr-1", state="waiting_for_card", amount_cents=2095, decline_code="", brand="",
    last4="", card_saved=False, deposit=None)
SAMPLE_READER_STATES = (
    ("waiting", SAMPLE_READER_PAYMENT),
    ("reading", replace(SAMPLE_READER_PAYMENT, state="reading")),
    ("declined", replace(SAMPLE_READER_PAYMENT, state="declined",
                         decline_code="card_declined")),
    ("removed", replace(SAMPLE_READER_PAYMENT, state="card_removed")),
    ("timed-out", replace(SAMPLE_READER_PAYMENT, state="timed_out")),
    ("offline", replace(SAMPLE_READER_PAYMENT, state="reader_offline")),
)
