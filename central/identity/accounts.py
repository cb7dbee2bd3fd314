"""Family accounts: creation with a linked resident (the PIN is kept only as a slow hash),
more loved ones, and the handlers the account routes call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.identity.limits import Limits, spend
from central.identity.models import Account, LinkedResident
from central.identity.pin_work import PinWork
from central.identity.schemas import AccountIn, AccountOut, LinkedResidentOut
from central.kernel.facilities import Facility, Resident
from central.kernel.idempotency import StoredResponse, fingerprint
from central.kernel.ports import Replayable
from central.kernel.problems import ProblemError


def resident_display_name(resident: Resident) -> str:
    """"Last, First": enough to recognise a loved one, no more."""
    return f"{resident.last_name}, {resident.first_name}"


def _phone_registered() -> ProblemError:
    return ProblemError(409, "phone_registered", "This phone number already has an account",
                        "Sign in with the phone number and PIN instead.", field="phone")


def create_account(
    session: Session, body: AccountIn, pin_hash: str, kiosk_id: str | None, now_utc: datetime
) -> Account:
    # Every refusal that does not depend on the phone comes first, so a sign-up that would
    # be refused anyway answers the same for a phone with an account and one without: only
    # a sign-up that would open an account learns the phone has one (docs/billing-rules.md,
    # "Sign-up and registered phones").
    if session.get(Facility, body.facility_id) is None:
        raise ProblemError(
            422, "facility_unknown", "No such facility", field="facility_id"
        )
    resident = session.get(Resident, body.resident_id)
    if resident is None or resident.facility_id != body.facility_id:
        raise ProblemError(
            422,
            "resident_unknown",
            "No such resident at this facility",
            field="resident_id",
        )
    if session.execute(select(Account.id).where(Account.phone == body.phone)).first():
        raise _phone_registered()
    account = Account(
        first_name=body.first_name,
        last_name=body.last_name,
        phone=body.phone,
        email=body.email,
        address_line1=body.address.line1,
        address_line2=body.address.line2,
        city=body.address.city,
        state=body.address.state,
        postal_code=body.address.postal_code,
        language=body.language,
        pin_hash=pin_hash,
        created_at=now_utc,
        created_by_kiosk_id=kiosk_id,
    )
    session.add(account)
    try:
        session.flush()
    except IntegrityError:  # the same phone signed up at the same moment elsewhere
        raise _phone_registered() from None
    session.add(
        LinkedResident(
            account_id=account.id, facility_id=body.facility_id, resident_id=resident.id
        )
    )
    session.flush()
    return account


# A family links the loved ones they stay in touch with; past a handful it is no longer one
# household's account, and staff should look at it (docs/flows.md, "Add a loved one").
MAX_LINKED_RESIDENTS = 5


def link_resident(session: Session, account_id: str, facility_id: str, resident_id: str) -> None:
    """Link one more resident to an account: 404 for a facility or resident that does not
    exist (or a resident of another facility), 409 when already linked or at the maximum."""
    # Locked, so two kiosks adding at the same moment cannot pass the maximum together.
    account = session.get(Account, account_id, with_for_update=True)
    if account is None:
        raise ProblemError(404, "account_unknown", "No such account")
    if session.get(Facility, facility_id) is None:
        raise ProblemError(404, "facility_unknown", "No such facility", field="facility_id")
    resident = session.get(Resident, resident_id)
    if resident is None or resident.facility_id != facility_id:
        raise ProblemError(404, "resident_unknown", "No such resident at this facility",
                           field="resident_id")
    linked = session.scalars(
        select(LinkedResident.resident_id).where(LinkedResident.account_id == account_id)
    ).all()
    if resident_id in linked:
        raise _already_linked()
    if len(linked) >= MAX_LINKED_RESIDENTS:
        raise ProblemError(
            409, "too_many_residents",
            f"An account links at most {MAX_LINKED_RESIDENTS} loved ones",
            "Lobby staff can help with more.", field="resident_id",
        )
    session.add(LinkedResident(account_id=account_id, facility_id=facility_id,
                               resident_id=resident_id))
    try:
        session.flush()
    except IntegrityError:  # the same resident linked at the same moment elsewhere
        raise _already_linked() from None


def _already_linked() -> ProblemError:
    return ProblemError(409, "resident_already_linked",
                        "This loved one is already on your account", field="resident_id")


def account_out(session: Session, account: Account) -> AccountOut:
    links = session.execute(
        select(LinkedResident, Resident)
        .join(Resident, Resident.id == LinkedResident.resident_id)
        .where(LinkedResident.account_id == account.id)
        .order_by(LinkedResident.id)
    ).all()
    return AccountOut(
        id=account.id,
        first_name=account.first_name,
        last_name=account.last_name,
        phone=account.phone,
        email=account.email,
        language=account.language,
        created_at=account.created_at,
        linked_residents=[
            LinkedResidentOut(
                facility_id=link.facility_id,
                resident_id=link.resident_id,
                display_name=resident_display_name(resident),
            )
            for link, resident in links
        ],
    )


# --- handlers the routes call -------------------------------------------------------------


class Ports(Replayable, Protocol):
    """What signing up needs: the unit of work, the clock, the Idempotency-Key store, the
    bounds on clients and the bounded pool that hashes PINs."""

    @property
    def limits(self) -> Limits: ...

    @property
    def pins(self) -> PinWork: ...


@dataclass(frozen=True)
class SignUp:
    details: AccountIn
    kiosk_id: str
    idempotency_key: str


def sign_up(command: SignUp, ports: Ports) -> StoredResponse:
    """Open a family account linked to one resident (201); idempotent per kiosk and key.
    429 ``rate_limited`` past the kiosk's sign-ups per minute; 503 ``pin_check_busy`` when
    too many PINs are being hashed; 422 for an unknown facility or resident; 409
    ``phone_registered`` only for a sign-up that would otherwise open an account (the phone
    is checked last, so it is not told to a sign-up refused anyway)."""
    spend(ports.db, ports.clock, ports.limits.sign_up, command.kiosk_id)
    # The PIN is part of the fingerprint only as its presence: the stored hash must not let
    # anyone test PIN guesses offline, so it is left out.
    payload = command.details.model_dump(exclude={"pin"})
    pin_hash = ports.pins.hash(command.details.pin)  # slow on purpose: outside the transaction

    def work(session: Session) -> tuple[int, dict[str, Any]]:
        account = create_account(session, command.details, pin_hash, command.kiosk_id,
                                 ports.clock.now())
        return 201, account_out(session, account).model_dump(mode="json")

    return ports.idempotency.run(
        f"kiosk:{command.kiosk_id}", command.idempotency_key,
        fingerprint("POST /v1/accounts", payload), work, keep=True,
    )


@dataclass(frozen=True)
class LinkAnotherResident:
    account_id: str
    facility_id: str
    resident_id: str
    idempotency_key: str


def link_another_resident(command: LinkAnotherResident, ports: Ports) -> StoredResponse:
    """Link one more loved one (201, the account with every loved one); see
    :func:`link_resident` for the refusals. A retry with the same key replays the answer."""

    def work(session: Session) -> tuple[int, dict[str, Any]]:
        link_resident(session, command.account_id, command.facility_id, command.resident_id)
        account = session.get_one(Account, command.account_id)  # locked by link_resident
        return 201, account_out(session, account).model_dump(mode="json")

    return ports.idempotency.run(
        f"account:{command.account_id}", command.idempotency_key,
        fingerprint("POST residents", {"facility_id": command.facility_id,
                                       "resident_id": command.resident_id}),
        work, keep=True,
    )
