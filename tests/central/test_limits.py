"""Bounds on what one client can make the server do (issue 7, defect 10): request size
(413), concurrent PIN hashing (503), sign-in and sign-up rates per kiosk (429), and
lockouts that escalate per phone and per kiosk (423)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.app import create_app
from central.identity.limits import Limits, RateLimit
from central.identity.pin_work import PinWork
from central.kernel.clock import ManualClock
from central.kernel.problems import ProblemError
from central.mail.mailer import EmlFolderMailer
from tests.central.family_support import PROBLEM, new_key, register, registration, sign_in
from tests.support import LiveServer, enroll_kiosk


def _raw_post(url: str, head: bytes, chunks: Iterator[bytes]) -> bytes:
    """POST over a plain socket (so a body can be larger than it says, or streamed) and
    return the whole answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(head)
        try:
            for chunk in chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer 413 and close before taking the rest: that is fine
        answer = b""
        try:
            while data := sock.recv(65536):
                answer += data
        except ConnectionResetError:
            pass  # a close with unread bytes pending resets; what arrived before still counts
    return answer


def test_a_declared_body_over_the_limit_is_413_before_it_is_sent(
    live_server: LiveServer, kiosk_token: str
) -> None:
    head = (b"POST /v1/accounts HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + kiosk_token.encode() + b"\r\n"
            b"Idempotency-Key: big\r\nContent-Length: 314572800\r\n\r\n")  # 300 MiB
    answer = _raw_post(live_server.url, head, iter([b"{"]))
    status, _, rest = answer.partition(b"\r\n")
    assert status == b"HTTP/1.1 413 Request Entity Too Large"
    assert b"content-type: application/problem+json" in rest.lower()
    assert b'"code":"body_too_large"' in rest.replace(b" ", b"")


def test_a_streamed_body_over_the_limit_is_413(live_server: LiveServer, kiosk_token: str
                                              ) -> None:
    head = (b"POST /v1/accounts HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + kiosk_token.encode() + b"\r\n"
            b"Idempotency-Key: big\r\nTransfer-Encoding: chunked\r\n\r\n")
    piece = b" " * 32768
    chunks = [b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(10)] + [b"0\r\n\r\n"]
    answer = _raw_post(live_server.url, head, iter(chunks))  # 320 KiB, never declared
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b'"code":"body_too_large"' in answer.replace(b" ", b"")


def test_a_body_within_the_limit_still_works_when_streamed(
    live_server: LiveServer, kiosk_token: str
) -> None:
    def body() -> Iterator[bytes]:
        import json

        text = json.dumps(registration()).encode()
        yield text[:10]
        yield text[10:]

    response = requests.post(live_server.url + "/v1/accounts", data=body(), timeout=20,
                             headers={"Authorization": f"Bearer {kiosk_token}",
                                      "Idempotency-Key": "streamed",
                                      "Content-Type": "application/json"})
    assert response.status_code == 201, response.text


def test_413_is_documented_on_every_operation_with_a_body(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    with_body = [(path, method, operation) for path, operations in spec["paths"].items()
                 for method, operation in operations.items() if "requestBody" in operation]
    assert with_body
    for path, method, operation in with_body:
        assert PROBLEM in operation["responses"]["413"]["content"], (method, path)
    for path in ("/v1/sessions", "/v1/staff/sessions", "/v1/accounts"):
        assert {"429", "503"} <= set(spec["paths"][path]["post"]["responses"]), path


def test_pin_work_runs_a_bounded_number_and_refuses_the_rest_at_once() -> None:
    work = PinWork(workers=1, waiting=1)
    release = threading.Event()
    started = threading.Semaphore(0)

    def slow(_arg: str) -> str:
        started.release()
        release.wait(10)
        return "done"

    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(work.run(slow, "x")))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    assert started.acquire(timeout=5)  # one runs; the other waits for the only worker
    with pytest.raises(ProblemError) as refused:
        work.run(slow, "x")
    assert refused.value.problem.status == 503
    assert refused.value.problem.code == "pin_check_busy"
    assert refused.value.headers == {"Retry-After": "1"}
    release.set()
    for thread in threads:
        thread.join(10)
    assert results == ["done", "done"]
    assert work.verify(work.hash("4826"), "4826")
    work.shutdown()


@pytest.fixture
def tight_app(seeded_url: str, clock: ManualClock, tmp_path: Path) -> Iterator[FastAPI]:
    """An app with one PIN worker and no queue, and small per-kiosk rates."""
    limits = Limits(sign_in=RateLimit("sign-in", 6), sign_up=RateLimit("sign-up", 3),
                    pin_workers=1, pin_waiting=0)
    application = create_app(seeded_url, clock, limits=limits,
                              mailer=EmlFolderMailer(tmp_path / "mail", clock=clock))
    yield application
    application.state.services.db.dispose()


def _client(app: FastAPI) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {enroll_kiosk(app)}"
    return client


