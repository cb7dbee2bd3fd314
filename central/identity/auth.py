"""Family and staff sign-in: PIN checks with lockout, and short sessions kept as hashes.

Five wrong PINs lock the account (or badge) for fifteen minutes, and each lockout in a row
doubles the next; twenty wrong PINs at one kiosk within an hour lock sign-in at that kiosk
the same way. A phone or badge nobody owns is counted and answered exactly like a real one,
so the answers reveal nobody's account.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from central.db.engine import Database, insert_ignoring_conflict
from central.identity.models import (
    Account,
    FamilySession,
    SignInThrottle,
    StaffMember,
    StaffRole,
    StaffSession,
)
from central.identity.pin_work import PinWork
from central.identity.security import hash_pin, new_token, token_digest, verify_pin
from central.kernel.clock import Clock
from central.kernel.facilities import Facility
from central.kernel.fields import non_printing
from central.kernel.problems import ProblemError

MAX_PIN_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
# Each lockout in a row doubles the next, up to a day; a day without one forgets them.
LONGEST_LOCKOUT = timedelta(hours=24)
LOCKOUTS_REMEMBERED = timedelta(hours=24)
# Wrong PINs typed at one kiosk, whatever the phone or badge, within the window, before the
# kiosk's sign-in is locked (escalating the same way): guessing across many phones.
KIOSK_MAX_PIN_FAILURES = 20
KIOSK_FAILURE_WINDOW = timedelta(hours=1)
FAMILY_IDLE = timedelta(minutes=15)
FAMILY_MAX = timedelta(hours=1)
STAFF_IDLE = timedelta(minutes=15)
STAFF_MAX = timedelta(hours=8)


class Lockable(Protocol):
    failed_pin_attempts: int
    locked_until: datetime | None
    lockouts: int


@dataclass(frozen=True)
class OpenedSession:
    """A new session: the token is returned to the kiosk once and stored only hashed."""

    token: str
    subject_id: str
    expires_at: datetime


@dataclass(frozen=True)
class StaffIdentity:
    id: str
    name: str
    role: StaffRole
    facility_id: str | None = None


@cache
def _decoy_hash() -> str:
    # Verified against when nobody owns the phone/badge, so both cases take as long.
    return hash_pin(new_token())


def _subject_hash(kind: str, subject: str) -> str:
    return hashlib.sha256(f"{kind}:{subject}".encode()).hexdigest()


def lockout_length(lockouts: int) -> timedelta:
    """How long the ``lockouts``-th lockout in a row lasts: 15 min, 30, 60, ... up to a day."""
    return min(LOCKOUT * (1 << max(0, min(lockouts - 1, 16))), LONGEST_LOCKOUT)


def _lock(row: Lockable, now: datetime) -> datetime:
    """Lock ``row`` for longer than last time, unless its last lock is long forgotten."""
    if row.locked_until is None or now - row.locked_until >= LOCKOUTS_REMEMBERED:
        row.lockouts = 0
    row.lockouts += 1
    row.failed_pin_attempts = 0
    row.locked_until = now + lockout_length(row.lockouts)
    return row.locked_until


def locked_problem(until: datetime, now: datetime, kiosk: bool = False) -> ProblemError:
    seconds = max(1, int((until - now).total_seconds()))
    return ProblemError(
        423,
        "kiosk_locked" if kiosk else "account_locked",
        ("Too many wrong PINs at this kiosk: sign-in here is locked" if kiosk
         else "Too many wrong PINs: sign-in is locked"),
        f"Try again after {until:%H:%M} UTC ({(seconds + 59) // 60} min).",
        headers={"Retry-After": str(seconds)},
        locked_until=until,
        attempts_remaining=0,
    )


def _is_locked(row: Lockable | None, now: datetime) -> datetime | None:
    if row is not None and row.locked_until is not None and row.locked_until > now:
        return row.locked_until
    return None


def _throttle(session: Session, subject_key: str) -> SignInThrottle:
    """The throttle row of ``subject_key``, created if need be, locked for update."""
    insert_ignoring_conflict(session, SignInThrottle.__table__,
                             {"subject_hash": subject_key, "failed_pin_attempts": 0,
                              "lockouts": 0})
    return session.get_one(SignInThrottle, subject_key, with_for_update=True,
                           populate_existing=True)


def _count_kiosk_failure(session: Session, kiosk_key: str, now: datetime) -> datetime | None:
    """Count a wrong PIN at a kiosk; returns when its sign-in is locked, if it now is."""
    kiosk = _throttle(session, kiosk_key)
    if kiosk.window_started_at is None or now - kiosk.window_started_at >= KIOSK_FAILURE_WINDOW:
        kiosk.window_started_at = now
        kiosk.failed_pin_attempts = 0
    kiosk.failed_pin_attempts += 1
    if kiosk.failed_pin_attempts >= KIOSK_MAX_PIN_FAILURES:
        kiosk.window_started_at = None
        return _lock(kiosk, now)
    return None


def _verify(pins: PinWork | None, pin_hash: str, pin: str) -> bool:
    return pins.verify(pin_hash, pin) if pins is not None else verify_pin(pin_hash, pin)


def _sign_in(
    db: Database,
    clock: Clock,
    kiosk_id: str,
    subject_key: str,
    find: Callable[[Session, bool], tuple[str, str, Lockable] | None],
    pin: str,
    on_success: Callable[[Session, str, datetime], OpenedSession],
    pins: PinWork | None,
) -> OpenedSession:
    """The one PIN check behind both family and staff sign-in.

    ``find(session, for_update)`` returns (subject id, PIN hash, lockable row) or None.
    The slow hash is checked outside any transaction (on ``pins``, which bounds how many run
    at once); counters are then updated under a row lock (or SQLite's write lock) so parallel
    guesses cannot overshoot the limit. A wrong PIN counts against the phone (or badge) and
    against the kiosk it was typed at.
    """
    now = clock.now()
    kiosk_key = _subject_hash("kiosk", kiosk_id)
    with db.transaction() as session:
        until = _is_locked(session.get(SignInThrottle, kiosk_key), now)
        if until is not None:
            raise locked_problem(until, now, kiosk=True)
        found = find(session, False)
        lockable: Lockable | None = (
            found[2] if found else session.get(SignInThrottle, subject_key)
        )
        until = _is_locked(lockable, now)
        if until is not None:
            raise locked_problem(until, now)
        pin_hash = found[1] if found else _decoy_hash()
    correct = _verify(pins, pin_hash, pin) and found is not None
    kiosk_until: datetime | None = None
    with db.transaction() as session:
        found = find(session, True)
        lockable = found[2] if found is not None else _throttle(session, subject_key)
        until = _is_locked(lockable, now)
        if until is None and correct and found is not None:
            lockable.failed_pin_attempts = 0
            lockable.locked_until = None
            lockable.lockouts = 0
            return on_success(session, found[0], now)
        if until is None:
            lockable.failed_pin_attempts += 1
            if lockable.failed_pin_attempts >= MAX_PIN_FAILURES:
                until = _lock(lockable, now)
            kiosk_until = _count_kiosk_failure(session, kiosk_key, now)
        remaining = MAX_PIN_FAILURES - lockable.failed_pin_attempts
    # Raised after the commit above: the failure must be counted.
    if until is not None:
        raise locked_problem(until, now)
    if kiosk_until is not None:
        raise locked_problem(kiosk_until, now, kiosk=True)
    raise ProblemError(
        401,
        "pin_incorrect",
        "The phone number or PIN is not right",
        f"{remaining} attempt(s) left before sign-in is locked.",
        field="pin",
        attempts_remaining=remaining,
    )


def open_family_session(
    db: Database, clock: Clock, kiosk_id: str, phone: str, pin: str,
    pins: PinWork | None = None,
) -> OpenedSession:
    """Sign a family in at a kiosk with the account's phone (E.164) and PIN."""

    def find(session: Session, for_update: bool) -> tuple[str, str, Lockable] | None:
        query = select(Account).where(Account.phone == phone)
        account = session.execute(
            query.with_for_update() if for_update else query
        ).scalar_one_or_none()
        return None if account is None else (account.id, account.pin_hash, account)

    def start(session: Session, account_id: str, now: datetime) -> OpenedSession:
        token = new_token()
        expires = now + FAMILY_IDLE
        session.add(FamilySession(token_hash=token_digest(token), account_id=account_id,
                                  kiosk_id=kiosk_id, created_at=now, expires_at=expires))
        return OpenedSession(token, account_id, expires)

    return _sign_in(db, clock, kiosk_id, _subject_hash("family", phone), find, pin, start,
                    pins)


def open_staff_session(
    db: Database, clock: Clock, kiosk_id: str, badge_id: str, pin: str,
    pins: PinWork | None = None,
) -> tuple[OpenedSession, StaffIdentity]:
    """Sign a staff member in at a kiosk (staff mode) with badge and PIN."""
    identity: list[StaffIdentity] = []

    def find(session: Session, for_update: bool) -> tuple[str, str, Lockable] | None:
        query = select(StaffMember).where(
            StaffMember.badge_id == badge_id, StaffMember.active.is_(True)
        )
        staff = session.execute(
            query.with_for_update() if for_update else query
        ).scalar_one_or_none()
        if staff is None:
            return None
        identity[:] = [StaffIdentity(staff.id, staff.name, staff.role, staff.facility_id)]
        return staff.id, staff.pin_hash, staff

    def start(session: Session, staff_id: str, now: datetime) -> OpenedSession:
        token = new_token()
        expires = now + STAFF_IDLE
        session.add(StaffSession(token_hash=token_digest(token), staff_id=staff_id,
                                 kiosk_id=kiosk_id, created_at=now, expires_at=expires))
        return OpenedSession(token, staff_id, expires)

    opened = _sign_in(db, clock, kiosk_id, _subject_hash("staff", badge_id), find, pin, start,
                      pins)
    return opened, identity[0]


def _session_problem(code: str, title: str) -> ProblemError:
    return ProblemError(401, code, title, "Sign in again with phone (or badge) and PIN.")


# How far an idle expiry must slide before it is written: a session in use writes at most
# once a minute instead of on every request, so its idle limit is between 14 and 15 minutes
# (never longer than the documented 15).
SLIDE_STEP = timedelta(minutes=1)


def _live(
    row: FamilySession | StaffSession | None, kiosk_id: str, now: datetime,
    idle: timedelta, longest: timedelta,
) -> FamilySession | StaffSession:
    if row is None or row.kiosk_id != kiosk_id:
        raise _session_problem("session_invalid", "This session is not valid")
    if row.ended_at is not None or row.expires_at <= now:
        raise _session_problem("session_expired", "This session has ended")
    return row


def _slide(db: Database, kind: type[FamilySession] | type[StaffSession],
           row: FamilySession | StaffSession, now: datetime, idle: timedelta,
           longest: timedelta) -> None:
    """Idle expiry slides with use, up to a hard limit from sign-in; written only when it
    moves by a step or more, so reads stay reads."""
    slid = min(now + idle, row.created_at + longest)
    if slid - row.expires_at < SLIDE_STEP:
        return
    with db.transaction() as session:
        session.execute(
            update(kind)
            .where(kind.token_hash == row.token_hash, kind.ended_at.is_(None),
                   kind.expires_at < slid)
            .values(expires_at=slid)
        )


def resolve_family_session(db: Database, clock: Clock, token: str, kiosk_id: str) -> str:
    """The account a live family session (opened at this kiosk) acts for."""
    now = clock.now()
    with db.read() as session:
        row = session.get(FamilySession, token_digest(token))
        live = _live(row, kiosk_id, now, FAMILY_IDLE, FAMILY_MAX)
        assert isinstance(live, FamilySession)
    _slide(db, FamilySession, live, now, FAMILY_IDLE, FAMILY_MAX)
    return live.account_id


def resolve_staff_session(db: Database, clock: Clock, token: str, kiosk_id: str) -> StaffIdentity:
    now = clock.now()
    with db.read() as session:
        row = session.get(StaffSession, token_digest(token))
        live = _live(row, kiosk_id, now, STAFF_IDLE, STAFF_MAX)
        assert isinstance(live, StaffSession)
        staff = session.get(StaffMember, live.staff_id)
        if staff is None or not staff.active:
            raise _session_problem("session_invalid", "This session is not valid")
        identity = StaffIdentity(staff.id, staff.name, staff.role, staff.facility_id)
    _slide(db, StaffSession, live, now, STAFF_IDLE, STAFF_MAX)
    return identity


def end_session(db: Database, clock: Clock, token: str, staff: bool = False) -> None:
    """Sign out: the token stops working at once."""
    with db.transaction() as session:
        row: FamilySession | StaffSession | None = (
            session.get(StaffSession, token_digest(token)) if staff
            else session.get(FamilySession, token_digest(token))
        )
        if row is not None and row.ended_at is None:
            row.ended_at = clock.now()


def add_staff_member(
    db: Database, clock: Clock, badge_id: str, name: str, role: StaffRole, pin: str,
    *, facility_id: str,
) -> str:
    """Create a staff member of ``facility_id``; raises ValueError when the badge is taken,
    the PIN is bad or the facility unknown."""
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValueError("a PIN is 4 to 8 digits")
    if not badge_id.strip() or not name.strip():
        raise ValueError("badge and name are required")
    if non_printing(badge_id) or non_printing(name):
        raise ValueError("badge and name may not hold control or other non-printing characters")
    pin_hash = hash_pin(pin)
    with db.transaction() as session:
        if session.execute(
            select(StaffMember.id).where(StaffMember.badge_id == badge_id)
        ).first():
            raise ValueError(f"badge {badge_id!r} is already in use")
        if session.get(Facility, facility_id) is None:
            raise ValueError(f"no facility {facility_id!r}")
        staff = StaffMember(badge_id=badge_id.strip(), name=name.strip(), role=role,
                            pin_hash=pin_hash, created_at=clock.now(),
                            facility_id=facility_id)
        session.add(staff)
        session.flush()
        return staff.id
