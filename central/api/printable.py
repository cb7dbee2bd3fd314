"""Every path parameter and declared query parameter is free of control characters, and the
OpenAPI document says so.

A URL can carry a NUL or another control character (``%00``). PostgreSQL refuses a NUL in
text outright, so such a value reaching a query was a 500 there and a quiet 404 on SQLite.
No id, facility or search of ours holds one, so each string parameter's schema carries the
pattern of ``central.kernel.fields.PRINTABLE_OR_EMPTY_PATTERN`` and a value outside it is refused
before any handler runs: in the query as a 422 ``text_invalid`` problem; in the path as a
404 ``unknown_path_id`` problem, since a path names a thing and nothing of ours has such a
name (what an unknown id that is printable gets too). Schemathesis's stateful phase fills a
path parameter that no link gives without its pattern and takes a 422 for a refusal of valid
data (ST202, seeds 410418306 and 1828184810); a 404 is what both of its checks expect.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute

from central.kernel.fields import PRINTABLE_OR_EMPTY_PATTERN
from central.kernel.problems import ProblemError

_PRINTABLE = re.compile(PRINTABLE_OR_EMPTY_PATTERN)


async def printable_parameters(request: Request) -> None:
    """An app-wide dependency: path parameters, and the query parameters the matched route
    declares (others are ignored, as the route ignores them), match the pattern. ``async``,
    so it runs on the event loop, not in a worker thread (it does no I/O)."""
    values = [(f"path.{name}", str(value)) for name, value in request.path_params.items()]
    route = request.scope.get("route")
    if isinstance(route, APIRoute):
        for param in route.dependant.query_params:
            values.extend((f"query.{param.alias}", v)
                          for v in request.query_params.getlist(param.alias))
    for field, value in values:
        if not _PRINTABLE.fullmatch(value):
            if field.startswith("path."):
                raise ProblemError(
                    404, "unknown_path_id", "Nothing has that name",
                    f"{field} names nothing: it holds a control character", field=field,
                )
            raise ProblemError(
                422, "text_invalid", "Text may not hold control characters",
                f"{field} holds a control character", field=field,
            )


def document_printable_parameters(app: FastAPI) -> None:
    """Give every string path and query parameter in the served OpenAPI document the
    pattern ``printable_parameters`` enforces. Call after ``problem_openapi``."""
    build = app.openapi

    def with_patterns() -> dict[str, Any]:
        schema = build()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for param in operation.get("parameters", []):
                    if param.get("in") in ("path", "query"):
                        _add_pattern(param.get("schema", {}))
        return schema

    app.openapi = with_patterns  # type: ignore[method-assign]


def _add_pattern(schema: dict[str, Any]) -> None:
    if schema.get("type") == "string":
        schema.setdefault("pattern", PRINTABLE_OR_EMPTY_PATTERN)
    for option in schema.get("anyOf", []):
        _add_pattern(option)
