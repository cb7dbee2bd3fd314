"""Field types shared by every capability's request bodies: strict JSON integers and
booleans, non-blank text, identifiers, and the base that forbids unknown fields."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints
from pydantic import Strict as _StrictType


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

# pattern "\S": the schema itself says that blank text is no name.
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=r"\S")
]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
