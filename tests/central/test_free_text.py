"""Free text typed at a kiosk (names, address lines) holds no control or other non-printing
characters, and a name that got in before this rule can never break an e-mail header or a
payment (issue 7, defect 5)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import update

from central.identity.models import Account
from central.mail.mailer import SmtpMailer
from central.mail.outbox import deliver_pending
from tests.central.family_support import PROBLEM, new_key, open_family, registration
from tests.support import CollectingHandler

INJECTED = "Rosa\nBcc: eve@example.org"


def _post(api: TestClient, body: dict[str, Any]) -> Any:
    return api.post("/v1/accounts", json=body, headers={"Idempotency-Key": new_key("reg")})


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("first_name", INJECTED, "name_invalid"),
        ("last_name", "Martínez\r\nX-Evil: 1", "name_invalid"),
        ("first_name", "Ro\u200bsa", "name_invalid"),  # zero-width space
        ("first_name", "Rosa\u202e", "name_invalid"),  # right-to-left override
        ("first_name", "Rosa\x00", "name_invalid"),
        ("first_name", "R0sa", "name_invalid"),
        ("last_name", "<b>Martínez</b>", "name_invalid"),
        ("last_name", "--", "name_invalid"),
        ("address.city", "Houston\nBcc: eve@example.org", "text_invalid"),
        ("address.line1", "1200 Main\tSt", "text_invalid"),
        ("address.line2", "Apt\u2028 4", "text_invalid"),
        ("address.line1", "1200 Main St\u200f", "text_invalid"),  # right-to-left mark
        ("address.city", "Hous\x85ton", "text_invalid"),  # C1 next line
    ],
)
def test_non_printing_text_is_refused_with_code_and_field(
    kiosk_api: TestClient, field: str, value: str, code: str
) -> None:
    body = registration()
    if field.startswith("address."):
        body["address"] = {**body["address"], field.split(".")[1]: value}
    else:
        body[field] = value
    response = _post(kiosk_api, body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert (response.json()["code"], response.json()["field"]) == (code, field)


@pytest.mark.parametrize(
    ("first", "last"),
    [("Zoë", "O'Brien"), ("Jean-Luc", "D’Angelo"), ("Mary Ann", "Nguyễn"),
     ("J.", "St. John"), ("李", "小龍"), ("Jose\u0301", "Müller")],
)
def test_names_in_any_language_are_accepted(kiosk_api: TestClient, first: str, last: str
                                            ) -> None:
    response = _post(kiosk_api, registration(first_name=first, last_name=last))
    assert response.status_code == 201, response.text
    assert response.json()["last_name"] == last


def test_an_old_name_with_a_line_break_neither_fails_a_payment_nor_adds_a_recipient(
    kiosk_api: TestClient, app: FastAPI, smtp_server: tuple[CollectingHandler, int]
) -> None:
    """An account stored before names were checked: the deposit is charged, answered 201,
    and its receipt goes to the account's address only."""
    handler, port = smtp_server
    services = app.state.services
    family = open_family(kiosk_api)
    with services.db.transaction() as session:
        session.execute(update(Account).where(Account.id == family.account_id)
                        .values(first_name=INJECTED))
    family.add_card()
    response = family.deposit(2000)
    assert response.status_code == 201, response.text
    mailer = SmtpMailer("127.0.0.1", port, "Lobby <lobby@example.org>", timeout=5,
                        clock=services.clock)
    assert deliver_pending(services.db, mailer, services.clock) == 1
    [received] = handler.messages
    assert received.rcpt_tos == ["rosa.martinez@example.org"]
    assert received.message["Bcc"] is None
    assert received.message["To"].addresses[0].addr_spec == "rosa.martinez@example.org"
    assert "\n" not in received.message["To"].addresses[0].display_name


