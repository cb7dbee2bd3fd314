"""What every route may depend on: the app's services, the calling kiosk, and the family or
staff member signed in at that kiosk."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, TypeVar
from weakref import WeakKeyDictionary

from fastapi import Depends, Header, Request, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import TypeAdapter
from sqlalchemy import or_, select, update

from central.db.engine import Database
from central.identity.auth import StaffIdentity, resolve_family_session, resolve_staff_session
from central.identity.limits import Limits
from central.identity.models import ClientRole, Kiosk, StaffRole
from central.identity.pin_work import PinWork
from central.identity.security import token_digest
from central.kernel.clock import Clock
from central.kernel.idempotency import Idempotency
from central.kernel.problems import ProblemError
from central.mail.mailer import Mailer
from central.money.gateway import PaymentGateway
from central.plans.wording import language_from


@dataclass
class AppServices:
    db: Database
    clock: Clock
    idempotency: Idempotency
    gateway: PaymentGateway
    mailer: Mailer
    limits: Limits
    pins: PinWork


# The dependencies that only look at the request, or at what another dependency already read,
# are ``async def``: FastAPI runs a plain ``def`` dependency in a worker thread, and under a
# fleet's load each such trip waits its turn for one of the DB_THREADS behind other kiosks'
# database work (docs/performance.md, "Fewer trips to a worker thread"). Only those that
# block (the token and session look-ups) are ``def``.
async def get_services(request: Request) -> AppServices:
    return services_of(request)


def services_of(request: Request) -> AppServices:
    """The app's services, for a dependency that takes the ``Request`` itself: each
    ``Services`` parameter is one more dependency for FastAPI to solve on every request."""
    services: AppServices = request.app.state.services
    return services


Services = Annotated[AppServices, Depends(get_services)]

_bearer = HTTPBearer(auto_error=False, description="Kiosk token issued at enrollment")


@dataclass(frozen=True)
class CallingKiosk:
    id: str
    facility_id: str
    role: ClientRole = ClientRole.KIOSK
    confirmed: bool = True


def current_enrolled_kiosk(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> CallingKiosk:
    """The client holding a valid, unrevoked token, confirmed or not: only
    ``POST /v1/kiosks/enroll/confirm`` takes an unconfirmed one."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ProblemError(
            401,
            "unauthorized",
            "This kiosk is not enrolled",
            "Send the kiosk's bearer token.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    services = services_of(request)
    # Looked up on every request (a revoked token is refused at once), in a read transaction:
    # on SQLite it does not queue on the write lock behind other kiosks' writes.
    with services.db.read() as session:
        kiosk = session.execute(
            select(Kiosk).where(Kiosk.token_hash == token_digest(credentials.credentials))
        ).scalar_one_or_none()
        if kiosk is None:
            raise ProblemError(
                401,
                "unauthorized",
                "This kiosk token is not valid",
                "Enroll the kiosk again with a new code.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if kiosk.revoked_at is not None:
            raise ProblemError(
                401,
                "token_revoked",
                "This token has been revoked",
                "An operator revoked it; enroll the kiosk again with a new code.",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        calling = CallingKiosk(id=kiosk.id, facility_id=kiosk.facility_id, role=kiosk.role,
                               confirmed=kiosk.confirmed_at is not None)
        last_seen = kiosk.last_seen_at
    _note_seen(services, calling.id, last_seen)
    return calling


def _confirmed(client: CallingKiosk) -> None:
    """The calling client's enrollment is confirmed (docs/offline.md, "Enrollment")."""
    if not client.confirmed:
        raise ProblemError(
            401,
            "enrollment_unconfirmed",
            "This kiosk has not confirmed its enrollment",
            "Store the token, then POST /v1/kiosks/enroll/confirm with it.",
            headers={"WWW-Authenticate": "Bearer"},
        )


# ``last_seen_at`` (the fleet view's "last seen") is written at most once a minute per kiosk,
# not on every call: a write per request serialized every kiosk on SQLite's write lock.
SEEN_EVERY = timedelta(minutes=1)


class _SeenWriter:
    """Writes kiosks' ``last_seen_at`` in groups: a fleet's kiosks come due together (every
    minute, and all at once when a server starts), and one write transaction each queued
    200 of them on SQLite's write lock ahead of the calls being authorized (docs/
    performance.md, "Last seen, in groups"). A caller adds its kiosk, then takes its turn to
    write: whoever writes takes every kiosk waiting, so those behind it find theirs written
    and return without a transaction. Every caller returns after its kiosk's write has
    committed, as before."""

    def __init__(self) -> None:
        self._pending: set[str] = set()
        self._pending_lock = threading.Lock()
        self._turn = threading.Lock()

    def note(self, services: AppServices, kiosk_id: str) -> None:
        with self._pending_lock:
            self._pending.add(kiosk_id)
        with self._turn:
            with self._pending_lock:
                due, self._pending = self._pending, set()
            if not due:
                return  # written by the caller before us
            now = services.clock.now()
            with services.db.transaction() as session:
                # Conditional, so calls in another process write each kiosk once.
                session.execute(
                    update(Kiosk)
                    .where(Kiosk.id.in_(sorted(due)),
                           or_(Kiosk.last_seen_at.is_(None),
                               Kiosk.last_seen_at <= now - SEEN_EVERY))
                    .values(last_seen_at=now)
                )


_seen_writers: WeakKeyDictionary[Database, _SeenWriter] = WeakKeyDictionary()
_seen_writers_lock = threading.Lock()


def _note_seen(services: AppServices, kiosk_id: str, last_seen: datetime | None) -> None:
    if last_seen is not None and services.clock.now() - last_seen < SEEN_EVERY:
        return
    with _seen_writers_lock:
        writer = _seen_writers.setdefault(services.db, _SeenWriter())
    writer.note(services, kiosk_id)


def _client_with_role(role: ClientRole, code: str, title: str
                      ) -> Callable[..., Awaitable[CallingKiosk]]:
    # One dependency for the confirmation and the role (each level of dependencies is work for
    # FastAPI on every request).
    async def check(client: Annotated[CallingKiosk, Depends(current_enrolled_kiosk)]
                    ) -> CallingKiosk:
        _confirmed(client)
        if client.role is not role:
            raise ProblemError(403, code, title)
        return client

    return check


# Lobby kiosks only: a call platform's token cannot open accounts or sessions.
KioskAuth = Annotated[
    CallingKiosk,
    Depends(_client_with_role(ClientRole.KIOSK, "not_a_kiosk", "Only a lobby kiosk may do this")),
]
# The call platform only: a lobby kiosk (a public machine) must not authorize or rate calls.
CallPlatformAuth = Annotated[
    CallingKiosk,
    Depends(_client_with_role(ClientRole.CALL_PLATFORM, "not_the_call_platform",
                              "Only the facility's call platform may do this")),
]


async def _language(
    accept_language: Annotated[str | None, Header(
        alias="Accept-Language", max_length=200,
        description="The family's language on the kiosk ('es', 'en'): plan names, what a "
                    "plan includes and the no-refund terms come in it",
    )] = None,
) -> str | None:
    return language_from(accept_language, default="") or None


# The language the kiosk asked in, when it has a catalog; None when it asked for none.
RequestLanguage = Annotated[str | None, Depends(_language)]


IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        # Printable ASCII without spaces at either end: what check_key() accepts.
        pattern=r"^[!-~]([ -~]*[!-~])?$",
        description="Unique per operation; a retry with the same key replays the first answer",
    ),
]

