"""The OpenAPI document states every text rule the server enforces (issue 18): for every text
field of every request body, a value the field's schema in the served document allows is one
the server takes, and a value the server takes is one the schema allows. Schemathesis found the
first broken: ``POST /v1/kiosks/enroll`` answered 422 ``text_invalid`` to a ``name`` with a
zero-width space, which the document's pattern (controls only) allowed.

The schema is read as a JSON-schema validator reads it (length in code points, ``pattern``
searched as ECMA-262 reads it); the server is the field's own
pydantic type. Two rules are beyond what a schema can say and are allowed to refuse more than
their schema: a *real* phone number and a *deliverable-looking* e-mail address."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter, ValidationError

from central.kernel import unicode_classes
from central.kernel.fields import PersonName
from tests.central.test_free_text import _api_routes, _text_fields

# Fields whose rule no schema can state (README, "The central API"; schemathesis.toml lists
# 422 for their operations): the schema bounds them, the server refuses more.
BEYOND_SCHEMA = {"phone", "email"}


def _probes() -> list[str]:
    """One character of every general category, and the characters each rule turns on."""
    first: dict[str, str] = {}
    for point in range(0x110000):
        first.setdefault(unicodedata.category(chr(point)), chr(point))
    special = [" ", "\t", "\n", "\x85", "\u00a0", "\u200b", "\u200d", "\u202e", "\u2028",
               "\ue000", "\u0378", "\U000e0001", "\U0010ffff", "\U0001f600", "\u0301", "a",
               "Z", "0", "9", "\u00b2", "\u0663", "-", "'", "\u2019", "\u2010", ".", "_", "+",
               "\u00f1", "\u674e", "\ufb02", "\u0131", "\u017f", "\u212a", "<", "@"]
    return [c for c in [*first.values(), *special] if unicodedata.category(c) != "Cs"]


def _values(schema: dict[str, Any]) -> list[str]:
    values = []
    for c in _probes():
        values += [c, "Ana" + c, c + "Ana", "Ana" + c + "Ana", "12345" + c, "AL" + c, c * 4]
    values += ["AL", "al", "tx", "XX", "12345", "12345-6789", "1234", "en", "1.2.3+b",
               "(713) 555-0142", "rosa@example.org", "Mary Ann", "O'Brien"]
    for bound in ("maxLength", "minLength"):
        if bound in schema:
            values += ["A" * (schema[bound] - 1), "A" * schema[bound], "A" * (schema[bound] + 1)]
    return values


def _schema_allows(schema: dict[str, Any], value: str) -> bool:
    if "anyOf" in schema:
        return any(_schema_allows(option, value) for option in schema["anyOf"])
    if schema.get("type") != "string":
        return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 1 << 30):
        return False
    return "pattern" not in schema or re.search(_ecma(schema["pattern"]), value) is not None


def _ecma(pattern: str) -> str:
    """JSON Schema's patterns are ECMA-262's, where ``$`` is the end of the text; Python's
    ``$`` also matches before a last line break (``\\Z`` is ECMA's ``$``)."""
    return pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") \
        else pattern


def _server_takes(adapter: TypeAdapter[Any], value: str) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def _document_field(spec: dict[str, Any], model: str, name: str) -> dict[str, Any]:
    """The schema of ``model``'s field ``name`` in the served document."""
    schema: dict[str, Any] = spec["components"]["schemas"][model]["properties"][name]
    return schema


def test_every_text_field_of_every_body_allows_exactly_what_the_server_takes(
    app: FastAPI, api: TestClient
) -> None:
    spec = api.get("/openapi.json").json()
    bodies = {field.field_info.annotation for route in _api_routes(app.routes)
              if (field := route.body_field) is not None}
    fields = dict(item for body in bodies if isinstance(body, type)
                  and issubclass(body, BaseModel) for item in _text_fields(body))
    assert len(fields) > 20, sorted(fields)
    broken = []
    for where, annotation in sorted(fields.items()):
        # ``Model.name``, or ``Inner.outer.name`` for a nested body's field.
        model, *path = where.split(".")
        schema = _document_field(spec, model, path[-1])
        adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        for value in _values(schema):
            allowed, taken = _schema_allows(schema, value), _server_takes(adapter, value)
            if allowed and not taken and path[-1] not in BEYOND_SCHEMA:
                broken.append(f"{where}: the document allows {value!r}, the server refuses it")
            # The server drops surrounding white space first; the document does not say so.
            if taken and not allowed and value == value.strip():
                broken.append(f"{where}: the server takes {value!r}, the document refuses it")
    assert not broken, "\n".join(broken[:60]) + f"\n... {len(broken)} in all, in " + str(
        sorted({entry.split(":")[0] for entry in broken}))


@pytest.mark.parametrize(
    ("path", "body", "field", "code"),
    [
        ("/v1/kiosks/enroll", {"code": "X", "name": "Lobby\u200b 1"}, "name", "text_invalid"),
        ("/v1/kiosks/enroll", {"code": "X", "name": "Lobby \u202e1"}, "name", "text_invalid"),
        ("/v1/kiosks/enroll", {"code": "X", "name": "Lobby\u2028 1"}, "name", "text_invalid"),
    ],
)
def test_a_refused_text_says_why_in_a_sentence(
    api: TestClient, path: str, body: dict[str, str], field: str, code: str
) -> None:
    """The pattern lists thousands of characters: the problem names the rule, not it."""
    response = api.post(path, json=body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert (problem["code"], problem["field"]) == (code, field)
    assert problem["detail"].startswith("Text may not hold control or other non-printing")
    assert len(response.text) < 1000


@pytest.mark.parametrize("odd", ["\ue000", "\U000f0001", "\u0378", "\U0001fbff"])
def test_private_use_and_unassigned_code_points_are_text_and_name_letters(
    api: TestClient, odd: str
) -> None:
    """No JSON-schema pattern can list them cheaply (the fuzzer draws from a class one code
    point at a time, and the unassigned ones are most of Unicode), and they break no e-mail
    header or line: they are taken, as a kiosk with a newer Unicode may send a character
    this server's Unicode does not know yet. Controls and format characters stay refused."""
    response = api.post("/v1/kiosks/enroll", json={"code": "X", "name": f"Lobby {odd}"})
    assert (response.status_code, response.json()["code"]) == (401, "enrollment_code_invalid")
    adapter: TypeAdapter[Any] = TypeAdapter(PersonName)
    assert adapter.validate_python(f"Ana{odd}") == f"Ana{odd}"


def test_the_character_classes_are_those_of_the_python_that_runs_the_server() -> None:
    """``central/kernel/unicode_classes.py`` is generated; a newer Python's Unicode database
    would make the document and the validators disagree until it is generated again
    (``python scripts/unicode_classes.py > central/kernel/unicode_classes.py``)."""
    assert unicodedata.unidata_version == unicode_classes.UNICODE_VERSION
    category = unicodedata.category
    refused = unicode_classes.TEXT_REFUSED_CATEGORIES
    punctuation = unicode_classes.NAME_PUNCTUATION

    def in_name_refused(c: str) -> bool:
        return (category(c)[0] in "NSPZ" or category(c) in refused) and c not in punctuation

    classes = {
        "TEXT_REFUSED": lambda c: category(c) in refused,
        "BLANK": lambda c: category(c) in refused or c.isspace(),
        "NAME_REFUSED": in_name_refused,
        "NOT_LETTERS": lambda c: in_name_refused(c) or category(c)[0] == "M"
        or c in punctuation,
    }
    for name, keep in classes.items():
        listed = getattr(unicode_classes, name)
        inside = {p for a, b in listed for p in range(a, b + 1)}
        assert inside == {p for p in range(0x110000) if keep(chr(p))}, name
