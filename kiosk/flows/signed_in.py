"""Signing in, and the signed-in home every family journey starts from and returns to."""

from __future__ import annotations

from kiosk.flows import keys as k
from kiosk.flows.engine import Data, Journey, Step, language_of
from kiosk.flows.staff import staff_member
from kiosk.requests import LoadAccount, SignIn


def _sign_in(data: Data) -> SignIn | None:
    phone, pin = k.PHONE.of(data), k.PIN.of(data)
    if phone is None or pin is None:
        return None
    return SignIn(phone, pin)


SIGN_IN = Journey(
    name="sign_in",
    first="sign_in",
    steps={
        "sign_in": Step("account:", provides=(k.PHONE, k.PIN), submit=_sign_in,
                        result=k.ACCOUNT),
        "forgot_pin": Step("sign_in"),
    },
    sensitive=frozenset({k.PIN}),
)

def _after_sign_out(data: Data) -> str | None:
    # Staff helping a family go back to the staff home (which ends the family's session
    # and drops what it left); a family on their own ends the whole session.
    return "staff:" if staff_member(data) is not None else None


# The home's one "completed" is Sign out.
ACCOUNT = Journey(
    name="account",
    first="account_home",
    steps={
        "account_home": Step(_after_sign_out, load=lambda d: LoadAccount(language_of(d)),
                             result=k.ACCOUNT, back=False),
    },
)
