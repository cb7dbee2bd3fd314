"""The server's 503 ``gateway_unavailable`` means the server answered and only the card
processor behind it is down: the kiosk stays online and shows its own message, not the
offline banner."""

from __future__ import annotations

from kiosk.workflow import KioskWorkflow
from services.central_client import CentralUnreachable


class _Online:
    """What ``KioskWorkflow._refusal`` touches: whether the kiosk thinks it is online."""

    def __init__(self) -> None:
        self.online: list[bool] = []

    def _set_online(self, online: bool) -> None:
        self.online.append(online)


def test_an_unreachable_card_service_keeps_the_kiosk_online() -> None:
    seen = _Online()
    refusal = KioskWorkflow._refusal(  # type: ignore[arg-type]
        seen, CentralUnreachable("gateway_unavailable", "no answer", status=503))
    assert refusal.code == "gateway_unavailable"
    assert seen.online == [True]


def test_a_server_that_does_not_answer_is_still_offline() -> None:
    seen = _Online()
    refusal = KioskWorkflow._refusal(  # type: ignore[arg-type]
        seen, CentralUnreachable("offline", "the central API cannot be reached"))
    assert refusal.code == "offline"
    assert seen.online == [False]
