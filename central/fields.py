"""Field types shared by every capability's request bodies: strict JSON integers and
booleans, printable text and people's names, identifiers, and the base that forbids unknown
fields."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
)
from pydantic import Strict as _StrictType
from pydantic_core import PydanticCustomError


def _json_integer(value: object) -> object:
    """JSON Schema's "integer" includes 20.0; it never includes "20", true or 20.5."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Request integers are exactly JSON Schema's integers: STRICT refuses "20" and true, and
# JSON_INTEGER lets 20.0 through as 20. Bounds go between the two so the OpenAPI document
# shows them: Annotated[int, STRICT, Field(ge=1), JSON_INTEGER].
STRICT = _StrictType()
JSON_INTEGER = BeforeValidator(_json_integer)
# Request booleans: true or false only, not 0/1 or "yes".
JsonBool = Annotated[bool, STRICT]

# Characters that print nothing: controls, format characters (zero-width, bidi overrides),
# surrogates, private use, unassigned, and line/paragraph separators. A name with a line
# break in it once reached an e-mail header; free text never holds any of these.
_NON_PRINTING = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# The same rule as far as a JSON-schema pattern can say it (C0, DEL, C1, the separators),
# so the OpenAPI document tells clients too; the validator below covers the rest.
_NO_CONTROLS = r"[^\x00-\x1f\x7f-\x9f\u2028\u2029]"
# Non-blank: at least one character that is neither white space nor a control.
PRINTABLE_PATTERN = rf"^{_NO_CONTROLS}*[^\s\x00-\x1f\x7f-\x9f\u2028\u2029]{_NO_CONTROLS}*$"
PRINTABLE_OR_EMPTY_PATTERN = rf"^{_NO_CONTROLS}*$"


def non_printing(text: str) -> list[str]:
    """The characters of ``text`` that print nothing (see ``_NON_PRINTING``)."""
    return [c for c in text if unicodedata.category(c) in _NON_PRINTING]


def _printable(value: str) -> str:
    if non_printing(value):
        raise PydanticCustomError(
            "text_invalid", "Text may not hold control or other non-printing characters"
        )
    return value


# Apostrophes (straight and typographic), hyphens and periods: "O'Brien", "Jean-Luc",
# "Jr.". Everything else in a name must be a letter (or a mark on one), in any script.
_NAME_PUNCTUATION = frozenset("'’-‐.")


def _person_name(value: str) -> str:
    value = unicodedata.normalize("NFC", value)
    letters = 0
    for char in value:
        category = unicodedata.category(char)
        if category.startswith("L"):
            letters += 1
        elif not (char == " " or char in _NAME_PUNCTUATION or category.startswith("M")):
            raise PydanticCustomError(
                "name_invalid",
                "A name holds letters, spaces, apostrophes, hyphens and periods only",
            )
    if letters == 0:
        raise PydanticCustomError("name_invalid", "A name needs at least one letter")
    return value


# Free text typed on a kiosk: non-blank, printable, at most 100 characters.
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100,
                      pattern=PRINTABLE_PATTERN),
    AfterValidator(_printable),
]
# A line of text that may be empty (an address's second line).
OptionalLine = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200, pattern=PRINTABLE_OR_EMPTY_PATTERN),
    AfterValidator(_printable),
]
# A line of text that must say something (an address's first line).
Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                      pattern=PRINTABLE_PATTERN),
    AfterValidator(_printable),
]
# A person's first or last name (its own check refuses non-printing characters too).
PersonName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100,
                      pattern=PRINTABLE_PATTERN),
    AfterValidator(_person_name),
]
# A code or token handed to us (an enrolment code, a card token, a badge): surrounding spaces
# dropped, printable, at most 64 characters; a field may allow fewer with its own
# ``StringConstraints(max_length=...)``.
Token = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                           pattern=PRINTABLE_PATTERN)
]
# A kiosk's JSON text (an audit event's detail): json.dumps escapes every control character,
# so a raw one (above all a NUL, which PostgreSQL refuses in text) means the text was forged.
JsonText = Annotated[
    str,
    StringConstraints(max_length=2000, pattern=PRINTABLE_OR_EMPTY_PATTERN),
    AfterValidator(_printable),
]
# An id sent back to us: printable, as no id of ours holds a control character (PostgreSQL
# refuses a NUL in text outright, so one must be refused here as 422, not reach it).
Identifier = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=PRINTABLE_PATTERN)
]


def _time_as_text(value: object) -> object:
    """The schema says "string, date-time": a bare number of seconds is not one."""
    if not isinstance(value, str | datetime):
        raise PydanticCustomError("datetime_type", "A time is an ISO 8601 string")
    return value


# A moment in a request body: an ISO 8601 string only (pydantic alone takes numbers too).
Timestamp = Annotated[datetime, BeforeValidator(_time_as_text)]


def _iso_time_text(value: object) -> object:
    """A query parameter is always text, and pydantic reads "0.5" as seconds since 1970:
    only an ISO 8601 date-time is one here."""
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise PydanticCustomError("datetime_type", "A time is an ISO 8601 string") from None
    return _time_as_text(value)


# A moment in a query string: ISO 8601 with its offset ("...Z" or "+00:00").
QueryTime = Annotated[AwareDatetime, BeforeValidator(_iso_time_text)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
