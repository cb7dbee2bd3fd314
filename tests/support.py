"""Helpers shared by tests: a real uvicorn server on loopback and kiosk enrollment."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy

import pytest
import uvicorn
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session
from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.identity.kiosks import issue_enrollment_code
from services.vault import Vault, VolatileVault, open_vault
from tests import worker_keyring

# Tests that start processes of their own and keep both cores busy (a SIGKILL round, a
# fuzzing run against a served API, the endurance run, a benchmark): under pytest-xdist
# (`make test`, --dist loadgroup) they share one worker, so no two of them run at once and
# a crash test's timing is never squeezed by another's processes. The group starts first
# (xdist hands out the largest group before single tests), so the longest work is not left
# for the end of the run. docs/testing.md.
HEAVY = pytest.mark.xdist_group("heavy")


def enroll_kiosk(app: FastAPI, facility_id: str = "harbor-county-jail") -> str:
    services = app.state.services
    code = issue_enrollment_code(services.db, services.clock, facility_id)
    with TestClient(app) as client:
        response = client.post("/v1/kiosks/enroll", json={"code": code, "name": "Lobby 1"})
        assert response.status_code == 201, response.text
        token: str = response.json()["token"]
        confirmed = client.post("/v1/kiosks/enroll/confirm",
                                headers={"Authorization": f"Bearer {token}"})
    assert confirmed.status_code == 200, confirmed.text
    return token


def call_platform_headers(app: FastAPI, facility_id: str = "harbor-county-jail"
                          ) -> dict[str, str]:
    """The bearer header of a new call-platform client at ``facility_id``."""
    from central.identity.kiosks import issue_call_platform_token

    services = app.state.services
    token = issue_call_platform_token(services.db, services.clock, facility_id, "platform")
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    """uvicorn serving the real app on a loopback port, in a thread of this process."""

    def __init__(self, app: FastAPI, *, certfile: str | None = None,
                 keyfile: str | None = None) -> None:
        self.app = app
        self.port = free_port()
        scheme = "https" if certfile else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off", ssl_certfile=certfile, ssl_keyfile=keyfile)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)




# --- a real SMTP server on loopback (aiosmtpd) ------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class CollectingHandler:
    messages: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self,
        server: SMTPServer,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        assert isinstance(content, bytes)
        parsed = BytesParser(policy=default_policy).parsebytes(content)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"


def secure_vault(service: str) -> Vault:
    """The kiosk's vault for ``service`` on the real Secret Service, as the kiosk opens it
    (``open_vault``); the test skips, saying why, where no secure keyring answers. (It used
    to ask for a ``KeyringVault``, which the kiosk stopped opening when it began to speak
    to the Secret Service itself, so these tests skipped even under ``make test``.)"""
    vault = open_vault(service)
    if isinstance(vault, VolatileVault):
        if worker_keyring.wanted():  # make test's worker has one: not reaching it is a bug
            pytest.fail(f"this worker's Secret Service is running, yet open_vault({service!r}) "
                        "gave a vault in memory")
        pytest.skip("needs a real Secret Service keyring: run the suite with `make test`")
    return vault

