"""Adding another loved one to a signed-in family's account: the facility and the resident
search of the sign-up (the same steps and screens), a confirmation, then the home."""

from __future__ import annotations

from kiosk.domain import FacilitySummary, ResidentMatch
from kiosk.flows.engine import Data, Journey, Step
from kiosk.requests import AddLovedOne, LoadFacilities


def _add(data: Data) -> AddLovedOne | None:
    facility, resident = data.get("facility"), data.get("resident")
    if not (isinstance(facility, FacilitySummary) and isinstance(resident, ResidentMatch)):
        return None
    return AddLovedOne(facility.id, resident.id)


ADD_LOVED_ONE = Journey(
    name="add_loved_one",
    first="facility",
    steps={
        "facility": Step("resident", provides=("facility",), load=lambda _d: LoadFacilities()),
        "resident": Step("loved_one_confirm", provides=("resident",)),
        # The answer is the account with the new loved one: the home shows it at once.
        "loved_one_confirm": Step("account:", submit=_add, result="account"),
    },
    field_steps={"facility_id": "facility", "resident_id": "resident"},
    code_steps={"facility_unknown": "facility", "resident_unknown": "resident",
                "resident_already_linked": "resident"},
    # Residents belong to a facility: a new facility means finding them again there.
    invalidates={"facility": ("resident",)},
)
