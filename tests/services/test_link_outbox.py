"""A loved one added while the kiosk was offline (docs/offline.md, "A loved one added
offline"), against a real central API on loopback: the queued link reaches the server once
when it is back, signed in with the PIN the family confirmed it with; a PIN that no longer
signs them in closes it as a conflict and the family gets a letter over real SMTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from central.mail.mailer import SmtpMailer
from central.mail.outbox import deliver_pending
from kiosk.clock import SystemClock
from kiosk.store import LINK_PIN_PREFIX, LocalStore, OutboxState
from kiosk.sync import OutboxSender
from services.central_client import CentralClient, CentralError, FamilySession
from services.vault import VolatileVault
from tests.central.family_support import PIN, Family, open_family
from tests.support import CollectingHandler, LiveServer, enroll_kiosk, free_port

RESIDENT = ("desert-springs-prison", "desert-springs-prison:003", "Williams, Darnell")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    local = LocalStore(tmp_path / "kiosk.sqlite3", SystemClock())
    yield local
    local.close()


def queue_link(store: LocalStore, vault: VolatileVault, family: Family, phone: str,
               pin: str = PIN, key: str = "link:1",
               resident: tuple[str, str, str] = RESIDENT) -> int:
    facility_id, resident_id, name = resident
    return store.queue_link(
        {"account_id": family.account_id, "phone": phone, "facility_id": facility_id,
         "resident_id": resident_id, "resident_name": name},
        vault.put_new(LINK_PIN_PREFIX, pin), key)


def linked(family: Family) -> list[str]:
    return [r["resident_id"] for r in family.get().json()["linked_residents"]]


def test_a_queued_link_reaches_the_server_once_when_it_is_back(
    store: LocalStore, live_server: LiveServer, kiosk_api: TestClient
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0171")
    vault = VolatileVault()
    token = enroll_kiosk(live_server.app)
    outbox_id = queue_link(store, vault, family, "+17135550171")
    offline = OutboxSender(store, CentralClient(f"http://127.0.0.1:{free_port()}", token,
                                                timeout=1, post_attempts=1), vault)
    assert offline.drain() == []  # the server is away: the link waits
    entry = store.entry(outbox_id)
    assert entry is not None and entry.attempts == 1 and entry.state == "pending"

    online = OutboxSender(store, CentralClient(live_server.url, token, timeout=5), vault)
    [result] = online.drain(retry_now=True)  # the network is back
    assert (result.state, result.account_id) == (OutboxState.SENT, family.account_id)
    assert online.drain(retry_now=True) == [] and store.pending() == []
    assert online.send(outbox_id).state is OutboxState.SENT  # closed: not sent again
    assert linked(family) == ["harbor-county-jail:001", "desert-springs-prison:003"]
    assert vault.names(LINK_PIN_PREFIX) == []  # the PIN left the vault once delivered


def test_a_link_whose_answer_was_lost_after_the_server_linked_is_not_linked_twice(
    store: LocalStore, live_server: LiveServer, kiosk_api: TestClient
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0172")
    vault = VolatileVault()
    token = enroll_kiosk(live_server.app)
    client = CentralClient(live_server.url, token, timeout=5)
    outbox_id = queue_link(store, vault, family, "+17135550172")
    entry = store.entry(outbox_id)
    assert entry is not None
    # The first try reached the server and linked; its answer never came back.
    first = family.post("/residents", {"facility_id": RESIDENT[0], "resident_id": RESIDENT[1]},
                        entry.idempotency_key)
    assert first.status_code == 201, first.text
    [result] = OutboxSender(store, client, vault).drain()
    assert result.state is OutboxState.SENT
    assert linked(family) == ["harbor-county-jail:001", "desert-springs-prison:003"]


def test_a_loved_one_already_on_the_account_is_a_success(
    store: LocalStore, live_server: LiveServer, kiosk_api: TestClient
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0173")
    vault = VolatileVault()
    token = enroll_kiosk(live_server.app)
    # Staff (or another kiosk) linked the same loved one meanwhile, under another key.
    assert family.post("/residents", {"facility_id": RESIDENT[0], "resident_id": RESIDENT[1]},
                       "elsewhere").status_code == 201
    queue_link(store, vault, family, "+17135550173")
    [result] = OutboxSender(store, CentralClient(live_server.url, token, timeout=5),
                            vault).drain()
    assert result.state is OutboxState.SENT and store.pending() == []
    assert linked(family) == ["harbor-county-jail:001", "desert-springs-prison:003"]


def test_a_wrong_pin_is_a_conflict_and_the_family_is_written_to_in_their_language(
    store: LocalStore, live_server: LiveServer, kiosk_api: TestClient,
    smtp_server: tuple[CollectingHandler, int],
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0174", language="es",
                         email="rosa.es@example.org")
    vault = VolatileVault()
    token = enroll_kiosk(live_server.app)
    outbox_id = queue_link(store, vault, family, "+17135550174", pin="9999")
    sender = OutboxSender(store, CentralClient(live_server.url, token, timeout=5), vault)
    # The refusal queues its report, and the same drain sends it.
    result, sent = sender.drain()
    assert (result.state, result.error_code) == (OutboxState.CONFLICT, "pin_incorrect")
    assert vault.names(LINK_PIN_PREFIX) == []
    report = store.entry(sent.outbox_id)
    assert report is not None and report.operation == "report_link_conflict"
    assert "9999" not in report.payload and "pin\"" not in report.payload
    assert sent.state is OutboxState.SENT and store.pending() == []
    assert store.entry(outbox_id).state == "conflict"  # type: ignore[union-attr]
    assert linked(family) == ["harbor-county-jail:001"]

    handler, port = smtp_server
    services = live_server.app.state.services
    mailer = SmtpMailer("127.0.0.1", port, "Lobby <lobby@example.org>", timeout=5,
                        clock=services.clock)
    deliver_pending(services.db, mailer, services.clock)
    [letter] = [m.message for m in handler.messages if "rosa.es@example.org" in m.message["To"]]
    assert letter["Subject"] == "No pudimos agregar a Williams, Darnell a su cuenta"
    text = letter.get_body(preferencelist=("plain",)).get_content()
    assert "no coincide con el PIN de su cuenta" in text and "Harbor County Jail" in text
    assert "9999" not in letter.as_string()
    # The report is sent once: a replay writes no second letter.
    assert OutboxSender(store, CentralClient(live_server.url, token, timeout=5),
                        vault).send(report.id).state is OutboxState.SENT
    deliver_pending(services.db, mailer, services.clock)
    assert len([m for m in handler.messages if "rosa.es@example.org" in m.message["To"]]) == 1


def test_a_full_account_is_a_conflict_with_its_reason(
    store: LocalStore, live_server: LiveServer, kiosk_api: TestClient
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0175")
    for number in ("002", "003", "004", "005"):
        assert family.post("/residents", {"facility_id": "harbor-county-jail",
                                          "resident_id": f"harbor-county-jail:{number}"},
                           f"full-{number}").status_code == 201, number
    vault = VolatileVault()
    token = enroll_kiosk(live_server.app)
    queue_link(store, vault, family, "+17135550175")
    sender = OutboxSender(store, CentralClient(live_server.url, token, timeout=5), vault)
    result, sent = sender.drain()  # the report the refusal queued goes in the same drain
    assert (result.state, result.error_code) == (OutboxState.CONFLICT, "too_many_residents")
    report = store.entry(sent.outbox_id)
    assert report is not None and report.operation == "report_link_conflict"
    assert sent.state is OutboxState.SENT


class _Refusing(CentralClient):
    """The real client whose sign-in gets one answer from the server (a one-layer fake)."""

    def __init__(self, code: str, status: int) -> None:
        super().__init__("http://127.0.0.1:9", "t", timeout=1)
        self.error = CentralError(code, "", "", status)

    def sign_in(self, phone_e164: str, pin: str) -> FamilySession:
        raise self.error


@pytest.mark.parametrize(("code", "status", "state"), [
    ("kiosk_locked", 423, OutboxState.PENDING),  # not this family's doing: later
    ("rate_limited", 429, OutboxState.PENDING),
    ("server_error", 503, OutboxState.PENDING),
    ("account_locked", 423, OutboxState.CONFLICT),
    ("phone_invalid", 422, OutboxState.FAILED),
])
def test_sign_in_answers_are_retried_or_closed(
    store: LocalStore, code: str, status: int, state: OutboxState
) -> None:
    vault = VolatileVault()
    outbox_id = store.queue_link(
        {"account_id": "a-1", "phone": "+17135550176", "facility_id": RESIDENT[0],
         "resident_id": RESIDENT[1], "resident_name": RESIDENT[2]},
        vault.put_new(LINK_PIN_PREFIX, PIN), "link:1")
    sender = OutboxSender(store, _Refusing(code, status), vault)
    sender.drain()
    entry = store.entry(outbox_id)
    assert entry is not None and entry.state == state.value
    if state is OutboxState.PENDING:  # due again after a backoff, its PIN kept
        assert entry.attempts == 1 and entry.next_attempt_at is not None
        assert vault.names(LINK_PIN_PREFIX) == [entry.secret_ref]
    else:
        assert vault.names(LINK_PIN_PREFIX) == []
