"""Staff mode's journeys: sign in with badge and PIN, the staff home, sign-up conflicts,
this kiosk's outbox, "Help a family sign up" (photo ID checked, then the sign-up journey)
and "Help a family who has an account" (the family signs in, then their journeys).
``may_enter`` is the router's guard: only a signed-in staff member reaches staff steps,
and staff sign-in never opens over a family's session (docs/staff-mode.md)."""

from __future__ import annotations

from kiosk.flows import keys as k
from kiosk.flows.cash import STAFF_CASH_STEPS
from kiosk.flows.engine import Data, Journey, Step
from kiosk.flows.keys import Key
from kiosk.requests import (
    CardReaderInfo,
    DiscardOutboxEntry,
    LoadCardReader,
    LoadOutbox,
    LoadSignUpConflicts,
    RecordStaffAction,
    ResolveSignUpConflict,
    RetryOutbox,
    StaffSignIn,
)
from kiosk.staff import StaffMember

STAFF_ONLY = frozenset({"staff"})  # journeys, by name
# The card reader registered to this kiosk, asked each time the staff home shows (None in
# the data: it has none; not in the data: not known yet).
CARD_READER: Key[CardReaderInfo] = Key("card_reader", CardReaderInfo)
# All the staff home keeps: what one family's errand (their sign-up, their account, a
# payment) left in the session is gone before the next family's.
_KEPT_AT_STAFF_HOME = frozenset({k.STAFF})
PHOTO_ID_CHECKED = k.PHOTO_ID_CHECKED
# Staff home's choices: a step of this journey, or the family sign-in ("Help a family who
# has an account": the family types their own phone and PIN).
_CHOICES = frozenset({"staff_conflicts", "staff_outbox", "staff_photo_id", "sign_in:",
                      "staff_cash_box", "staff_cash_doubt"})


def staff_member(data: Data) -> StaffMember | None:
    return k.STAFF.of(data)


def may_enter(journey: str, data: Data) -> bool:
    """Whether the journey ``journey`` may be shown with the session's ``data``."""
    if journey in STAFF_ONLY:
        return staff_member(data) is not None
    if journey == "staff_sign_in":
        return k.ACCOUNT not in data  # never over a signed-in family
    return True


def _sign_in(data: Data) -> StaffSignIn | None:
    badge, pin = k.BADGE.of(data), k.STAFF_PIN.of(data)
    if badge is None or pin is None:
        return None
    return StaffSignIn(badge, pin)


def _chosen(data: Data) -> str | None:
    choice = k.STAFF_CHOICE.of(data)
    return choice if choice in _CHOICES else None


def _resolve(data: Data) -> ResolveSignUpConflict | None:
    conflict, reason = k.CONFLICT.of(data), k.STAFF_REASON.of(data)
    if conflict is None or not reason:
        return None
    return ResolveSignUpConflict(conflict.id, reason)


def _discard(data: Data) -> DiscardOutboxEntry | None:
    row, reason = k.OUTBOX_ROW.of(data), k.STAFF_REASON.of(data)
    if row is None or not reason:
        return None
    return DiscardOutboxEntry(row.id, reason)


def _photo_id(data: Data) -> RecordStaffAction | None:
    return RecordStaffAction(PHOTO_ID_CHECKED) if k.PHOTO_ID_CHECKED.of(data) is True else None


def retry_outbox() -> RetryOutbox:
    return RetryOutbox()


STAFF_SIGN_IN = Journey(
    name="staff_sign_in",
    first="staff_sign_in",
    steps={
        "staff_sign_in": Step(
            "staff:", provides=(k.BADGE, k.STAFF_PIN), submit=_sign_in, result=k.STAFF
        ),
    },
    sensitive=frozenset({k.STAFF_PIN}),
)

STAFF = Journey(
    name="staff",
    first="staff_home",
    steps={
        "staff_home": Step(_chosen, provides=(k.STAFF_CHOICE,), back=False,
                           keeps=_KEPT_AT_STAFF_HOME, load=lambda _d: LoadCardReader(),
                           result=CARD_READER),
        "staff_conflicts": Step(
            "staff_conflict_resolve", provides=(k.CONFLICT,),
            load=lambda _d: LoadSignUpConflicts(), result=k.CONFLICTS,
        ),
        "staff_conflict_resolve": Step(
            "staff_conflicts", provides=(k.STAFF_REASON,), submit=_resolve, result=k.RESOLVED
        ),
        "staff_outbox": Step(
            "staff_outbox_discard", provides=(k.OUTBOX_ROW,), load=lambda _d: LoadOutbox(),
            result=k.OUTBOX,
        ),
        "staff_outbox_discard": Step(
            "staff_outbox", provides=(k.STAFF_REASON,), submit=_discard, result=k.OUTBOX
        ),
        # Help a family: staff confirm the photo ID, then run the family's sign-up.
        "staff_photo_id": Step(
            "register:", provides=(k.PHOTO_ID_CHECKED,), submit=_photo_id, result=k.PHOTO_ID
        ),
        **STAFF_CASH_STEPS,  # the cash box (kiosk/flows/cash.py)
    },
    sensitive=frozenset({k.STAFF_REASON}),  # may name a family: masked in logs, dropped after use
    invalidates={k.CONFLICT: (k.STAFF_REASON,), k.OUTBOX_ROW: (k.STAFF_REASON,),
                 k.NOTE_IN_DOUBT: (k.STAFF_REASON, k.NOTE_CREDIT)},
)