def test_sign_in_is_503_with_retry_after_while_the_pin_workers_are_busy(
    tight_app: FastAPI,
) -> None:
    kiosk = _client(tight_app)
    register(kiosk)
    release = threading.Event()
    busy = threading.Event()

    def hold(_arg: str) -> bool:
        busy.set()
        return release.wait(10)

    holder = threading.Thread(target=tight_app.state.services.pins.run, args=(hold, "x"))
    holder.start()
    try:
        assert busy.wait(5)
        refused = sign_in(kiosk)
        assert refused.status_code == 503, refused.text
        assert refused.headers["content-type"] == PROBLEM
        assert refused.json()["code"] == "pin_check_busy"
        assert refused.headers["Retry-After"] == "1"
    finally:
        release.set()
        holder.join(10)
    assert sign_in(kiosk).status_code == 201


def test_sign_ins_per_kiosk_are_rate_limited_with_retry_after(
    tight_app: FastAPI, clock: ManualClock
) -> None:
    clock.set(clock.now().replace(second=15))
    kiosk, other = _client(tight_app), _client(tight_app)
    register(kiosk)
    for _ in range(6):
        assert sign_in(kiosk, pin="0000" if _ % 2 else "4826").status_code in (201, 401)
    limited = sign_in(kiosk)
    assert limited.status_code == 429, limited.text
    assert limited.headers["content-type"] == PROBLEM
    assert limited.json()["code"] == "rate_limited"
    assert limited.headers["Retry-After"] == "45"
    staff = kiosk.post("/v1/staff/sessions", json={"badge_id": "1001", "pin": "2468"})
    assert staff.status_code == 429  # one sign-in budget for families and staff
    assert sign_in(other).status_code == 201  # another kiosk has its own
    clock.advance(timedelta(seconds=45))
    assert sign_in(kiosk).status_code == 201


def test_sign_ups_per_kiosk_are_rate_limited(tight_app: FastAPI) -> None:
    kiosk = _client(tight_app)
    for number in range(3):
        register(kiosk, phone=f"(713) 555-01{number + 50}")
    limited = kiosk.post("/v1/accounts", json=registration(phone="(713) 555-0160"),
                         headers={"Idempotency-Key": new_key("reg")})
    assert limited.status_code == 429, limited.text
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0


def _lock_out(kiosk: TestClient, phone: str = "(713) 555-0142") -> dict[str, object]:
    for _ in range(4):
        assert sign_in(kiosk, phone, pin="0000").status_code == 401
    locked = sign_in(kiosk, phone, pin="0000")
    assert locked.status_code == 423, locked.text
    problem: dict[str, object] = locked.json()
    problem["retry_after"] = int(locked.headers["Retry-After"])
    return problem


def test_each_lockout_in_a_row_lasts_twice_as_long(kiosk_api: TestClient, clock: ManualClock
                                                  ) -> None:
    register(kiosk_api)
    assert _lock_out(kiosk_api)["retry_after"] == 15 * 60
    clock.advance(timedelta(minutes=15))
    assert _lock_out(kiosk_api)["retry_after"] == 30 * 60
    clock.advance(timedelta(minutes=30))
    assert _lock_out(kiosk_api)["retry_after"] == 60 * 60
    # A right PIN ends the series: the next lockout is a short one again.
    clock.advance(timedelta(minutes=60))
    assert sign_in(kiosk_api).status_code == 201
    assert _lock_out(kiosk_api)["retry_after"] == 15 * 60


def test_a_phone_nobody_owns_escalates_the_same_way(kiosk_api: TestClient,
                                                    clock: ManualClock) -> None:
    assert _lock_out(kiosk_api, "(713) 555-0199")["retry_after"] == 15 * 60
    clock.advance(timedelta(minutes=15))
    assert _lock_out(kiosk_api, "(713) 555-0199")["retry_after"] == 30 * 60


def test_wrong_pins_across_many_phones_lock_the_kiosk_not_the_others(
    kiosk_api: TestClient, app: FastAPI, clock: ManualClock
) -> None:
    register(kiosk_api)
    for number in range(19):  # four phones' worth, none of them locked by itself
        wrong = sign_in(kiosk_api, f"(713) 555-01{number // 4 + 70}", pin="0000")
        assert wrong.status_code == 401, (number, wrong.text)
    locked = sign_in(kiosk_api, "(713) 555-0180", pin="0000")
    assert locked.status_code == 423
    assert locked.json()["code"] == "kiosk_locked"
    assert int(locked.headers["Retry-After"]) == 15 * 60
    # Even the right PIN is refused at this kiosk...
    refused = sign_in(kiosk_api)
    assert refused.status_code == 423 and refused.json()["code"] == "kiosk_locked"
    # ...but another kiosk signs the family in.
    other = TestClient(app, raise_server_exceptions=False)
    other.headers["Authorization"] = f"Bearer {enroll_kiosk(app)}"
    assert sign_in(other).status_code == 201
    clock.advance(timedelta(minutes=15))
    assert sign_in(kiosk_api).status_code == 201
