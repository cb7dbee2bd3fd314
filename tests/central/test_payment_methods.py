"""Cards on file (rule 13): add from a token, a new card replaces the old one, remove; only
brand, last four and expiry are ever returned."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.central.family_support import MASTERCARD, VISA, Family, new_key, open_family

SHOWN = {"id", "brand", "last4", "exp_month", "exp_year", "created_at"}


def test_add_card_shows_only_brand_last4_expiry(family: Family) -> None:
    added = family.add_card(VISA, exp_month=7, exp_year=2031)
    assert set(added) == SHOWN
    assert (added["brand"], added["last4"], added["exp_month"], added["exp_year"]) == (
        "visa", "4242", 7, 2031)
    listed = family.get("/payment-methods").json()
    assert listed == [added]
    assert family.get().json()["payment_methods"] == [added]


def test_rule13_a_new_card_replaces_the_one_on_file(family: Family) -> None:
    old = family.add_card(VISA)
    new = family.add_card(MASTERCARD)
    assert [m["id"] for m in family.get("/payment-methods").json()] == [new["id"]]
    assert new["brand"] == "mastercard" and new["last4"] == "4444"
    gone = family.api.delete(family.url(f"/payment-methods/{old['id']}"),
                             headers=family.headers)
    assert gone.status_code == 404 and gone.json()["code"] == "payment_method_unknown"


def test_remove_card(family: Family) -> None:
    added = family.add_card()
    removed = family.api.delete(family.url(f"/payment-methods/{added['id']}"),
                                headers=family.headers)
    assert removed.status_code == 204
    assert family.get("/payment-methods").json() == []


def test_unknown_token_is_422(family: Family) -> None:
    response = family.post("/payment-methods", {"token": "tok_made_up"}, new_key())
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("card_token_invalid", "token")



def test_a_token_with_a_nul_is_a_422_on_every_database(family: Family) -> None:
    """PostgreSQL refuses a NUL in text: such a token was a 500 there (schemathesis, twice)."""
    response = family.post("/payment-methods", {"token": "tok_\x00visa"}, new_key())
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "token"


def test_a_token_on_file_elsewhere_is_refused(family: Family, kiosk_api: TestClient) -> None:
    token = family.tokenize().json()["token"]
    assert family.post("/payment-methods", {"token": token}, new_key()).status_code == 201
    other = open_family(kiosk_api, phone="(713) 555-0177")
    taken = other.post("/payment-methods", {"token": token}, new_key())
    assert taken.status_code == 409 and taken.json()["code"] == "card_token_in_use"


def test_adding_is_idempotent(family: Family) -> None:
    token = family.tokenize().json()["token"]
    first = family.post("/payment-methods", {"token": token}, "same")
    again = family.post("/payment-methods", {"token": token}, "same")
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(family.get("/payment-methods").json()) == 1
