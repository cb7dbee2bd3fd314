"""Adding another loved one to a signed-in family's account: the facility and the resident
search of the sign-up (the same steps and screens), a confirmation, then the home. When the
server cannot be reached, the family confirms with their PIN and the link waits in the
outbox (docs/offline.md, "A loved one added offline")."""

from __future__ import annotations

from kiosk.flows import keys as k
from kiosk.flows.engine import Data, Journey, Step
from kiosk.requests import AddLovedOne, LoadFacilities, QueueLovedOne


def _add(data: Data) -> AddLovedOne | None:
    facility, resident = k.FACILITY.of(data), k.RESIDENT.of(data)
    if facility is None or resident is None:
        return None
    return AddLovedOne(facility.id, resident.id)


def _queue(data: Data) -> QueueLovedOne | None:
    facility, resident = k.FACILITY.of(data), k.RESIDENT.of(data)
    account, pin = k.ACCOUNT.of(data), k.LINK_PIN.of(data)
    if facility is None or resident is None or account is None or pin is None:
        return None
    return QueueLovedOne(facility.id, resident.id, resident.display_name, account, pin)


ADD_LOVED_ONE = Journey(
    name="add_loved_one",
    first="facility",
    steps={
        "facility": Step("resident", provides=(k.FACILITY,), load=lambda _d: LoadFacilities()),
        "resident": Step("loved_one_confirm", provides=(k.RESIDENT,)),
        # The answer is the account with the new loved one: the home shows it at once.
        "loved_one_confirm": Step("account:", submit=_add, result=k.ACCOUNT),
        # Reached only when the link could not reach the server (``offline_step``).
        "loved_one_pin": Step("account:", provides=(k.LINK_PIN,), submit=_queue,
                              result=k.ACCOUNT),
    },
    sensitive=frozenset({k.LINK_PIN}),
    offline_step="loved_one_pin",
    field_steps={"facility_id": "facility", "resident_id": "resident"},
    code_steps={"facility_unknown": "facility", "resident_unknown": "resident",
                "resident_already_linked": "resident"},
    # Residents belong to a facility: a new facility means finding them again there.
    invalidates={k.FACILITY: (k.RESIDENT,)},
)
