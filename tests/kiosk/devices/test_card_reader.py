"""The card reader port, headless: a real kiosk client (``CentralClient``) drives a real
central API on loopback (SQLite, and PostgreSQL when KIOSK_TEST_PG_URL is set) with the
sandbox's simulated reader, through approve, decline, card pulled, timeout, cancel and an
offline reader; the server going away; and no card number anywhere the kiosk's side wrote
or sent."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from central.identity.models import Kiosk
from central.kernel.clock import ManualClock
from central.plans.quote import TERMS_VERSION
from kiosk.devices.card_reader import (
    ReaderBusy,
    ReaderChanged,
    ReaderEvent,
    ReaderLost,
    ReaderRefused,
    ReaderUnreachable,
    ServerCardReader,
)
from services.answers import FamilySession
from services.central_client import CentralClient
from tests.card_scan import card_numbers, no_card_number_left
from tests.central.family_support import new_key, open_family
from tests.support import LiveServer, enroll_kiosk

WAIT = 10.0  # the most a test waits for one event (the machine is shared)


@dataclass
class Lobby:
    client: CentralClient
    family: FamilySession
    clock: ManualClock
    events: queue.Queue[ReaderEvent]
    reader: ServerCardReader
    server: LiveServer
    sent: list[bytes]

    def next_event(self) -> ReaderEvent:
        return self.events.get(timeout=WAIT)

    def until(self, wanted: Callable[[ReaderEvent], bool]) -> list[ReaderEvent]:
        seen = []
        while True:
            event = self.next_event()
            seen.append(event)
            if wanted(event):
                return seen

    def states_until_final(self) -> list[str]:
        events = self.until(lambda e: isinstance(e, ReaderChanged) and e.payment.final)
        return [e.payment.state for e in events if isinstance(e, ReaderChanged)]

    def collect(self, amount_cents: int, save_card: bool = False) -> None:
        self.reader.collect_deposit(self.family, amount_cents, amount_cents, save_card,
                                    new_key("kiosk-rdr"))


@pytest.fixture
def lobby(app: FastAPI, clock: ManualClock) -> Iterator[Lobby]:
    yield from open_lobby(app, clock, "sim_lobby_1")


def open_lobby(app: FastAPI, clock: ManualClock, reader_ref: str) -> Iterator[Lobby]:
    """A kiosk enrolled at the real API served on loopback, with ``reader_ref`` registered
    as its reader and a family signed in; its port on a real ``CentralClient``."""
    server = LiveServer(app)
    server.start()
    token = enroll_kiosk(app)
    with TestClient(app) as api:
        api.headers["Authorization"] = f"Bearer {token}"
        family = open_family(api)
        staff = api.post("/v1/staff/sessions", json={"badge_id": "1001", "pin": "2468"})
        with app.state.services.db.transaction() as session:
            kiosk_id = session.execute(select(Kiosk.id).where(Kiosk.name == "Lobby 1")
                                       ).scalar_one()
        registered = api.put(f"/v1/terminal/readers/{kiosk_id}",
                             json={"reader_ref": reader_ref},
                             headers={"X-Staff-Session": staff.json()["token"]})
        assert registered.status_code == 200, registered.text
    sent: list[bytes] = []
    http = requests.Session()

    def keep(response: requests.Response, *_args: object, **_kwargs: object) -> None:
        sent.append(response.request.body if isinstance(response.request.body, bytes)
                    else str(response.request.body or "").encode())
        sent.append(response.request.url.encode())
        sent.append(response.content)

    http.hooks["response"].append(keep)
    client = CentralClient(server.url, token, timeout=5, session=http)
    events: queue.Queue[ReaderEvent] = queue.Queue()
    reader = ServerCardReader(client, events.put, wait_seconds=2.0, retry_every=0.1,
                              give_up_after=1.0)
    yield Lobby(client, FamilySession(family.token, family.account_id), clock, events, reader,
                server, sent)
    reader.close()
    client.close()
    server.stop()


def advance_when(lobby: Lobby, state: str, seconds: float) -> list[str]:
    """Wait for the reader to show ``state``, then move the server's clock."""
    events = lobby.until(lambda e: isinstance(e, ReaderChanged) and e.payment.state == state)
    lobby.clock.advance(timedelta(seconds=seconds))
    return [e.payment.state for e in events if isinstance(e, ReaderChanged)]


def test_an_approved_card_shows_every_state_and_the_credited_deposit(lobby: Lobby) -> None:
    lobby.collect(2000, save_card=True)
    shown = advance_when(lobby, "waiting_for_card", 2.5)
    shown += advance_when(lobby, "reading", 1.0)
    events = lobby.until(lambda e: isinstance(e, ReaderChanged) and e.payment.final)
    final = events[-1]
    assert isinstance(final, ReaderChanged)
    payment = final.payment
    assert shown == ["waiting_for_card", "reading"] and payment.state == "approved"
    assert payment.deposit is not None and payment.deposit.amount_cents == 2000
    assert (payment.brand, payment.last4, payment.card_saved) == ("visa", "4242", True)
    assert lobby.client.account(lobby.family).balance_cents == 2000


@pytest.mark.parametrize(("cents", "state", "code"), [
    (2001, "declined", "card_declined"),
    (2002, "declined", "insufficient_funds"),
    (2003, "card_removed", ""),
])
def test_a_card_that_does_not_pay(lobby: Lobby, cents: int, state: str, code: str) -> None:
    lobby.collect(cents)
    advance_when(lobby, "waiting_for_card", 3.5)
    final = lobby.until(lambda e: isinstance(e, ReaderChanged) and e.payment.final)[-1]
    assert isinstance(final, ReaderChanged)
    assert (final.payment.state, final.payment.decline_code) == (state, code)
    assert final.payment.deposit is None
    assert lobby.client.account(lobby.family).balance_cents == 0


