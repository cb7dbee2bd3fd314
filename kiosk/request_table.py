"""The kiosk's requests, collected: each declares its answer, handler and sample with its
``@route`` in ``kiosk/requests.py`` (``kiosk/routes.py`` says how). The workflow
(``kiosk/workflow.py``) builds its handlers from ``ROUTES``, the tour's sample controller
(``kiosk/tour.py``) answers from it, and ``tests/kiosk/test_request_table.py`` fails when a
request has no route, or a sample that is not of its answer type."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from kiosk import requests as _requests  # noqa: F401 - declares every route
from kiosk.requests import Request
from kiosk.routes import DECLARED, Capabilities, Route

__all__ = ["ROUTES", "ROUTE_OF", "Capabilities", "Route", "route_of", "sample_answer"]

ROUTES: tuple[Route[Any, Any], ...] = tuple(DECLARED)

ROUTE_OF: Mapping[type[Any], Route[Any, Any]] = MappingProxyType(
    {route.request: route for route in ROUTES})


def route_of(request: Request) -> Route[Any, Any]:
    return ROUTE_OF[type(request)]


def sample_answer(request: Request, *, online: bool = True) -> object:
    """The tour's answer to ``request``."""
    return route_of(request).sample(request, online)
