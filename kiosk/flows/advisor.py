"""The plan advisor: the family's estimate of a month, then each option's monthly cost as a
bar chart with the cheapest recommended and why."""

from __future__ import annotations

from kiosk.flows.engine import Data, Journey, Step
from kiosk.requests import AdviseFromEstimate

ESTIMATE_KEYS = ("calls_per_month", "average_minutes", "video_sessions_per_month")


def _advise(data: Data) -> AdviseFromEstimate | None:
    values = [data.get(key) for key in ESTIMATE_KEYS]
    if not all(isinstance(v, int) for v in values):
        return None
    calls, minutes, video = (int(v) for v in values)  # type: ignore[arg-type]
    return AdviseFromEstimate(calls, minutes, video)


ADVISOR = Journey(
    name="advisor",
    first="advisor_estimate",
    steps={
        "advisor_estimate": Step(
            "advisor_result", provides=ESTIMATE_KEYS, submit=_advise, result="advice"
        ),
        "advisor_result": Step("account:"),
    },
    field_steps={"average_minutes": "advisor_estimate"},
)
