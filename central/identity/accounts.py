"""Family accounts: creation with a linked resident; the PIN is kept only as a slow hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.identity.models import Account, LinkedResident
from central.identity.schemas import AccountDetail, AccountIn, AccountOut, LinkedResidentOut
from central.money.ledger import balance_cents
from central.money.payments import active_methods, payment_method_out
from central.plans.models import Facility, Resident
from central.problems import ProblemError


def resident_display_name(resident: Resident) -> str:
    """"Last, First": enough to recognise a loved one, no more."""
    return f"{resident.last_name}, {resident.first_name}"


def _phone_registered() -> ProblemError:
    return ProblemError(409, "phone_registered", "This phone number already has an account",
                        "Sign in with the phone number and PIN instead.", field="phone")


def create_account(
    session: Session, body: AccountIn, pin_hash: str, kiosk_id: str | None, now_utc: datetime
) -> Account:
    if session.execute(select(Account.id).where(Account.phone == body.phone)).first():
        raise _phone_registered()
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


def account_detail(session: Session, account_id: str) -> AccountDetail:
    """The overview a signed-in family sees: balance, loved ones, card on file."""
    account = session.get(Account, account_id)
    if account is None:
        raise ProblemError(404, "account_unknown", "No such account")
    return AccountDetail(
        **account_out(session, account).model_dump(),
        balance_cents=balance_cents(session, account_id),
        payment_methods=[payment_method_out(m) for m in active_methods(session, account_id)],
    )
