"""The plan advisor: from the family's history of calls (their last complete months) or
their own estimate of a month, each option's monthly cost as a bar chart with the cheapest
recommended and why."""

from __future__ import annotations

from kiosk.flows import keys as k
from kiosk.flows.engine import Data, Journey, Step
from kiosk.requests import AdviseFromEstimate, AdviseFromHistory

ESTIMATE_KEYS = (k.CALLS_PER_MONTH, k.AVERAGE_MINUTES, k.VIDEO_SESSIONS_PER_MONTH)
HISTORY = "history"
ESTIMATE = "estimate"


def _advise(data: Data) -> AdviseFromEstimate | None:
    calls, minutes, video = (key.of(data) for key in ESTIMATE_KEYS)
    if calls is None or minutes is None or video is None:
        return None
    return AdviseFromEstimate(calls, minutes, video)


def _basis_next(data: Data) -> str:
    return "advisor_result" if k.ADVISOR_BASIS.of(data) == HISTORY else "advisor_estimate"


def _from_history(data: Data) -> AdviseFromHistory | None:
    # Only history is asked for on showing (an estimate's answer comes with its submit), and
    # only while no advice is there: after "enter my own estimate" the estimate's stays.
    wanted = k.ADVISOR_BASIS.of(data) == HISTORY and k.ADVICE not in data
    return AdviseFromHistory() if wanted else None


ADVISOR = Journey(
    name="advisor",
    first="advisor_basis",
    steps={
        "advisor_basis": Step(_basis_next, provides=(k.ADVISOR_BASIS,)),
        "advisor_estimate": Step(
            "advisor_result", provides=ESTIMATE_KEYS, submit=_advise, result=k.ADVICE
        ),
        "advisor_result": Step("account:", load=_from_history, result=k.ADVICE),
    },
    field_steps={k.AVERAGE_MINUTES: "advisor_estimate"},
    # Advice from the other basis is not shown while the new one is on its way.
    invalidates={k.ADVISOR_BASIS: (k.ADVICE,)},
)
