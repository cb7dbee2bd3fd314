"""Helpers shared by tests: a real uvicorn server on loopback and kiosk enrollment."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.api.kiosks import issue_enrollment_code


def enroll_kiosk(app: FastAPI, facility_id: str = "harbor-county-jail") -> str:
    services = app.state.services
    code = issue_enrollment_code(services.db, services.clock, facility_id)
    with TestClient(app) as client:
        response = client.post("/v1/kiosks/enroll", json={"code": code, "name": "Lobby 1"})
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    """uvicorn serving the real app on a loopback port, in a thread of this process."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off")
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


