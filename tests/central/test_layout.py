"""central/ is organised by capability, and its routes only parse, call one service and map
errors (issue 7, "The design that removes the cause"): these tests keep it so."""

from __future__ import annotations

import ast
from pathlib import Path

CENTRAL = Path(__file__).resolve().parents[2] / "central"
CAPABILITIES = ("identity", "money", "plans", "calls", "mail", "fleet", "api", "db")


def test_central_is_by_capability_with_no_layer_prefixes() -> None:
    for capability in CAPABILITIES:
        assert (CENTRAL / capability / "__init__.py").is_file(), capability
    prefixed = [str(p.relative_to(CENTRAL)) for p in CENTRAL.rglob("*.py")
                if p.name.startswith(("models_", "schemas_", "services_", "routes_"))]
    assert prefixed == []
    money = {p.stem for p in (CENTRAL / "money").glob("*.py")}
    assert {"charges", "ledger", "deposits", "reconciler", "refunds"} <= money
    assert (CENTRAL / "money" / "gateway").is_dir()
    plans = {p.stem for p in (CENTRAL / "plans").glob("*.py")}
    assert {"subscriptions", "periods", "renewals", "advisor", "compliance", "purchases",
            "pricing"} <= plans


def _routes(tree: ast.Module) -> list[ast.FunctionDef]:
    def is_route(decorator: ast.expr) -> bool:
        return (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
                and isinstance(decorator.func.value, ast.Name)
                and decorator.func.value.id == "router")

    return [node for node in tree.body if isinstance(node, ast.FunctionDef)
            and any(is_route(d) for d in node.decorator_list)]


def test_routes_define_no_closures_and_never_reach_the_gateway() -> None:
    """Orchestration (closures handed to the Idempotency-Key store, gateway calls) lives in
    the capabilities' handlers; only the card-tokenizing route talks to the gateway."""
    offenders = []
    for path in sorted((CENTRAL / "api").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for route in _routes(tree):
            for node in ast.walk(route):
                nested = node is not route and isinstance(
                    node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                gateway = (isinstance(node, ast.Attribute) and node.attr == "gateway"
                           and path.name != "gateway.py")
                idempotency = isinstance(node, ast.Attribute) and node.attr == "idempotency"
                if nested or gateway or idempotency:
                    offenders.append(f"{path.name}::{route.name}")
    assert sorted(set(offenders)) == []


# Route modules may share the dependencies module, and nothing else of each other.
ROUTE_MODULES_IMPORTED_FOR_NOW = {"central.api.deps"}


def test_every_write_route_calls_one_handler_and_opens_no_transaction() -> None:
    """Issue 18, item 3: a write route (POST, PUT, DELETE) parses, calls one handler
    ``(command, ports)`` and answers. It opens no transaction of its own (no ``with``, no
    ``.db``), and serialisers live with their schemas, not in route modules (no route
    module imports another)."""
    offenders = []
    for path in sorted((CENTRAL / "api").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for route in _routes(tree):
            writes = any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                         and d.func.attr in ("post", "put", "delete", "patch")
                         for d in route.decorator_list)
            if not writes:
                continue
            for node in ast.walk(route):
                if isinstance(node, ast.With) or (
                        isinstance(node, ast.Attribute) and node.attr == "db"):
                    offenders.append(f"{path.name}::{route.name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "central.api.") and node.module not in ROUTE_MODULES_IMPORTED_FOR_NOW:
                offenders.append(f"{path.name} imports {node.module}")
    assert sorted(set(offenders)) == []