def test_no_card_times_out(lobby: Lobby) -> None:
    lobby.collect(2004)
    advance_when(lobby, "waiting_for_card", 61)
    assert lobby.states_until_final() == ["timed_out"]


def test_an_offline_reader_is_said_at_once(lobby: Lobby) -> None:
    lobby.collect(2005)
    assert lobby.states_until_final() == ["reader_offline"]


def test_cancel_stops_the_reader_at_once(lobby: Lobby) -> None:
    lobby.collect(2000)
    lobby.until(lambda e: isinstance(e, ReaderChanged) and e.payment.state ==
                "waiting_for_card")
    lobby.reader.cancel()
    assert lobby.states_until_final() == ["canceled"]
    lobby.clock.advance(timedelta(seconds=10))
    assert lobby.client.account(lobby.family).balance_cents == 0
    # The next family's payment starts cleanly after a cancel.
    lobby.collect(2000)
    advance_when(lobby, "waiting_for_card", 4)
    assert lobby.states_until_final()[-1] == "approved"


def test_one_payment_at_a_time_and_a_refusal_is_an_event(lobby: Lobby) -> None:
    lobby.collect(2004)
    with pytest.raises(ReaderBusy):
        lobby.collect(2000)
    lobby.reader.cancel()
    assert lobby.states_until_final()[-1] == "canceled"
    lobby.reader.close()
    lobby.reader.collect_deposit(lobby.family, 2000, 1999, False, new_key("kiosk-rdr"))
    refused = lobby.next_event()
    assert isinstance(refused, ReaderRefused) and refused.code == "quote_changed"


def test_the_server_gone_is_said_once_then_given_up(lobby: Lobby) -> None:
    lobby.collect(2004)
    lobby.until(lambda e: isinstance(e, ReaderChanged))
    lobby.server.stop()
    gone = lobby.until(lambda e: isinstance(e, ReaderLost))
    assert [type(e) for e in gone][-2:] == [ReaderUnreachable, ReaderLost]


def test_card_numbers_are_found_by_the_scan() -> None:
    assert card_numbers(b'{"number": "4242 4242 4242 4242"}') == [b"4242 4242 4242 4242"]
    assert card_numbers(b'{"last4": "4242", "id": "5f3a", "amount": 2000}') == []
    assert card_numbers(b"pan=4242424242424242&x") == [b"4242424242424242"]
    # A Luhn-valid run of 19 digits inside a uuid4 hex id (seen in a CI run's log).
    assert card_numbers(b'{"id": "d6914827674319612395abcaa9a148d4"}') == []
    # The fraction of a float's repr, Luhn-valid by chance (seen in a CI run's log).
    assert card_numbers(b'{"delay": 0.20928217098462937}') == []


def test_a_card_present_payment_leaves_no_card_number_anywhere(
    lobby: Lobby, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    # Nothing the kiosk's side sent, logged or wrote holds a card number (docs/devices.md).
    with no_card_number_left(tmp_path, caplog, lobby.sent):
        lobby.collect(2000, save_card=True)
        advance_when(lobby, "waiting_for_card", 4)
        assert lobby.states_until_final()[-1] == "approved"
    assert lobby.sent


def _when_free(start: Callable[[], None]) -> None:
    """Start a payment once the port has finished following the last one."""
    for _ in range(100):
        try:
            start()
            return
        except ReaderBusy:
            time.sleep(0.05)
    raise AssertionError("the reader stayed busy")


def test_renew_now_on_the_reader_pays_the_next_period_and_leaves_no_card_number(
    lobby: Lobby, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    """A manual plan paid on the reader, then its next month (renew-now, rule 6) on the
    reader too, the card kept this time: every request, log line and file the kiosk's side
    wrote is scanned for a card number."""
    # Nothing the kiosk's side sent, logged or wrote holds a card number (docs/devices.md).
    with no_card_number_left(tmp_path, caplog, lobby.sent):
        lobby.reader.collect_purchase(lobby.family, {
            "plan_id": "harbor-county-jail:call-100", "renewal_mode": "manual",
            "terms_version": TERMS_VERSION, "accept_terms": True,
            "quoted_total_cents": 3999, "save_card": False}, new_key("kiosk-buy"))
        advance_when(lobby, "waiting_for_card", 4)
        bought = lobby.until(lambda e: isinstance(e, ReaderChanged) and e.payment.final)[-1]
        assert isinstance(bought, ReaderChanged) and bought.payment.subscription is not None
        subscription = bought.payment.subscription
        assert subscription.renewed_through == ""
        renewal = {"subscription_id": subscription.id, "quoted_total_cents": 3999,
                   "save_card": True}
        _when_free(lambda: lobby.reader.collect_renewal(lobby.family, renewal,
                                                        new_key("kiosk-renew")))
        shown = advance_when(lobby, "waiting_for_card", 4)
        final = lobby.until(lambda e: isinstance(e, ReaderChanged) and e.payment.final)[-1]
        assert isinstance(final, ReaderChanged)
        payment = final.payment
        assert shown == ["waiting_for_card"] and payment.state == "approved"
        assert (payment.purpose, payment.amount_cents, payment.card_saved) == (
            "renewal", 3999, True)
        assert payment.subscription is not None
        assert payment.subscription.id == subscription.id
        assert payment.subscription.renewed_through > subscription.period_end
        # Asked again with another key: the month is paid, refused before the reader.
        _when_free(lambda: lobby.reader.collect_renewal(lobby.family, renewal,
                                                        new_key("kiosk-renew")))
        refused = lobby.until(lambda e: isinstance(e, ReaderRefused))[-1]
        assert isinstance(refused, ReaderRefused) and refused.code == "already_renewed"
    assert lobby.sent
