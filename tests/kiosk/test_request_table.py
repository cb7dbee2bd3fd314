"""The one request table (kiosk/request_table.py): every request the screens can send has
a handler and a tour sample, the sample is of the request's answer type, and the workflow
and the tour both answer from it."""

from __future__ import annotations

import inspect
import types
import typing
from dataclasses import fields
from typing import Any

import pytest

from kiosk import requests as kiosk_requests
from kiosk.request_table import ROUTES, Capabilities, Route, sample_answer
from kiosk.requests import Request


def _capability_classes() -> dict[str, type]:
    from kiosk.capabilities.advisor import Advisor
    from kiosk.capabilities.cash import CashDesk
    from kiosk.capabilities.catalog import Catalog
    from kiosk.capabilities.family import FamilySessions
    from kiosk.capabilities.loved_ones import LinkQueue
    from kiosk.capabilities.money import Money
    from kiosk.capabilities.reader import ReaderDesk
    from kiosk.capabilities.receipts import ReceiptDesk
    from kiosk.capabilities.registration import Registrations
    from kiosk.capabilities.staff import StaffDesk
    from kiosk.capabilities.subscriptions import Subscriptions

    return {c.__name__: c for c in (Advisor, Catalog, FamilySessions, LinkQueue, Money,
                                    ReceiptDesk, Registrations, StaffDesk, Subscriptions,
                                    CashDesk, ReaderDesk)}


_CAPABILITY_CLASSES = _capability_classes()


def _sample_request(kind: type[Any]) -> Any:
    """An instance of request type ``kind`` with made-up field values (no I/O)."""
    values: dict[str, Any] = {}
    for f in fields(kind):
        if f.default is not f.default_factory:  # has a default (MISSING is neither)
            continue
        values[f.name] = {"int": 1, "str": "x"}.get(str(f.type))
    return kind(**values)


def _conforms(value: object, form: Any) -> bool:
    """Whether ``value`` is of the type form ``form`` (a class, None, list[X], X | Y)."""
    if form is None:
        return value is None
    origin = typing.get_origin(form)
    if origin is list:
        (item,) = typing.get_args(form)
        return isinstance(value, list) and bool(value) and all(_conforms(v, item)
                                                               for v in value)
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, arm) for arm in typing.get_args(form))
    return isinstance(value, form)


def _classes() -> set[type]:
    return {obj for obj in vars(kiosk_requests).values()
            if isinstance(obj, type) and obj.__module__ == kiosk_requests.__name__
            and obj is not Request}


def _named_in(form: Any) -> set[Any]:
    return {form} | {named for arm in typing.get_args(form) for named in _named_in(arm)}


def test_every_request_has_one_route() -> None:
    """A request written in kiosk/requests.py without its ``@route`` (a handler and a
    sample) fails, as does one that is not a ``Request``. The module's other classes are
    answers its routes name (a new request's answer is written beside it)."""
    listed = [route.request for route in ROUTES]
    assert len(listed) == len(set(listed)), "a request is listed twice"
    assert all(issubclass(kind, Request) for kind in listed)
    answers = {named for route in ROUTES for named in _named_in(route.answer)}
    assert {c for c in _classes() if c not in answers} == set(listed)


def test_a_request_declared_twice_is_refused() -> None:
    from kiosk.routes import route

    with pytest.raises(TypeError, match="LoadRates is declared twice"):
        route(None, lambda c: c.subscriptions.rates, lambda _r, _o: None)(
            type("LoadRates", (Request,), {}))


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.request.__name__)
def test_each_sample_is_of_the_answer_type(route: Route[Any, Any]) -> None:
    request = _sample_request(route.request)
    for online in (True, False):
        answer = sample_answer(request, online=online)
        assert _conforms(answer, route.answer), (route.request.__name__, answer)


def test_each_handler_names_a_capability_method() -> None:
    """Each handler is a method of one of the capabilities the workflow builds."""
    class Named:
        def __init__(self, name: str) -> None:
            self.name = name

        def __getattr__(self, method: str) -> tuple[str, str]:
            return (self.name, method)

    bundle: Any = Capabilities(**{f.name: Named(f.name) for f in fields(Capabilities)})
    for route in ROUTES:
        capability, method = route.handler(bundle)
        real = typing.get_type_hints(Capabilities, localns=_CAPABILITY_CLASSES)[capability]
        assert callable(getattr(real, method, None)), (route.request.__name__, method)
        # ... and takes this request (its annotation, a string under postponed evaluation).
        taken = list(inspect.signature(getattr(real, method)).parameters.values())[1]
        named = str(taken.annotation).split(" | ")[0]  # "CancelReaderPayment | None" too
        assert named == route.request.__name__, (route.request.__name__, method, named)


def test_the_tours_controller_answers_from_the_table(qtbot: Any) -> None:
    from kiosk.domain import RegistrationOutcome
    from kiosk.requests import LoadRates, Register
    from kiosk.tour import SampleController

    offline = SampleController(online=False)
    with qtbot.waitSignal(offline.answered, timeout=2000) as answered:
        offline.request(_sample_request(Register))
    assert answered.args[1].outcome is RegistrationOutcome.QUEUED
    online = SampleController()
    with qtbot.waitSignal(online.answered, timeout=2000) as answered:
        online.request(LoadRates("harbor-county-jail"))
    assert answered.args[1] == sample_answer(LoadRates("x"))