_family_header = APIKeyHeader(
    name="X-Family-Session", auto_error=False, scheme_name="FamilySession",
    description="Token from POST /v1/sessions, sent by the kiosk that opened it",
)
_staff_header = APIKeyHeader(
    name="X-Staff-Session", auto_error=False, scheme_name="StaffSession",
    description="Token from POST /v1/staff/sessions, sent by the kiosk that opened it",
)


def _required(token: str | None, kind: str) -> str:
    if not token:
        raise ProblemError(401, "session_required", f"Sign in first ({kind})",
                           "Open a session with phone (or badge) and PIN.")
    return token


@dataclass(frozen=True)
class SignedInFamily:
    account_id: str
    token: str


def current_family(
    request: Request, kiosk: KioskAuth,
    token: Annotated[str | None, Depends(_family_header)],
) -> SignedInFamily:
    token = _required(token, "family")
    services = services_of(request)
    account_id = resolve_family_session(services.db, services.clock, token, kiosk.id)
    return SignedInFamily(account_id=account_id, token=token)


FamilyAuth = Annotated[SignedInFamily, Depends(current_family)]


async def owned_account(account_id: str, family: FamilyAuth) -> str:
    """The ``{account_id}`` of the path, if the signed-in family owns it."""
    if account_id != family.account_id:
        raise ProblemError(403, "not_your_account", "This account belongs to someone else",
                           "Sign in with this account's phone and PIN.")
    return account_id


OwnedAccountId = Annotated[str, Depends(owned_account)]


@dataclass(frozen=True)
class SignedInStaff:
    staff: StaffIdentity
    token: str


def current_staff(
    request: Request, kiosk: KioskAuth,
    token: Annotated[str | None, Depends(_staff_header)],
) -> SignedInStaff:
    token = _required(token, "staff")
    services = services_of(request)
    staff = resolve_staff_session(services.db, services.clock, token, kiosk.id)
    return SignedInStaff(staff=staff, token=token)


StaffAuth = Annotated[SignedInStaff, Depends(current_staff)]

_ROLE_RANK = {StaffRole.CLERK: 1, StaffRole.SUPERVISOR: 2}


def require_role(role: StaffRole) -> Callable[[SignedInStaff], Awaitable[SignedInStaff]]:
    """A dependency that lets through staff of ``role`` or higher (supervisor > clerk)."""

    async def check(signed_in: StaffAuth) -> SignedInStaff:
        if _ROLE_RANK[signed_in.staff.role] < _ROLE_RANK[role]:
            raise ProblemError(403, "role_required", f"Only a {role.value} may do this")
        return signed_in

    return check


SupervisorAuth = Annotated[SignedInStaff, Depends(require_role(StaffRole.SUPERVISOR))]


def staff_facility(signed_in: SignedInStaff, kiosk: CallingKiosk) -> str:
    """The facility whose kiosks, trail and conflicts a staff member sees: theirs, or, for a
    member created before staff had facilities, the lobby's they signed in at. Never all of
    them."""
    return signed_in.staff.facility_id or kiosk.facility_id


T = TypeVar("T")


def json_answer(shape: TypeAdapter[T], value: T, status_code: int = 200) -> Response:
    """``value`` as the JSON body of a ``status_code`` answer, serialized as ``shape``, by the
    route itself, in its own worker thread.

    FastAPI validates what a plain ``def`` route returns against its ``response_model`` in a
    second trip to a worker thread, then serializes it: for a model the route has just
    built, validated already, the trip is the whole cost, and under a fleet's load it waits
    its turn for one of the DB_THREADS like the route did (docs/performance.md, "Fewer trips
    to a worker thread"). The hot routes keep their ``response_model`` (the OpenAPI document
    and the contract tests see the same schema) and return this: the same bytes FastAPI
    would have sent (pydantic's JSON of the declared type, by alias)."""
    return Response(shape.dump_json(value, by_alias=True), status_code=status_code,
                    media_type="application/json")
