"""The nginx that `make bench-full` puts in front of two serve processes is the installer's
configuration (installer/server/nginx-lobby-central.conf) with only the loopback's changes.
Without nginx (CI) only the text is checked; with it, nginx itself checks the file, and the
two-process run is tried at its smallest (it needs PostgreSQL too)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks.nginx_front import (
    INSTALLER_CONF,
    NginxMissing,
    main_config,
    nginx_binary,
    nginx_version,
    self_signed,
    site_config,
)
from tests.support import HEAVY


def _nginx() -> str | None:
    try:
        return nginx_binary()
    except NginxMissing:
        return None


NGINX = _nginx()
INSTALLER = INSTALLER_CONF.read_text(encoding="utf-8")


@pytest.mark.parametrize("version", [(1, 22, 1), (1, 26, 0)])
def test_only_ports_certificate_and_http2_change(version: tuple[int, ...]) -> None:
    site = site_config(INSTALLER, [9001, 9002], 9443, Path("/c.pem"), Path("/k.pem"), version)
    assert "    server 127.0.0.1:9001;\n    server 127.0.0.1:9002;\n" in site
    assert "8751" not in site and "8752" not in site
    old_nginx = version < (1, 25, 1)
    assert ("listen 127.0.0.1:9443 ssl http2;" in site) is old_nginx
    assert ("http2 on;" in site) is not old_nginx
    assert "ssl_certificate /c.pem;" in site and "ssl_certificate_key /k.pem;" in site
    kept = [line for line in INSTALLER.splitlines()
            if not any(word in line for word in ("server 127.0.0.1", "listen ", "http2",
                                                 "ssl_certificate"))]
    assert all(line in site.splitlines() for line in kept)


def test_one_upstream_process() -> None:
    site = site_config(INSTALLER, [9001], 9443, Path("/c.pem"), Path("/k.pem"), (1, 22, 1))
    assert site.count("server 127.0.0.1:") == 1


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make bench-full needs it)")
def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    assert NGINX is not None
    certificate, key = self_signed(tmp_path)
    site = site_config(INSTALLER, [9001, 9002], 9443, certificate, key, nginx_version(NGINX))
    conf = tmp_path / "nginx.conf"
    conf.write_text(main_config(site, tmp_path))
    checked = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make bench-full needs it)")
def test_the_installer_file_as_shipped_is_accepted(tmp_path: Path) -> None:
    """The file the installer puts in /etc/nginx, with only its certificate's paths set to
    one that exists: Debian 12's nginx (1.22) refused the ``http2 on;`` it had."""
    assert NGINX is not None
    certificate, key = self_signed(tmp_path)
    site = INSTALLER.replace("/etc/lobby-central/tls/fullchain.pem", str(certificate))
    site = site.replace("/etc/lobby-central/tls/privkey.pem", str(key))
    conf = tmp_path / "nginx.conf"
    conf.write_text(main_config(site, tmp_path))
    checked = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr


@HEAVY
@pytest.mark.timeout(600)
@pytest.mark.skipif(NGINX is None or not os.environ.get("KIOSK_TEST_PG_URL"),
                    reason="needs nginx and KIOSK_TEST_PG_URL (make bench-full)")
def test_the_two_process_run_checks_itself(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.api_load", "--two-processes",
         "--only-two-processes", "--seconds", "1", "--runs", "1", "--kiosks", "4",
         "--due", "30", "--json", str(out)],
        capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {r["name"]: r for r in json.loads(out.read_text())}
    two = rows["api_nginx_two_processes_throughput"]
    assert two["value"] > 0 and "30 due subscriptions renewed once" in two["note"]
