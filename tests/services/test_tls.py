"""The kiosk talks TLS to the central API and checks its certificate: a server signed by
the fleet's own authority (a test CA from trustme) is trusted when configured, anything
else is refused; plain http:// is accepted only to this machine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from fastapi import FastAPI

from kiosk.config import ConfigError, check_central_url, load_settings
from services.central_client import CentralClient, CentralUnreachable
from tests.support import LiveServer, enroll_kiosk


@pytest.fixture(scope="module")
def fleet_ca() -> trustme.CA:
    return trustme.CA()


def _tls_server(app: FastAPI, ca: trustme.CA, folder: Path, *hosts: str) -> LiveServer:
    certificate = ca.issue_cert(*hosts)
    chain, key = folder / "server-chain.pem", folder / "server-key.pem"
    certificate.private_key_and_cert_chain_pem.write_to_path(str(chain))
    certificate.private_key_pem.write_to_path(str(key))
    server = LiveServer(app, certfile=str(chain), keyfile=str(key))
    server.start()
    return server


@pytest.fixture
def tls_server(app: FastAPI, fleet_ca: trustme.CA, tmp_path: Path) -> Iterator[LiveServer]:
    server = _tls_server(app, fleet_ca, tmp_path, "127.0.0.1", "localhost")
    yield server
    server.stop()


@pytest.fixture
def ca_file(fleet_ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "fleet-ca.pem"
    fleet_ca.cert_pem.write_to_path(str(path))
    return str(path)


def test_a_server_signed_by_the_configured_authority_is_trusted(
    tls_server: LiveServer, ca_file: str
) -> None:
    assert tls_server.url.startswith("https://")
    token = enroll_kiosk(tls_server.app)
    client = CentralClient(tls_server.url, token, timeout=5, ca_bundle=ca_file)
    assert client.is_reachable()
    assert {f.id for f in client.facilities()} >= {"harbor-county-jail"}


def test_an_unknown_authority_is_refused(tls_server: LiveServer) -> None:
    client = CentralClient(tls_server.url, "token", timeout=5, post_attempts=1)
    with pytest.raises(CentralUnreachable) as refused:
        client.facilities()
    assert refused.value.code == "tls_untrusted"
    assert not client.is_reachable()


def test_a_certificate_for_another_host_is_refused(
    app: FastAPI, fleet_ca: trustme.CA, tmp_path: Path, ca_file: str
) -> None:
    server = _tls_server(app, fleet_ca, tmp_path, "central.example")
    try:
        client = CentralClient(server.url, "token", timeout=5, ca_bundle=ca_file)
        with pytest.raises(CentralUnreachable) as refused:
            client.facilities()
        assert refused.value.code == "tls_untrusted"
    finally:
        server.stop()


@pytest.mark.parametrize("url", [
    "https://central.example", "https://10.1.2.3:8443", "http://127.0.0.1:8750",
    "http://localhost:8750", "http://[::1]:8750",
])
def test_https_anywhere_and_plain_http_only_on_this_machine(url: str) -> None:
    check_central_url(url)


@pytest.mark.parametrize("url", [
    "http://central.example", "http://10.1.2.3:8750", "http://192.168.1.20",
    "ftp://127.0.0.1", "central.example", "https://",
])
def test_plain_http_to_another_machine_is_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="central_url"):
        check_central_url(url)


def test_a_missing_ca_bundle_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ca_bundle"):
        load_settings(tmp_path / "none.toml",
                      environ={"LOBBY_KIOSK_CA_BUNDLE": str(tmp_path / "absent.pem")})