@pytest.mark.parametrize(
    "path",
    [
        # Schemathesis seed 391521460 found this one: PostgreSQL refuses a NUL in text, so
        # it must be refused before the query, as 422, not reach the database as a 500.
        "/v1/facilities/harbor-county-jail/residents?q=%C2%90%10%00%C2%B7VH",
        "/v1/facilities/harbor-county-jail/residents?q=ab%00",
    ],
)
def test_a_control_character_in_a_query_is_a_422_on_every_database(
    kiosk_api: TestClient, path: str
) -> None:
    response = kiosk_api.get(path)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "text_invalid"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/facilities/harbor%00county/residents?q=ana",
        "/v1/facilities/harbor%00county",
        "/v1/facilities/harbor%00county/resident-directory",
    ],
)
def test_a_control_character_in_a_path_names_nothing_a_404_on_every_database(
    kiosk_api: TestClient, path: str
) -> None:
    """Before the query, never PostgreSQL's 500; a 404 as for any id that names nothing
    (schemathesis's stateful phase called the 422 a refusal of valid data)."""
    response = kiosk_api.get(path)
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "unknown_path_id"


def test_a_card_id_with_a_control_character_is_a_404(kiosk_api: TestClient) -> None:
    """The stateful phase's case: DELETE .../payment-methods/%1A%C2%96... (ST202)."""
    family = open_family(kiosk_api)
    response = kiosk_api.delete(family.url("/payment-methods/%1A%C2%96x"),
                                headers=family.headers)
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "unknown_path_id"


def test_the_openapi_document_tells_clients_parameters_hold_no_control_character(
    api: TestClient,
) -> None:
    """Refusing what the schema allowed would be a contract break (schemathesis ST202)."""
    from central.kernel.fields import PRINTABLE_OR_EMPTY_PATTERN

    params = [p for ops in api.get("/openapi.json").json()["paths"].values()
              for op in ops.values() for p in op.get("parameters", [])
              if p["in"] in ("path", "query") and p["schema"].get("type") == "string"]
    assert params and all("pattern" in p["schema"] for p in params)
    # The printable pattern, or a stricter one of the parameter's own (a date, a reader
    # id): either way no value with a control character matches it.
    stricter = {p["schema"]["pattern"] for p in params} - {PRINTABLE_OR_EMPTY_PATTERN}
    for pattern in stricter:
        for control in ("\x00", "\x1f", "\x7f", "\u2028"):
            assert re.search(pattern, "A0" + control) is None, (pattern, control)
            assert re.search(pattern, control) is None, (pattern, control)


def _text_fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every field of a request body (nested models included) with a str in its type."""
    for name, info in model.model_fields.items():
        annotation = info.annotation
        options = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else ()
        for option in (annotation, *options):
            if isinstance(option, type) and issubclass(option, BaseModel):
                yield from _text_fields(option, f"{prefix}{name}.")
        if annotation is str or str in options:
            yield f"{model.__name__}.{prefix}{name}", Annotated[annotation, *info.metadata]


def _api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    """The app's endpoints, through the routers it includes."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (router := getattr(route, "original_router", None)) is not None:
            yield from _api_routes(router.routes)


def test_no_text_field_of_any_request_body_takes_a_nul(app: FastAPI) -> None:
    """PostgreSQL refuses a NUL in text outright: one that passed validation was a 500 there
    (schemathesis found it in an audit event's ``detail`` and ``staff_id``) and stored as is
    on SQLite. Every text field of every body refuses it as a 422 before a handler runs."""
    bodies = {field.field_info.annotation for route in _api_routes(app.routes)
              if (field := route.body_field) is not None}
    fields = dict(item for body in bodies if isinstance(body, type)
                  and issubclass(body, BaseModel) for item in _text_fields(body))
    assert len(fields) > 20, sorted(fields)
    taken = []
    for where, annotation in sorted(fields.items()):
        adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        for value in ("\x00", "a\x00", "Rosa\x00Martínez", "12\x00"):
            try:
                adapter.validate_python(value)
            except ValidationError:
                continue
            taken.append(f"{where} took {value!r}")
    assert not taken, sorted({entry.split(" took ")[0] for entry in taken})
