"""Where every session starts: the attract screen, then the home screen's choice."""

from __future__ import annotations

from kiosk.flows.engine import Data, Journey, Step


def _chosen(data: Data) -> str | None:
    choice = data.get("choice")
    return f"{choice}:" if isinstance(choice, str) and choice else None


WELCOME = Journey(
    name="welcome",
    first="attract",
    steps={
        "attract": Step("home", back=False),
        "home": Step(_chosen, provides=("choice",)),
    },
)
