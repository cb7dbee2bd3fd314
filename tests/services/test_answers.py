"""The central API's answers decoded in one place (services/answers.py): typed values from
the real server, and a clear ``MalformedAnswer`` naming the field when an answer is wrong."""

from __future__ import annotations

import dataclasses
import enum
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from domain import DepositQuote, PlanView, RateView
from kiosk.clock import SystemClock
from kiosk.credentials import TOKEN_ENTRY
from kiosk.domain import Refusal
from kiosk.requests import LoadFacilities
from kiosk.store import LocalStore
from kiosk.sync import OutboxSender
from kiosk.workflow import KioskWorkflow
from services import answers
from services.central_client import CentralClient, CentralError, FamilySession, MalformedAnswer
from services.vault import VolatileVault
from tests.support import LiveServer, enroll_kiosk

QUOTE = {"amount_cents": 2000, "fee_cents": 195, "total_cents": 2195, "minimum_cents": 500,
         "maximum_cents": 30000}


def test_a_well_formed_quote_is_typed() -> None:
    assert answers.deposit_quote(QUOTE) == DepositQuote(2000, 195, 2195, 500, 30000)


@pytest.mark.parametrize(("body", "message"), [
    ({**QUOTE, "fee_cents": "195"}, "malformed deposit quote: fee_cents is not an integer"),
    ({**QUOTE, "fee_cents": True}, "malformed deposit quote: fee_cents is not an integer"),
    ({k: v for k, v in QUOTE.items() if k != "total_cents"},
     "malformed deposit quote: total_cents is not an integer"),
    ([QUOTE], "malformed deposit quote: the answer is not an object"),
])
def test_a_malformed_quote_names_the_field(body: object, message: str) -> None:
    with pytest.raises(MalformedAnswer) as malformed:
        answers.deposit_quote(body)
    assert str(malformed.value) == f"server_error: {message}"
    # A CentralError with the server's code: the screen says "something went wrong on our
    # side", the outbox tries again later.
    assert isinstance(malformed.value, CentralError) and malformed.value.code == "server_error"


def test_nested_and_listed_fields_are_named_by_their_path() -> None:
    receipt = {"transaction_id": "jr_1", "amount_cents": 2000, "fee_cents": 195,
               "total_cents": 2195, "balance_cents": 2000, "card": {"brand": "visa"}}
    with pytest.raises(MalformedAnswer, match=r"deposit: card\.last4 is not a string"):
        answers.deposit_receipt(receipt)
    account = {"id": "a-1", "first_name": "Rosa", "last_name": "M", "balance_cents": 0,
               "subscriptions": [{"id": "s-1"}]}
    with pytest.raises(MalformedAnswer, match=r"account: subscriptions\[0\]\.plan_name is not"):
        answers.account(account)
    with pytest.raises(MalformedAnswer, match=r"sign-up conflicts: \[0\]\.signed_up_at is not an"
                                              r" ISO 8601 time"):
        answers.each("sign-up conflicts", [{"id": "c", "first_name": "A", "phone": "+1",
                                            "email": "a@x", "signed_up_at": "yesterday"}],
                     answers.sign_up_conflict)


def test_the_cash_answers_are_typed_and_a_malformed_one_names_its_field() -> None:
    """The outbox's cash rows (docs/cash.md) read the server's answers as typed values."""
    deposit = answers.cash_deposit({
        "deposit_id": "cd_1", "transaction_id": "jr_1", "account_id": "a-1",
        "amount_cents": 2000, "note_count": 1, "method": "cash, 1 note",
        "refundable_at_kiosk": False, "created_at": "2026-01-15T17:00:00Z"})
    assert (deposit.amount_cents, deposit.method) == (2000, "cash, 1 note")
    count = answers.cash_count({"count_id": "cc_1", "cassette": 3, "note_count": 25,
                                "total_cents": 28_900, "received_at": "2026-01-15T17:00:00Z"})
    assert (count.cassette, count.total_cents) == (3, 28_900)
    with pytest.raises(MalformedAnswer, match="cash receipt: note_count is not an integer"):
        answers.cash_receipt({"amount_cents": 2000, "note_count": "2", "method": "cash"})


def test_missing_optional_parts_read_as_empty() -> None:
    account = answers.account({"id": "a-1", "first_name": "Rosa", "last_name": "M",
                               "balance_cents": 0, "payment_methods": None})
    assert (account.card, account.loved_ones, account.subscriptions) == (None, (), ())


def test_the_real_server_answers_typed_values(live_server: LiveServer) -> None:
    client = CentralClient(live_server.url, enroll_kiosk(live_server.app), timeout=5)
    detail = client.facility_detail("harbor-county-jail")
    assert detail.timezone == "America/Chicago"
    assert detail.plans and all(isinstance(p, PlanView) for p in detail.plans)
    assert detail.rates and all(isinstance(r, RateView) for r in detail.rates)
    account_id = client.create_account({
        "first_name": "Rosa", "last_name": "Martínez", "phone": "+17135550142",
        "email": "rosa@example.org",
        "address": {"line1": "1200 Main St", "line2": "", "city": "Houston", "state": "TX",
                    "postal_code": "77002"},
        "pin": "4826", "language": "es", "facility_id": "harbor-county-jail",
        "resident_id": "harbor-county-jail:003",
    }, "k-1")
    session = client.sign_in("+17135550142", "4826")
    account = client.account(session)
    assert account_id == session.account_id
    assert account.account_id == session.account_id and account.loved_ones
    quote = client.quote_deposit(session, 2000)
    assert quote.amount_cents == 2000 and quote.total_cents == 2000 + quote.fee_cents


