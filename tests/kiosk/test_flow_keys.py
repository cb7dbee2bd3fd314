"""The journey's data keys are named once (kiosk/flows/keys.py, or a journey's own module),
with the type of their value: every key a journey or a screen names is a declared one."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.domain import DepositQuote
from kiosk.flows import keys
from kiosk.flows.catalog import JOURNEYS
from kiosk.flows.engine import Journey
from kiosk.flows.keys import Key, declared

UI = Path(__file__).resolve().parents[2] / "ui"
KEYS = declared()  # after the journeys' modules are imported (kiosk.flows.catalog)
DECLARED = {str(key) for key in KEYS}


def _journey_keys(journey: Journey) -> Iterator[str]:
    for step in journey.steps.values():
        yield from step.provides
        yield from step.clears
        yield from step.keeps or ()
        if step.result:
            yield step.result
    yield from journey.sensitive
    for key, dropped in journey.invalidates.items():
        yield key
        yield from dropped


@pytest.mark.parametrize("journey", list(JOURNEYS.values()), ids=lambda j: j.name)
def test_every_key_a_journey_names_is_a_declared_key(journey: Journey) -> None:
    named = list(_journey_keys(journey))
    plain = sorted({name for name in named if not isinstance(name, Key)})
    assert not plain, f"{journey.name} names keys by a bare string: {plain}"
    assert set(named) <= KEYS


def _screen_keys(source: str) -> Iterator[str]:
    """The data keys a module of ui/ names: ``data.get("k")``, ``data["k"]``, the keys
    ``values()`` returns, and those given to a flow's ``record``."""
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get" and node.args
                and ast.unparse(node.func.value).split(".")[-1] == "data"
                and isinstance(node.args[0], ast.Constant)):
            yield str(node.args[0].value)
        elif (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)
              and ast.unparse(node.value).split(".")[-1] == "data"):
            yield str(node.slice.value)
        elif isinstance(node, ast.FunctionDef) and node.name == "values":
            returned = (n for r in ast.walk(node) if isinstance(r, ast.Return) and r.value
                        for n in ast.walk(r.value) if isinstance(n, ast.Dict))
            for literal in returned:
                yield from (str(k.value) for k in literal.keys if isinstance(k, ast.Constant))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "record" and node.args
              and isinstance(node.args[0], ast.Dict)):
            yield from (str(k.value) for k in node.args[0].keys if isinstance(k, ast.Constant))


def test_every_key_a_screen_names_is_declared() -> None:
    named: dict[str, set[str]] = {}
    for path in sorted(UI.rglob("*.py")):
        for key in _screen_keys(path.read_text(encoding="utf-8")):
            named.setdefault(key, set()).add(path.name)
    # The scan sees the screens' keys: what the deposit screens and the sign-up read.
    assert {"deposit_quote", "facility", "resident", "first_name", "address"} <= set(named)
    undeclared = {key: sorted(files) for key, files in named.items() if key not in DECLARED}
    assert not undeclared, f"keys declared nowhere: {undeclared}"


def test_a_key_reads_only_a_value_of_its_type() -> None:
    quote = DepositQuote(2000, 195, 2195, 500, 30000)
    assert keys.DEPOSIT_QUOTE.of({"deposit_quote": quote}) is quote
    assert keys.DEPOSIT_QUOTE.of({"deposit_quote": "2195"}) is None
    assert keys.DEPOSIT_QUOTE.of({}) is None
    assert keys.AMOUNT_CENTS.of({"amount_cents": 2000}) == 2000
    assert keys.AMOUNT_CENTS.of({"amount_cents": True}) is None  # a bool is not cents
    # A key is its name: a screen that names it by string finds the same entry.
    assert keys.DEPOSIT_QUOTE == "deposit_quote" and {keys.DEPOSIT_QUOTE: 1}["deposit_quote"]


def test_keys_are_named_once() -> None:
    assert len(DECLARED) == len(KEYS)
    with pytest.raises(TypeError, match="'deposit_quote' is declared twice"):
        Key("deposit_quote", DepositQuote)


def test_a_key_survives_a_copy_as_itself() -> None:
    import copy
    import pickle

    assert pickle.loads(pickle.dumps(keys.DEPOSIT_QUOTE)) is keys.DEPOSIT_QUOTE
    assert copy.deepcopy({keys.PLANS: 1}) == {keys.PLANS: 1}
