"""The card reader port on Stripe Terminal: a real kiosk client against the real API on
loopback, whose Stripe gateway (the real ``stripe`` library) talks to the stand-in's Terminal
endpoints; the card is presented with Stripe's test helper. SQLite, and PostgreSQL when
KIOSK_TEST_PG_URL is set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from central.app import create_app
from central.kernel.clock import ManualClock
from central.mail.mailer import EmlFolderMailer
from kiosk.devices.card_reader import ReaderChanged
from tests.central import stripe_support
from tests.central.stripe_support import MakeGateway
from tests.central.test_stripe_reader import present
from tests.kiosk.devices.test_card_reader import Lobby, open_lobby
from tests.stripe_standin import StripeStandIn
from tests.stripe_terminal_standin import TerminalStandIn

# The Stripe stand-in's fixtures (tests/central/conftest.py has them for central's tests).
standin = stripe_support.standin
make_stripe_gateway = stripe_support.make_stripe_gateway


@pytest.fixture
def terminal(standin: StripeStandIn) -> TerminalStandIn:
    return TerminalStandIn(standin)


@pytest.fixture
def reader_ref(terminal: TerminalStandIn) -> str:
    return terminal.add_reader("Lobby 1 reader")


@pytest.fixture
def app(seeded_url: str, clock: ManualClock, mail_dir: Path,
        make_stripe_gateway: MakeGateway) -> Iterator[FastAPI]:
    gateway = make_stripe_gateway(timeout_seconds=2.0)
    application = create_app(seeded_url, clock, gateway=gateway,
                             mailer=EmlFolderMailer(mail_dir, clock=clock))
    yield application
    application.state.services.db.dispose()


@pytest.fixture
def lobby(app: FastAPI, clock: ManualClock, reader_ref: str) -> Iterator[Lobby]:
    yield from open_lobby(app, clock, reader_ref)


def waiting(lobby: Lobby) -> None:
    lobby.until(lambda e: isinstance(e, ReaderChanged)
                and e.payment.state == "waiting_for_card")


@pytest.mark.parametrize(("number", "state", "code"), [
    ("4242424242424242", "approved", ""),
    ("4000000000000002", "declined", "card_declined"),
    ("4000000000009995", "declined", "insufficient_funds"),
])
def test_a_presented_card(lobby: Lobby, standin: StripeStandIn, reader_ref: str,
                          number: str, state: str, code: str) -> None:
    lobby.collect(2000, save_card=True)
    waiting(lobby)
    present(standin, reader_ref, number)
    final = lobby.until(lambda e: isinstance(e, ReaderChanged) and e.payment.final)[-1]
    assert isinstance(final, ReaderChanged)
    assert (final.payment.state, final.payment.decline_code) == (state, code)
    assert final.payment.card_saved is (state == "approved")
    assert lobby.client.account(lobby.family).balance_cents == (2000 if code == "" else 0)


@pytest.mark.parametrize(("failure", "state"), [("card_removed", "card_removed"),
                                                ("timed_out", "timed_out")])
def test_the_reader_gives_up(lobby: Lobby, terminal: TerminalStandIn, reader_ref: str,
                             failure: str, state: str) -> None:
    lobby.collect(2000)
    waiting(lobby)
    terminal.fail_action(reader_ref, failure)
    assert lobby.states_until_final()[-1] == state


def test_cancel_and_an_offline_reader(lobby: Lobby, terminal: TerminalStandIn,
                                      reader_ref: str) -> None:
    lobby.collect(2000)
    waiting(lobby)
    lobby.reader.cancel()
    assert lobby.states_until_final() == ["canceled"]
    assert terminal.readers[reader_ref]["action"]["failure_code"] == "customer_canceled"
    terminal.go_offline(reader_ref)
    lobby.collect(2000)
    assert lobby.states_until_final() == ["reader_offline"]
    assert lobby.client.account(lobby.family).balance_cents == 0
