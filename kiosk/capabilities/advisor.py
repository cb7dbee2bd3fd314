"""The plan advisor: what each option would cost the family a month, from their own estimate
or their history of calls, as the server prices it (the kiosk only shows the answer)."""

from __future__ import annotations

from typing import Any

from kiosk.capabilities import Outcome
from kiosk.capabilities.family import FamilySessions
from kiosk.domain import Advice, AdviceOption
from kiosk.requests import AdviseFromEstimate, AdviseFromHistory
from services.central_client import CentralClient


class Advisor:
    def __init__(self, client: CentralClient, family: FamilySessions) -> None:
        self._client = client
        self._family = family

    def from_estimate(self, request: AdviseFromEstimate) -> Outcome[Advice]:
        body = self._client.advice_from_estimate(self._family.current(), {
            "calls_per_month": request.calls_per_month,
            "average_minutes": request.average_minutes,
            "video_sessions_per_month": request.video_sessions_per_month,
        })
        return Outcome(_advice(body))

    def from_history(self, _request: AdviseFromHistory) -> Outcome[Advice]:
        return Outcome(_advice(self._client.advice_from_history(self._family.current())))


def _advice(body: dict[str, Any]) -> Advice:
    return Advice(
        basis=str(body["basis"]),
        options=tuple(
            AdviceOption(str(o["label"]), int(o["monthly_cost_cents"]),
                         int(o["monthly_savings_cents"]), bool(o["is_recommended"]))
            for o in body["options"]
        ),
    )
