"""Staff mode's journeys: sign in with badge and PIN, the staff home, sign-up conflicts,
this kiosk's outbox, "Help a family sign up" (photo ID checked, then the sign-up journey)
and "Help a family who has an account" (the family signs in, then their journeys).
``may_enter`` is the router's guard: only a signed-in staff member reaches staff steps,
and staff sign-in never opens over a family's session (docs/staff-mode.md)."""

from __future__ import annotations

from kiosk.flows.engine import Data, Journey, Step
from kiosk.requests import (
    DiscardOutboxEntry,
    LoadOutbox,
    LoadSignUpConflicts,
    RecordStaffAction,
    ResolveSignUpConflict,
    RetryOutbox,
    StaffSignIn,
)
from kiosk.staff import OutboxRow, SignUpConflict, StaffMember

STAFF_ONLY = frozenset({"staff"})
# All the staff home keeps: what one family's errand (their sign-up, their account, a
# payment) left in the session is gone before the next family's.
_KEPT_AT_STAFF_HOME = frozenset({"staff"})
PHOTO_ID_CHECKED = "photo_id_checked"
# Staff home's choices: a step of this journey, or the family sign-in ("Help a family who
# has an account": the family types their own phone and PIN).
_CHOICES = frozenset({"staff_conflicts", "staff_outbox", "staff_photo_id", "sign_in:"})


def staff_member(data: Data) -> StaffMember | None:
    member = data.get("staff")
    return member if isinstance(member, StaffMember) else None


def may_enter(journey: str, data: Data) -> bool:
    """Whether the journey ``journey`` may be shown with the session's ``data``."""
    if journey in STAFF_ONLY:
        return staff_member(data) is not None
    if journey == "staff_sign_in":
        return "account" not in data  # never over a signed-in family
    return True


def _sign_in(data: Data) -> StaffSignIn | None:
    badge, pin = data.get("badge"), data.get("staff_pin")
    if not (isinstance(badge, str) and isinstance(pin, str)):
        return None
    return StaffSignIn(badge, pin)


def _chosen(data: Data) -> str | None:
    choice = data.get("staff_choice")
    return choice if choice in _CHOICES else None


def _resolve(data: Data) -> ResolveSignUpConflict | None:
    conflict, reason = data.get("conflict"), data.get("staff_reason")
    if not (isinstance(conflict, SignUpConflict) and isinstance(reason, str) and reason):
        return None
    return ResolveSignUpConflict(conflict.id, reason)


def _discard(data: Data) -> DiscardOutboxEntry | None:
    row, reason = data.get("outbox_row"), data.get("staff_reason")
    if not (isinstance(row, OutboxRow) and isinstance(reason, str) and reason):
        return None
    return DiscardOutboxEntry(row.id, reason)


def _photo_id(data: Data) -> RecordStaffAction | None:
    return RecordStaffAction(PHOTO_ID_CHECKED) if data.get(PHOTO_ID_CHECKED) is True else None


def retry_outbox() -> RetryOutbox:
    return RetryOutbox()


STAFF_SIGN_IN = Journey(
    name="staff_sign_in",
    first="staff_sign_in",
    steps={
        "staff_sign_in": Step(
            "staff:", provides=("badge", "staff_pin"), submit=_sign_in, result="staff"
        ),
    },
    sensitive=frozenset({"staff_pin"}),
)

STAFF = Journey(
    name="staff",
    first="staff_home",
    steps={
        "staff_home": Step(_chosen, provides=("staff_choice",), back=False,
                           keeps=_KEPT_AT_STAFF_HOME),
        "staff_conflicts": Step(
            "staff_conflict_resolve", provides=("conflict",),
            load=lambda _d: LoadSignUpConflicts(), result="conflicts",
        ),
        "staff_conflict_resolve": Step(
            "staff_conflicts", provides=("staff_reason",), submit=_resolve, result="resolved"
        ),
        "staff_outbox": Step(
            "staff_outbox_discard", provides=("outbox_row",), load=lambda _d: LoadOutbox(),
            result="outbox",
        ),
        "staff_outbox_discard": Step(
            "staff_outbox", provides=("staff_reason",), submit=_discard, result="outbox"
        ),
        # Help a family: staff confirm the photo ID, then run the family's sign-up.
        "staff_photo_id": Step(
            "register:", provides=(PHOTO_ID_CHECKED,), submit=_photo_id, result="photo_id"
        ),
    },
    sensitive=frozenset({"staff_reason"}),  # may name a family: masked in logs, dropped after use
    invalidates={"conflict": ("staff_reason",), "outbox_row": ("staff_reason",)},
)
