"""A small HTTP proxy on loopback that misbehaves on purpose, one request per connection:
it refuses, hangs, answers 500, drops the answer after the server committed, or is slow.
For tests of what the kiosk does when the lobby's network is bad; loopback only."""

from __future__ import annotations

import enum
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import suppress


class Fault(enum.Enum):
    PASS = "pass"  # forward the request and the answer
    REFUSE = "refuse"  # close the connection before reading anything
    HANG = "hang"  # read the request, never answer (the client's timeout fires)
    ERROR_500 = "500"  # answer 500 problem+json without forwarding
    DROP_ANSWER = "drop"  # forward, let the server commit, then close without answering
    SLOW = "slow"  # forward, then answer after a delay shorter than the client's timeout


SERVER_ERROR = (
    b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/problem+json\r\n"
    b"Content-Length: 48\r\nConnection: close\r\n\r\n"
    b'{"code":"server_error","title":"proxy says 500"}'
)


def _read_message(sock: socket.socket) -> bytes:
    """One HTTP/1.1 message with a Content-Length body (all our API speaks)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class FaultProxy:
    """Listens on 127.0.0.1:``port``; each new connection takes the next fault from
    ``faults`` (then ``PASS`` forever) and forwards to ``upstream_port``."""

    def __init__(self, upstream_port: int, faults: Iterator[Fault], slow_seconds: float = 0.3):
        self._upstream = ("127.0.0.1", upstream_port)
        self._faults = faults
        self._slow = slow_seconds
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.seen: list[Fault] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stopping.set()
        self._listener.close()
        self._thread.join(5)

    def _next_fault(self) -> Fault:
        with self._lock:
            fault = next(self._faults, Fault.PASS)
            self.seen.append(fault)
            return fault

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        with client:
            fault = self._next_fault()
            if fault is Fault.REFUSE:
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return  # closed with a reset, as a refused or broken connection looks
            request = _read_message(client)
            if not request:
                return
            if fault is Fault.HANG:
                self._stopping.wait(30)
                return
            if fault is Fault.ERROR_500:
                client.sendall(SERVER_ERROR)
                return
            # One request per connection keeps each fault tied to one request.
            request = request.replace(b"keep-alive", b"close")
            with socket.create_connection(self._upstream, timeout=30) as upstream:
                upstream.sendall(request)
                answer = _read_message(upstream)
            if fault is Fault.DROP_ANSWER:
                return
            if fault is Fault.SLOW:
                time.sleep(self._slow)
            with suppress(OSError):
                client.sendall(answer)
