"""The kiosk's HTTP client against the real central API on loopback."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import pytest

from services.central_client import CentralClient, CentralError, CentralUnreachable
from tests.support import LiveServer, enroll_kiosk, free_port


def registration(phone: str = "+17135550142") -> dict[str, Any]:
    return {
        "first_name": "Rosa", "last_name": "Martínez", "phone": phone,
        "email": "rosa@example.org",
        "address": {"line1": "1200 Main St", "line2": "", "city": "Houston", "state": "TX",
                    "postal_code": "77002"},
        "pin": "4826", "language": "es", "facility_id": "harbor-county-jail",
        "resident_id": "harbor-county-jail:003",
    }


@pytest.fixture
def client(live_server: LiveServer) -> CentralClient:
    return CentralClient(live_server.url, enroll_kiosk(live_server.app), timeout=5)


def test_reads_facilities_and_residents(client: CentralClient) -> None:
    facilities = client.facilities()
    assert {f.id for f in facilities} >= {"harbor-county-jail", "pine-ridge-county-jail"}
    pine = next(f for f in facilities if f.id == "pine-ridge-county-jail")
    assert pine.offers_subscriptions is False
    matches = client.search_residents("harbor-county-jail", "nguyen")
    assert [m.display_name for m in matches] == ["Nguyen, Linh"]


def test_enrolls_with_a_one_time_code(live_server: LiveServer) -> None:
    from central.identity.kiosks import issue_enrollment_code

    services = live_server.app.state.services
    code = issue_enrollment_code(services.db, services.clock, "harbor-county-jail")
    client = CentralClient(live_server.url)
    enrollment = client.enroll(code, "Lobby 2")
    assert enrollment.facility_id == "harbor-county-jail" and enrollment.token
    client.confirm_enrollment(enrollment.token)
    client.confirm_enrollment(enrollment.token)  # sent again, answered the same
    with pytest.raises(CentralError) as refused:
        client.enroll(code, "Lobby 3")
    assert refused.value.code == "enrollment_code_invalid" and refused.value.status == 401


def test_creates_account_and_retry_with_same_key_replays(client: CentralClient) -> None:
    first = client.create_account(registration(), "k-1")
    again = client.create_account(registration(), "k-1")
    assert again == first


def test_problem_becomes_typed_error_with_field(client: CentralClient) -> None:
    client.create_account(registration(), "k-1")
    with pytest.raises(CentralError) as conflict:
        client.create_account(registration(), "k-2")
    assert (conflict.value.code, conflict.value.field, conflict.value.status) == (
        "phone_registered", "phone", 409)
    assert not isinstance(conflict.value, CentralUnreachable)


def test_no_token_is_unauthorized(live_server: LiveServer) -> None:
    with pytest.raises(CentralError) as refused:
        CentralClient(live_server.url).facilities()
    assert refused.value.code == "unauthorized"


def test_nothing_listening_is_offline() -> None:
    client = CentralClient(f"http://127.0.0.1:{free_port()}", "t", timeout=1, post_attempts=2)
    assert client.is_reachable() is False
    with pytest.raises(CentralUnreachable) as offline:
        client.facilities()
    assert offline.value.code == "offline"
    with pytest.raises(CentralUnreachable):
        client.create_account(registration(), "k")


def test_a_server_that_never_answers_times_out() -> None:
    """A socket that accepts and then says nothing: the read timeout must fire."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        port = listener.getsockname()[1]
        client = CentralClient(f"http://127.0.0.1:{port}", "t", timeout=0.3, post_attempts=1)
        with pytest.raises(CentralUnreachable) as waited:
            client.create_account(registration(), "k")
        assert waited.value.code == "timeout"
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()


def test_closing_stops_retries_to_a_server_that_is_gone() -> None:
    """A kiosk closing while a sign-up is being retried to a dead server does not wait
    through the retries (issue 11: closing waited 0.6 s on them)."""
    client = CentralClient(f"http://127.0.0.1:{free_port()}", "t", timeout=1, post_attempts=3)
    outcome: list[BaseException] = []

    def sign_up() -> None:
        try:
            client.create_account(registration(), "k-closing")
        except CentralUnreachable as exc:
            outcome.append(exc)

    worker = threading.Thread(target=sign_up, daemon=True)
    worker.start()
    time.sleep(0.05)  # the first attempt has failed; the retries are waiting
    closed_at = time.monotonic()
    client.close()
    worker.join(timeout=5)
    assert time.monotonic() - closed_at < 0.2
    assert len(outcome) == 1
    with pytest.raises(CentralUnreachable):
        client.facilities()
