"""The plan advisor: from the family's history of calls (their last complete months) or
their own estimate of a month, each option's monthly cost as a bar chart with the cheapest
recommended and why."""

from __future__ import annotations

from kiosk.flows.engine import Data, Journey, Step
from kiosk.requests import AdviseFromEstimate, AdviseFromHistory

ESTIMATE_KEYS = ("calls_per_month", "average_minutes", "video_sessions_per_month")
HISTORY = "history"
ESTIMATE = "estimate"


def _advise(data: Data) -> AdviseFromEstimate | None:
    values = [data.get(key) for key in ESTIMATE_KEYS]
    if not all(isinstance(v, int) for v in values):
        return None
    calls, minutes, video = (int(v) for v in values)  # type: ignore[arg-type]
    return AdviseFromEstimate(calls, minutes, video)


def _basis_next(data: Data) -> str:
    return "advisor_result" if data.get("advisor_basis") == HISTORY else "advisor_estimate"


def _from_history(data: Data) -> AdviseFromHistory | None:
    # Only history is asked for on showing (an estimate's answer comes with its submit), and
    # only while no advice is there: after "enter my own estimate" the estimate's stays.
    wanted = data.get("advisor_basis") == HISTORY and "advice" not in data
    return AdviseFromHistory() if wanted else None


ADVISOR = Journey(
    name="advisor",
    first="advisor_basis",
    steps={
        "advisor_basis": Step(_basis_next, provides=("advisor_basis",)),
        "advisor_estimate": Step(
            "advisor_result", provides=ESTIMATE_KEYS, submit=_advise, result="advice"
        ),
        "advisor_result": Step("account:", load=_from_history, result="advice"),
    },
    field_steps={"average_minutes": "advisor_estimate"},
    # Advice from the other basis is not shown while the new one is on its way.
    invalidates={"advisor_basis": ("advice",)},
)