class _Answering(BaseHTTPRequestHandler):
    """A stand-in server on loopback that says yes with a body the kiosk cannot read."""

    body = b""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.do_GET()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def answering() -> Iterator[tuple[ThreadingHTTPServer, type[_Answering]]]:
    handler = type("Handler", (_Answering,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, handler
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize(("body", "message"), [
    (json.dumps({**QUOTE, "fee_cents": 1.95}).encode(), "fee_cents is not an integer"),
    (b"<html>proxy error</html>", "the body is not JSON"),
])
def test_the_client_raises_a_clear_error_for_a_malformed_answer(
    answering: tuple[ThreadingHTTPServer, type[_Answering]], body: bytes, message: str
) -> None:
    server, handler = answering
    handler.body = body
    client = CentralClient(f"http://127.0.0.1:{server.server_address[1]}", "t", timeout=5)
    with pytest.raises(MalformedAnswer, match=message):
        client.quote_deposit(FamilySession("f", "a-1"), 2000)


def test_the_workflow_refuses_a_malformed_answer_as_the_servers_error(
    answering: tuple[ThreadingHTTPServer, type[_Answering]], tmp_path: Path, qtbot: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The family is told something went wrong on the server's side; the log names the
    answer and the field; the kiosk counts the server as reachable."""
    server, handler = answering
    handler.body = json.dumps([{"id": "harbor-county-jail", "name": "Harbor",
                                "state": "TX", "timezone": "America/Chicago",
                                "offers_subscriptions": "yes",
                                "offers_single_call": True}]).encode()
    store = LocalStore(tmp_path / "kiosk.sqlite3", SystemClock())
    vault = VolatileVault()
    vault.put(TOKEN_ENTRY, "kiosk-token")
    client = CentralClient(f"http://127.0.0.1:{server.server_address[1]}", timeout=5)
    workflow = KioskWorkflow(client=client, store=store, vault=vault,
                             sender=OutboxSender(store, client, vault))
    try:
        with qtbot.waitSignal(workflow.refused, timeout=10_000) as refused:
            workflow.request(LoadFacilities())
        assert refused.args[1] == Refusal("server_error")
        assert ("malformed facilities: [0].offers_subscriptions is not true or false"
                in caplog.text)
    finally:
        workflow.tasks.wait_until_idle()
        store.close()


# -- decode_as: any answer shaped like its dataclass ------------------------------------------


class _Tier(enum.Enum):
    CALLS = "calls"
    VIDEO = "video"


@dataclasses.dataclass(frozen=True)
class _Line:
    name: str
    cents: int


@dataclasses.dataclass(frozen=True)
class _Shaped:
    label: str
    paid: bool
    at: datetime
    tier: _Tier
    first: _Line
    lines: tuple[_Line, ...]
    tags: list[str]
    limit: int | None
    note: str = ""


SHAPED = {"label": "Lobby", "paid": True, "at": "2026-12-07T06:00:00+00:00", "tier": "video",
          "first": {"name": "a", "cents": 1}, "lines": [{"name": "b", "cents": 2}],
          "tags": ["x"], "limit": None, "unknown_extra": 1}


def test_an_answer_is_read_into_its_dataclass_by_its_fields() -> None:
    shaped = answers.decode_as(_Shaped, SHAPED)
    assert shaped == _Shaped("Lobby", True, datetime(2026, 12, 7, 6, tzinfo=UTC), _Tier.VIDEO,
                             _Line("a", 1), (_Line("b", 2),), ["x"], None, "")
    assert answers.decode_as(_Shaped, {**SHAPED, "limit": 5, "note": "n"}).limit == 5


@pytest.mark.parametrize(("change", "message"), [
    ({"paid": "yes"}, "_ shaped: paid is not true or false"),
    ({"first": {"name": "a", "cents": "1"}}, "_ shaped: first.cents is not an integer"),
    ({"lines": [{"name": "b", "cents": 2}, {"name": 3, "cents": 2}]},
     r"_ shaped: lines\[1\].name is not a string"),
    ({"tier": "fax"}, "_ shaped: tier is not one of calls, video"),
    ({"at": "soon"}, "_ shaped: at is not an ISO 8601 time"),
    ({"limit": 2.5}, "_ shaped: limit is not an integer"),
    ({"label": None}, "_ shaped: label is not a string"),
])
def test_decode_as_is_as_strict_as_the_hand_written_decoders(
    change: dict[str, object], message: str
) -> None:
    with pytest.raises(MalformedAnswer, match=message):
        answers.decode_as(_Shaped, {**SHAPED, **change})

