"""Helpers for tests of signed-in families: register, sign in, tokenize, add a card, deposit."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"
PIN = "4826"
VISA = "4242424242424242"
MASTERCARD = "5555555555554444"
DECLINE = "4000000000000002"
INSUFFICIENT = "4000000000009995"
EXPIRED_AT_CHARGE = "4000000000000069"

_keys = itertools.count(1)


def new_key(prefix: str = "k") -> str:
    return f"{prefix}-{next(_keys)}"


def registration(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "first_name": "Rosa", "last_name": "Martínez", "phone": "(713) 555-0142",
        "email": "rosa.martinez@example.org",
        "address": {"line1": "1200 Main St", "line2": "", "city": "Houston", "state": "TX",
                    "postal_code": "77002"},
        "pin": PIN, "language": "en", "facility_id": "harbor-county-jail",
        "resident_id": "harbor-county-jail:001",
    }
    body.update(changes)
    return body


def register(api: TestClient, **changes: Any) -> str:
    response = api.post("/v1/accounts", json=registration(**changes),
                        headers={"Idempotency-Key": new_key("reg")})
    assert response.status_code == 201, response.text
    account_id: str = response.json()["id"]
    return account_id


def sign_in(api: TestClient, phone: str = "(713) 555-0142", pin: str = PIN) -> Any:
    return api.post("/v1/sessions", json={"phone": phone, "pin": pin})


@dataclass
class Family:
    account_id: str
    token: str
    api: TestClient

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Family-Session": self.token}

    def url(self, tail: str = "") -> str:
        return f"/v1/accounts/{self.account_id}{tail}"

    def get(self, tail: str = "", **kwargs: Any) -> Any:
        return self.api.get(self.url(tail), headers=self.headers, **kwargs)

    def post(self, tail: str, json: Any = None, key: str | None = None) -> Any:
        headers = dict(self.headers)
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.api.post(self.url(tail), json=json, headers=headers)

    def tokenize(self, number: str = VISA, exp_month: int = 12, exp_year: int = 2030,
                 cvc: str = "123") -> Any:
        return self.api.post("/v1/gateway/tokens", json={
            "number": number, "exp_month": exp_month, "exp_year": exp_year, "cvc": cvc})

    def add_card(self, number: str = VISA, **card: Any) -> dict[str, Any]:
        token = self.tokenize(number, **card)
        assert token.status_code == 201, token.text
        added = self.post("/payment-methods", {"token": token.json()["token"]}, new_key("pm"))
        assert added.status_code == 201, added.text
        body: dict[str, Any] = added.json()
        return body

    def deposit(self, amount_cents: int, key: str | None = None, **extra: Any) -> Any:
        return self.post("/advance-connect/deposits", {"amount_cents": amount_cents, **extra},
                         key or new_key("dep"))


def open_family(api: TestClient, phone: str = "(713) 555-0142", **changes: Any) -> Family:
    account_id = register(api, phone=phone, **changes)
    response = sign_in(api, phone)
    assert response.status_code == 201, response.text
    return Family(account_id, response.json()["token"], api)
