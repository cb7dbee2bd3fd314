"""Every path parameter and declared query parameter is printable text.

A URL can carry a NUL or another control character (``%00``). PostgreSQL refuses a NUL in
text outright, so such a value reaching a query was a 500 there and a quiet 404 on SQLite.
No id, facility or search of ours holds one, so it is refused before any handler runs, as
the same 422 ``text_invalid`` problem a request body gets.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.routing import APIRoute

from central.fields import non_printing
from central.problems import ProblemError


def printable_parameters(request: Request) -> None:
    """An app-wide dependency: path parameters, and the query parameters the matched route
    declares (others are ignored, as the route ignores them), hold no non-printing
    character."""
    values = [(f"path.{name}", str(value)) for name, value in request.path_params.items()]
    route = request.scope.get("route")
    if isinstance(route, APIRoute):
        for param in route.dependant.query_params:
            values.extend((f"query.{param.alias}", v)
                          for v in request.query_params.getlist(param.alias))
    for field, value in values:
        if non_printing(value):
            raise ProblemError(
                422, "text_invalid", "Text may not hold control or other non-printing "
                "characters", f"{field} holds a character that prints nothing", field=field,
            )
