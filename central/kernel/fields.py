"""Field types shared by every capability's request bodies: strict JSON integers and
booleans, printable text and people's names, identifiers, and the base that forbids unknown
fields."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
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

from central.kernel import unicode_classes


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
# surrogates, private use, unassigned, and line/paragraph separators (``non_printing``).
_NON_PRINTING = unicode_classes.NON_PRINTING
# What free text in a request may not hold: controls, format characters, line and paragraph
# separators, surrogates. A name with a line break in it once reached an e-mail header.
_TEXT_REFUSED = unicode_classes.TEXT_REFUSED_CATEGORIES | {"Cs"}
# Apostrophes (straight and typographic), hyphens and periods: "O'Brien", "Jean-Luc",
# "Jr.". Numbers, symbols and other punctuation are no part of a name.
_NAME_PUNCTUATION = unicode_classes.NAME_PUNCTUATION


def _char(point: int) -> str:
    """A code point inside a pattern's character class, as Python's, Rust's and ECMAScript's
    regular expressions all read it: ASCII as a \\x escape, the rest of the first plane as a
    \\u escape, and a character past it as itself (ECMAScript spells its escape otherwise)."""
    if point < 0x80:
        return f"\\x{point:02X}"
    return f"\\u{point:04X}" if point < 0x10000 else chr(point)


def refused_class(ranges: Iterable[tuple[int, int]]) -> str:
    """A regular expression class of every character outside ``ranges``."""
    return "[^" + "".join(_char(a) if a == b else f"{_char(a)}-{_char(b)}"
                          for a, b in ranges) + "]"


# The rules of free text and names in full, as JSON-schema patterns, so the OpenAPI document
# says exactly what the server takes: a schema-valid value refused with 422 was a contract
# break (schemathesis found an enrolment's ``name`` with a zero-width space in it). Each
# class lists the few characters a rule refuses (``central/kernel/unicode_classes.py``):
# Python's ``re``, which the fuzzer draws from, has no ``\\p{...}`` categories, and drawing
# from a class costs the fuzzer a step per character it names.
_TAKEN = refused_class(unicode_classes.TEXT_REFUSED)
# Not blank: at least one character that is no white space either.
TEXT_PATTERN = f"^{_TAKEN}*{refused_class(unicode_classes.BLANK)}{_TAKEN}*$"
TEXT_OR_EMPTY_PATTERN = f"^{_TAKEN}*$"
_IN_NAME = refused_class(unicode_classes.NAME_REFUSED)
# Letters, marks, spaces and the name punctuation, with at least one letter.
NAME_PATTERN = f"^{_IN_NAME}*{refused_class(unicode_classes.NOT_LETTERS)}{_IN_NAME}*$"

# Ids, codes and query parameters: no control character (C0, DEL, C1, the separators); a
# code or id with another odd character is simply not one of ours (401, 404).
_NO_CONTROLS = r"[^\x00-\x1f\x7f-\x9f\u2028\u2029]"
# Non-blank: at least one character that is neither white space nor a control.
PRINTABLE_PATTERN = rf"^{_NO_CONTROLS}*[^\s\x00-\x1f\x7f-\x9f\u2028\u2029]{_NO_CONTROLS}*$"
PRINTABLE_OR_EMPTY_PATTERN = rf"^{_NO_CONTROLS}*$"


def non_printing(text: str) -> list[str]:
    """The characters of ``text`` that print nothing (see ``_NON_PRINTING``)."""
    return [c for c in text if unicodedata.category(c) in _NON_PRINTING]


def _printable(value: str) -> str:
    if any(unicodedata.category(c) in _TEXT_REFUSED for c in value):
        raise PydanticCustomError(
            "text_invalid", "Text may not hold control or other non-printing characters"
        )
    return value


def _person_name(value: str) -> str:
    value = unicodedata.normalize("NFC", value)
    letters = 0
    for char in value:
        category = unicodedata.category(char)
        if char in _NAME_PUNCTUATION or category.startswith("M"):
            continue
        if category[0] in "NSPZ" or category in _TEXT_REFUSED:
            raise PydanticCustomError(
                "name_invalid",
                "A name holds letters, spaces, apostrophes, hyphens and periods only",
            )
        letters += 1  # a letter, in any script (or a code point a newer Unicode may give one)
    if letters == 0:
        raise PydanticCustomError("name_invalid", "A name needs at least one letter")
    return value


# Free text typed on a kiosk: non-blank, printable, at most 100 characters.
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100,
                      pattern=TEXT_PATTERN),
    AfterValidator(_printable),
]
# A line of text that may be empty (an address's second line).
OptionalLine = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200, pattern=TEXT_OR_EMPTY_PATTERN),
    AfterValidator(_printable),
]
# A line of text that must say something (an address's first line).
Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                      pattern=TEXT_PATTERN),
    AfterValidator(_printable),
]
# A person's first or last name: letters of any script, marks, spaces and the name
# punctuation, with at least one letter.
PersonName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100,
                      pattern=NAME_PATTERN),
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
    StringConstraints(max_length=2000, pattern=TEXT_OR_EMPTY_PATTERN),
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
