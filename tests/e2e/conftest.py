"""Fixtures of the end-to-end tests: the keyring, a kiosk enrolled at Harbor County, and
the live server's card processor.

The server charges through the sandbox, or, for a test marked with
``e2e_support.ON_EVERY_GATEWAY``, once through each gateway: ``stripe`` is the real Stripe
adapter (the real ``stripe`` library), chosen the way a deployment chooses it
(``LOBBY_CENTRAL_GATEWAY=stripe`` and ``LOBBY_STRIPE_*``), against the local stand-in
(tests/stripe_standin.py), which also sends its signed webhooks to the live server, as
Stripe would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from central.app import create_app
from central.identity.kiosks import issue_enrollment_code
from central.kernel.clock import ManualClock
from central.mail.mailer import EmlFolderMailer
from kiosk.credentials import PENDING_TOKEN_ENTRY, TOKEN_ENTRY
from services.vault import Vault, open_vault
from tests.e2e.e2e_support import Kiosk
from tests.stripe_standin import TEST_SECRET_KEY, StripeStandIn
from tests.support import LiveServer

WEBHOOK_SECRET = "whsec_e2e_standin_secret"


@pytest.fixture
def gateway_name() -> str:
    """The live server's gateway: the sandbox, unless the test is parametrized."""
    return "sandbox"


@pytest.fixture
def stripe_standin(gateway_name: str, clock: ManualClock) -> Iterator[StripeStandIn | None]:
    """The Stripe stand-in when the gateway is ``stripe``, else None."""
    if gateway_name != "stripe":
        yield None
        return
    with StripeStandIn(now=clock.now) as server:
        yield server


@pytest.fixture
def app(seeded_url: str, clock: ManualClock, mail_dir: Path, gateway_name: str,
        stripe_standin: StripeStandIn | None, monkeypatch: pytest.MonkeyPatch
        ) -> Iterator[FastAPI]:
    """The real app, its gateway built from the environment as ``lobby-central serve``
    builds it."""
    monkeypatch.setenv("LOBBY_CENTRAL_GATEWAY", gateway_name)
    if stripe_standin is not None:
        monkeypatch.setenv("LOBBY_STRIPE_API_BASE", stripe_standin.url)
        monkeypatch.setenv("LOBBY_STRIPE_SECRET_KEY", TEST_SECRET_KEY)
        monkeypatch.setenv("LOBBY_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
        monkeypatch.setenv("LOBBY_STRIPE_TIMEOUT_SECONDS", "10")
    application = create_app(seeded_url, clock, mailer=EmlFolderMailer(mail_dir, clock=clock))
    assert application.state.services.gateway.name == gateway_name
    yield application
    application.state.services.db.dispose()


@pytest.fixture
def live_server(app: FastAPI, stripe_standin: StripeStandIn | None) -> Iterator[LiveServer]:
    """The app on loopback; on Stripe, the stand-in posts its webhooks to it."""
    server = LiveServer(app)
    server.start()
    try:
        if stripe_standin is None:
            yield server
        else:
            with stripe_standin.webhooks_to(f"{server.url}/v1/gateway/stripe/webhook",
                                            WEBHOOK_SECRET):
                yield server
                # Every event Stripe sent was taken (a charge the API answer settled first
                # is acknowledged too), none refused or lost.
                answers = stripe_standin.wait_for_webhooks()
                assert set(answers) <= {200}, answers
    finally:
        server.stop()


@pytest.fixture
def vault() -> Iterator[Vault]:
    """The real keyring when `make test` provides one, else the volatile fallback."""
    opened = open_vault("lobby-kiosk-e2e")
    for entry in (TOKEN_ENTRY, PENDING_TOKEN_ENTRY):
        opened.delete(entry)
    yield opened
    for entry in (TOKEN_ENTRY, PENDING_TOKEN_ENTRY):
        opened.delete(entry)
    opened.close()


@pytest.fixture
def kiosk(live_server: LiveServer, tmp_path: Path, vault: Vault) -> Iterator[Kiosk]:
    """A kiosk with a fresh one-time code for Harbor County Jail, its data in tmp_path."""
    services = live_server.app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    built = Kiosk(live_server.url, code, tmp_path, vault)
    yield built
    built.close()
