"""RFC 9457 problem details: one exception type, one response shape, documented everywhere."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from central.kernel.fields import (
    NAME_PATTERN,
    PRINTABLE_OR_EMPTY_PATTERN,
    PRINTABLE_PATTERN,
    TEXT_OR_EMPTY_PATTERN,
    TEXT_PATTERN,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"

# Error types we raise ourselves; the problem handler uses them as the stable ``code``.
CUSTOM_CODES = frozenset(
    {"phone_invalid", "email_invalid", "state_invalid", "postal_code_invalid", "pin_invalid",
     "name_invalid", "text_invalid"}
)
# A bound broken on these fields has a code of its own.
FIELD_TYPE_CODES = {
    ("amount_cents", "greater_than_equal"): "amount_below_minimum",
    ("amount_cents", "less_than_equal"): "amount_above_maximum",
    ("first_name", "string_pattern_mismatch"): "name_invalid",
    ("last_name", "string_pattern_mismatch"): "name_invalid",
    ("quoted_total_cents", "missing"): "quoted_total_required",
}
# ... and words of its own, where pydantic's would not say what to do.
FIELD_TYPE_DETAILS = {
    ("address.state", "string_pattern_mismatch"): "Not a US state or territory code",
    ("quoted_total_cents", "missing"):
        "Send the price_cents of the quote the family accepted as quoted_total_cents; "
        "a purchase is charged only at the price the family saw.",
}
# Any other failure on these fields (too long, wrong pattern) gets the field's own code.
FIELD_CODES = {
    "Idempotency-Key": "invalid_idempotency_key",
    "phone": "phone_invalid",
    "email": "email_invalid",
    "pin": "pin_invalid",
    "address.state": "state_invalid",
    "address.postal_code": "postal_code_invalid",
}
# A pattern broken anywhere else that only says "printable text" is a text_invalid.
PATTERN_CODES = {PRINTABLE_PATTERN: "text_invalid", PRINTABLE_OR_EMPTY_PATTERN: "text_invalid",
                 TEXT_PATTERN: "text_invalid", TEXT_OR_EMPTY_PATTERN: "text_invalid",
                 NAME_PATTERN: "name_invalid"}
# The words for the patterns that list thousands of characters, instead of pydantic's
# "String should match pattern" with the whole pattern in it.
_TEXT_WORDS = "Text may not hold control or other non-printing characters"
PATTERN_DETAILS = {
    TEXT_PATTERN: _TEXT_WORDS + ", nor be blank", TEXT_OR_EMPTY_PATTERN: _TEXT_WORDS,
    NAME_PATTERN: "A name holds letters, spaces, apostrophes, hyphens and periods only, "
                  "and at least one letter",
}


class Problem(BaseModel):
    """An error answer. ``code`` is stable for programs; ``title``/``detail`` are for people.

    Some problems carry RFC 9457 extension members a program can act on: when a lock ends,
    how many PIN attempts are left, the balance that was too small, the new quote when a
    price changed since the one the family saw (``quote_changed``).
    """

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    code: str
    detail: str | None = None
    field: str | None = None
    locked_until: datetime | None = None
    attempts_remaining: int | None = None
    balance_cents: int | None = None
    rule: str | None = None
    quote: dict[str, Any] | None = None


class ProblemError(Exception):
    """Raised anywhere in a request to answer with a problem+json response."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str | None = None,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        *,
        locked_until: datetime | None = None,
        attempts_remaining: int | None = None,
        balance_cents: int | None = None,
        rule: str | None = None,
        quote: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail or title}")
        self.problem = Problem(
            status=status, code=code, title=title, detail=detail, field=field,
            locked_until=locked_until, attempts_remaining=attempts_remaining,
            balance_cents=balance_cents, rule=rule, quote=quote,
        )
        self.headers = headers


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


_DESCRIPTIONS = {
    400: "Malformed request (for example, a body that is not JSON)",
    401: "Missing or invalid credentials",
    402: "The card was not charged (declined, insufficient funds or expired)",
    403: "Credentials do not allow this",
    404: "No such resource",
    409: "Conflict with the current state (or a request with this key is still in flight)",
    413: "The request body is larger than the server accepts",
    422: "The input is invalid; `field` names the culprit",
    423: "Locked after repeated failures",
    429: "Too many requests from this client: wait for Retry-After seconds",
    503: "A service this depends on does not answer, or is busy (see Retry-After)",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` entry documenting the problem answers a route can give."""
    return {
        status: {
            "model": Problem,
            "description": _DESCRIPTIONS[status],
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


def _field_of(location: tuple[Any, ...]) -> str | None:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or None


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(_request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(exc.problem, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        if first.get("type") == "json_invalid":
            return problem_response(
                Problem(
                    status=400,
                    code="malformed_json",
                    title="The request body is not valid JSON",
                    detail=str(first.get("msg", "")),
                )
            )
        field = _field_of(tuple(first.get("loc", ())))
        kind = str(first.get("type", ""))
        pattern = (first.get("ctx") or {}).get("pattern")
        return problem_response(
            Problem(
                status=422,
                code=(
                    kind if kind in CUSTOM_CODES
                    else FIELD_TYPE_CODES.get((field or "", kind))
                    or FIELD_CODES.get(field or "")
                    or PATTERN_CODES.get(str(pattern), "invalid_input")
                ),
                title="Some input is not valid",
                detail=FIELD_TYPE_DETAILS.get(
                    (field or "", kind),
                    PATTERN_DETAILS.get(str(pattern), str(first.get("msg", "invalid")))),
                field=field,
            )
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}
        headers = dict(exc.headers) if exc.headers else {}
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(app, request)
        return problem_response(
            Problem(
                status=exc.status_code,
                code=codes.get(exc.status_code, "http_error"),
                title=str(exc.detail),
            ),
            headers=headers or None,
        )


def _allowed_methods(app: FastAPI, request: Request) -> str:
    """Every method served at this path. Starlette's own 405 names only the first route that
    matched the path, though GET and POST of one path are often two routes."""
    methods: set[str] = set()
    for route in app.router.routes:
        match, _scope = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


def problem_openapi(app: FastAPI) -> None:
    """Make the served OpenAPI tell the truth: FastAPI documents its own 422 body
    (HTTPValidationError), but every error here is a Problem."""
    from fastapi.openapi.utils import get_openapi

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description,
            routes=app.routes,
        )
        problem_ref = {"schema": {"$ref": "#/components/schemas/Problem"}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.get("responses", {})
                if "requestBody" in operation:
                    # Every body passes the size limit first (central/api/body_limit.py).
                    responses.setdefault("413", {"description": _DESCRIPTIONS[413],
                                                 "content": {PROBLEM_MEDIA_TYPE: problem_ref}})
                if "422" in responses:
                    responses["422"] = {
                        "description": _DESCRIPTIONS[422],
                        "content": {PROBLEM_MEDIA_TYPE: problem_ref},
                    }
                for status, response in responses.items():
                    content = response.get("content", {})
                    if status[0] in "45" and "application/json" in content:
                        # Our errors are served as problem+json only.
                        content.pop("application/json")
                        content.setdefault(PROBLEM_MEDIA_TYPE, problem_ref)
        components = schema.get("components", {}).get("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]
