"""Every journey the kiosk offers, by name, and the flow a session starts with."""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.flows.advisor import ADVISOR
from kiosk.flows.cash import CASH
from kiosk.flows.engine import Flow, Journey
from kiosk.flows.loved_ones import ADD_LOVED_ONE
from kiosk.flows.money import DEPOSIT, PAYMENTS
from kiosk.flows.registration import REGISTRATION
from kiosk.flows.signed_in import ACCOUNT, SIGN_IN
from kiosk.flows.staff import STAFF, STAFF_SIGN_IN
from kiosk.flows.subscriptions import BUY, MANAGE, UNCOVERED
from kiosk.flows.welcome import WELCOME

JOURNEYS: Mapping[str, Journey] = {
    j.name: j for j in (
        WELCOME, REGISTRATION, SIGN_IN, ACCOUNT, ADD_LOVED_ONE, DEPOSIT, BUY, MANAGE, PAYMENTS,
        UNCOVERED, ADVISOR, STAFF_SIGN_IN, STAFF, CASH,
    )
}


def new_flow() -> Flow:
    return Flow(JOURNEYS, "welcome")


def step_names() -> list[str]:
    """Every step of every journey, once each, in the order the journeys list them."""
    names: dict[str, None] = {}
    for journey in JOURNEYS.values():
        names.update(dict.fromkeys(journey.steps))
    return list(names)
