"""One gateway, chosen once (issue 17, item 1): ``build_gateway`` builds the sandbox or the
Stripe adapter from ``--gateway`` / ``LOBBY_CENTRAL_GATEWAY``, and the server, ``serve``,
``renew`` and ``reconcile`` all get theirs from it. A missing Stripe secret key stops a
command at startup with a message naming the setting."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from central import cli
from central.app import create_app
from central.db.engine import Database
from central.kernel.clock import ManualClock
from central.money.gateway import CardDetails, GatewayConfigError, PaymentGateway
from central.money.gateway import choice as gateway_choice
from central.money.gateway.choice import build_gateway, gateway_name
from central.money.gateway.sandbox import SandboxGateway
from central.money.gateway.stripe_gateway import StripeGateway
from tests.stripe_standin import TEST_SECRET_KEY, StripeStandIn

STRIPE_SETTINGS = ("LOBBY_CENTRAL_GATEWAY", "LOBBY_STRIPE_SECRET_KEY",
                   "LOBBY_STRIPE_SECRET_KEY_FILE", "LOBBY_STRIPE_API_BASE",
                   "LOBBY_STRIPE_WEBHOOK_SECRET", "LOBBY_STRIPE_WEBHOOK_SECRET_FILE",
                   "LOBBY_STRIPE_MAX_NETWORK_RETRIES", "LOBBY_STRIPE_TIMEOUT_SECONDS")


@pytest.fixture(autouse=True)
def _no_gateway_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the developer's shell has, each test starts with no gateway settings."""
    for name in STRIPE_SETTINGS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def stripe_env(monkeypatch: pytest.MonkeyPatch, standin: StripeStandIn) -> StripeStandIn:
    monkeypatch.setenv("LOBBY_STRIPE_SECRET_KEY", TEST_SECRET_KEY)
    monkeypatch.setenv("LOBBY_STRIPE_API_BASE", standin.url)
    monkeypatch.setenv("LOBBY_STRIPE_MAX_NETWORK_RETRIES", "0")
    return standin


def _reaches(gateway: PaymentGateway, standin: StripeStandIn) -> None:
    """The gateway is the Stripe adapter and talks to this stand-in."""
    assert isinstance(gateway, StripeGateway)
    assert gateway.settings.api_base == standin.url
    token = gateway.tokenize(CardDetails("4242424242424242", 12, 2030, "123"))
    assert token.token in standin.payment_methods


def test_the_sandbox_unless_told_otherwise(sqlite_url: str, clock: ManualClock) -> None:
    db = Database(sqlite_url)
    try:
        assert isinstance(build_gateway(db, clock), SandboxGateway)
        assert gateway_name(None, {"LOBBY_CENTRAL_GATEWAY": "Stripe "}) == "stripe"
        assert gateway_name("sandbox", {"LOBBY_CENTRAL_GATEWAY": "stripe"}) == "sandbox"
        with pytest.raises(GatewayConfigError, match="one of sandbox, stripe"):
            build_gateway(db, clock, env={"LOBBY_CENTRAL_GATEWAY": "paypal"})
    finally:
        db.dispose()


def test_stripe_from_the_option_or_the_environment(
    sqlite_url: str, clock: ManualClock, stripe_env: StripeStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = Database(sqlite_url)
    try:
        _reaches(build_gateway(db, clock, "stripe"), stripe_env)
        monkeypatch.setenv("LOBBY_CENTRAL_GATEWAY", "stripe")
        _reaches(build_gateway(db, clock), stripe_env)
        assert isinstance(build_gateway(db, clock, "sandbox"), SandboxGateway)
    finally:
        db.dispose()


def test_the_app_builds_the_gateway_the_setting_names(
    sqlite_url: str, clock: ManualClock, stripe_env: StripeStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOBBY_CENTRAL_GATEWAY", "stripe")
    app = create_app(sqlite_url, clock)
    try:
        _reaches(app.state.services.gateway, stripe_env)
    finally:
        app.state.services.db.dispose()
    monkeypatch.delenv("LOBBY_STRIPE_SECRET_KEY")
    with pytest.raises(GatewayConfigError, match="LOBBY_STRIPE_SECRET_KEY"):
        create_app(sqlite_url, clock)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[PaymentGateway]:
    """Every gateway the CLI builds (through the real build_gateway)."""
    gateways: list[PaymentGateway] = []
    real = gateway_choice.build_gateway

    def spy(*args: Any, **kwargs: Any) -> PaymentGateway:
        gateway = real(*args, **kwargs)
        gateways.append(gateway)
        return gateway

    monkeypatch.setattr(gateway_choice, "build_gateway", spy)
    return gateways


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[FastAPI]:
    """The apps ``serve`` would run (uvicorn is not started)."""
    apps: list[FastAPI] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **_kw: apps.append(app))
    return apps


COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "serve": lambda url: ["serve", "--db", url, "--scheduler-interval", "0"],
    "renew": lambda url: ["renew", "--db", url, "--as-of", "2026-02-15T06:00:00Z"],
    "reconcile": lambda url: ["reconcile", "--db", url],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_command_charges_through_stripe_when_told(
    command: str, sqlite_url: str, stripe_env: StripeStandIn, built: list[PaymentGateway],
    served: list[FastAPI],
) -> None:
    assert cli.main([*COMMANDS[command](sqlite_url), "--gateway", "stripe"]) == 0
    [gateway] = built
    _reaches(gateway, stripe_env)
    for app in served:
        assert app.state.services.gateway is gateway
        app.state.services.db.dispose()


@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_command_takes_the_gateway_from_the_environment(
    command: str, sqlite_url: str, stripe_env: StripeStandIn, built: list[PaymentGateway],
    served: list[FastAPI], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOBBY_CENTRAL_GATEWAY", "stripe")
    assert cli.main(COMMANDS[command](sqlite_url)) == 0
    assert isinstance(built[0], StripeGateway)
    for app in served:
        app.state.services.db.dispose()


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_missing_secret_key_stops_each_command_at_startup(
    command: str, sqlite_url: str, served: list[FastAPI], capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main([*COMMANDS[command](sqlite_url), "--gateway", "stripe"]) == 2
    said = capsys.readouterr().err
    assert "LOBBY_STRIPE_SECRET_KEY" in said
    assert "Traceback" not in said
    assert served == []


def test_the_sandbox_is_built_in_one_place() -> None:
    """``grep -rn "SandboxGateway(" central`` finds build_gateway (and the class itself)."""
    central = Path(__file__).resolve().parents[2] / "central"
    calls = [f"{path.relative_to(central)}:{n}"
             for path in central.rglob("*.py")
             for n, line in enumerate(path.read_text().splitlines(), 1)
             if re.search(r"(?<!class )SandboxGateway\(", line)]
    assert calls == [f"money/gateway/choice.py:{_line_of('choice.py')}"]


def _line_of(name: str) -> int:
    path = Path(__file__).resolve().parents[2] / "central" / "money" / "gateway" / name
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1)
                if "SandboxGateway(" in line)
