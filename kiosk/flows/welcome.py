"""Where every session starts: the attract screen, then the home screen's choice."""

from __future__ import annotations

from kiosk.flows import keys as k
from kiosk.flows.engine import Data, Journey, Step


def _chosen(data: Data) -> str | None:
    choice = k.CHOICE.of(data)
    return f"{choice}:" if choice else None


WELCOME = Journey(
    name="welcome",
    first="attract",
    steps={
        "attract": Step("home", back=False),
        "home": Step(_chosen, provides=(k.CHOICE,)),
    },
)
