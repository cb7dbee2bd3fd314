"""The plan advisor: what each option would cost the family a month, from their own estimate
or their history of calls, as the server prices it (the kiosk only shows the answer)."""

from __future__ import annotations

from domain import Advice
from kiosk.capabilities import Outcome
from kiosk.capabilities.family import FamilySessions
from kiosk.requests import AdviseFromEstimate, AdviseFromHistory
from services.central_client import CentralClient


class Advisor:
    def __init__(self, client: CentralClient, family: FamilySessions) -> None:
        self._client = client
        self._family = family

    def from_estimate(self, request: AdviseFromEstimate) -> Outcome[Advice]:
        return Outcome(self._client.advice_from_estimate(self._family.current(), {
            "calls_per_month": request.calls_per_month,
            "average_minutes": request.average_minutes,
            "video_sessions_per_month": request.video_sessions_per_month,
        }))

    def from_history(self, _request: AdviseFromHistory) -> Outcome[Advice]:
        return Outcome(self._client.advice_from_history(self._family.current()))
