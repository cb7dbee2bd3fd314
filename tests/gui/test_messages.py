"""Every problem code the central server can send has words of its own on the kiosk, in
English and in Spanish (ui/messages.py). The codes are read from central/'s source: the
code of every ``ProblemError``, card refusal, session and role problem, the request-body
problems of the kernel, and the processor's decline codes."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.domain import Language
from ui.main_window import MainWindow
from ui.messages import known_codes, message_for

CENTRAL = Path(__file__).resolve().parents[2] / "central"
GENERIC = "Something went wrong. Please ask staff for help."
# Calls whose argument (by position, or ``code=``) is a problem code.
CODE_ARGUMENTS = {"ProblemError": 1, "CardRejected": 0, "_session_problem": 0,
                  "_client_with_role": 1, "Problem": None}
# Where a code is a variable, what it is: its values are found elsewhere (a decline code,
# or the literal codes given to the helper that raises it). Any other variable code fails.
VARIABLE_CODES = {
    ("central/kernel/problems.py", "code"),  # ProblemError's constructor passing it on
    ("central/money/gateway/stripe_gateway.py", "code"),  # Stripe's card errors, below
    ("central/money/payments.py", "code"),  # DeclineCode, below
    ("central/identity/auth.py", "code"),  # _session_problem's callers
    ("central/api/deps.py", "code"),  # _client_with_role's callers
    ("central/money/cards.py", "exc.code"),  # CardRejected's callers
}


def _literals(module: ast.Module) -> dict[str, ast.expr]:
    """The module's names bound to a literal dict, set or frozenset({...})."""
    found: dict[str, ast.expr] = {}
    for node in ast.walk(module):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                found[target.id] = node.value
    return found


def _values(container: ast.expr) -> Iterator[str]:
    if isinstance(container, ast.Call) and container.args:  # frozenset({...})
        container = container.args[0]
    items = (container.values if isinstance(container, ast.Dict)
             else container.elts if isinstance(container, ast.Set | ast.List | ast.Tuple)
             else [])
    for item in items:
        if isinstance(item, ast.Constant) and isinstance(item.value, str):
            yield item.value


def _codes(expr: ast.expr, names: dict[str, ast.expr], where: str,
           variables: set[tuple[str, str]]) -> Iterator[str]:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        yield expr.value
    elif isinstance(expr, ast.IfExp):
        test = expr.test
        if (isinstance(test, ast.Compare) and isinstance(test.comparators[0], ast.Name)
                and test.comparators[0].id in names and isinstance(expr.body, ast.Name)):
            yield from _values(names[test.comparators[0].id])  # kind if kind in CODES
        else:
            yield from _codes(expr.body, names, where, variables)
        yield from _codes(expr.orelse, names, where, variables)
    elif isinstance(expr, ast.BoolOp):
        for value in expr.values:
            yield from _codes(value, names, where, variables)
    elif (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)
          and expr.func.attr == "get" and isinstance(expr.func.value, ast.Name)
          and expr.func.value.id in names):
        yield from _values(names[expr.func.value.id])  # CODES.get(key, default)
        if len(expr.args) > 1:
            yield from _codes(expr.args[1], names, where, variables)
    else:
        variables.add((where, ast.unparse(expr)))


def server_codes() -> tuple[set[str], set[tuple[str, str]]]:
    codes: set[str] = set()
    variables: set[tuple[str, str]] = set()
    for path in sorted(CENTRAL.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = ast.parse(path.read_text(encoding="utf-8"))
        names = _literals(module)
        where = path.relative_to(CENTRAL.parent).as_posix()
        for node in ast.walk(module):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in CODE_ARGUMENTS:
                continue
            position = CODE_ARGUMENTS[name]
            argument = next((k.value for k in node.keywords if k.arg == "code"), None)
            if argument is None and position is not None and len(node.args) > position:
                argument = node.args[position]
            if argument is None or (name == "_session_problem" and where.endswith(
                    "auth.py") and isinstance(argument, ast.Name)):
                continue  # the helper's own definition passes its parameter on
            codes.update(_codes(argument, names, where, variables))
    from central.money.gateway import DeclineCode
    from central.money.gateway.stripe_gateway import _CARD_FIELDS

    codes.update(code.value for code in DeclineCode)
    codes.update(code for code, _field in _CARD_FIELDS.values())
    return codes, variables


def test_the_scan_finds_the_codes_and_knows_every_variable_one() -> None:
    codes, variables = server_codes()
    # The scan reaches each kind of source: a plain ProblemError, a code chosen by an
    # expression, the kernel's request-body codes, a card refusal, a decline, a session.
    assert {"phone_registered", "kiosk_locked", "account_locked", "invalid_input",
            "postal_code_invalid", "amount_below_minimum", "not_found", "malformed_json",
            "card_number_invalid", "insufficient_funds", "session_expired",
            "not_the_call_platform"} <= codes
    assert variables <= VARIABLE_CODES, "a problem code this test cannot read: name it here"


def test_every_server_code_has_words_of_its_own() -> None:
    codes, _variables = server_codes()
    missing = sorted(code for code in codes if code not in known_codes())
    assert not missing, f"no words in ui/messages.py for {missing}"
    generic = sorted(code for code in codes if message_for(code) == GENERIC)
    assert not generic, generic


def test_every_server_code_is_said_in_spanish(window: MainWindow) -> None:
    codes, _variables = server_codes()
    english = {code: message_for(code) for code in codes}
    window.set_language(Language.SPANISH)
    try:
        untranslated = sorted(code for code in codes if message_for(code) == english[code])
    finally:
        window.set_language(Language.ENGLISH)
    assert not untranslated, untranslated


@pytest.mark.parametrize(("code", "field", "words"), [
    ("pin_incorrect", "staff_pin", "The badge number or PIN is not right."),
    ("pin_incorrect", "pin", "The phone number or PIN is not right."),
    ("quote_changed", "quoted_total_cents",
     "The price changed since you saw it, so nothing was charged. Choose again to see the"
     " new price."),
    ("invalid_input", "postal_code", "Please check this entry: ZIP code."),
    ("invalid_input", "", "Please check what you entered."),
    ("no_such_code", "", GENERIC),
])
def test_words_that_depend_on_the_field(code: str, field: str, words: str) -> None:
    assert message_for(code, field) == words
