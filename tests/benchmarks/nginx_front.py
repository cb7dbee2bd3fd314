"""nginx in front of ``lobby-central serve`` processes, as installed (for ``api_load
--two-processes``, `make bench-full` only; docs/performance.md, "Several processes").

The configuration is the installer's own (``installer/server/nginx-lobby-central.conf``:
``least_conn`` over the upstream, keep-alive to it, TLS, the proxy headers and limits), with
only what a loopback run must change: the upstream's ports, the listening port, a
self-signed certificate, and (nginx 1.25.1 and later) the ``http2 on;`` directive instead
of ``http2`` on the ``listen`` line, which the installer writes for Debian 12's 1.22.
nginx is Debian's package (``apt-get install nginx-light``); it runs as this user, in the
foreground, under a prefix of its own, and is stopped at the end of the block.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx

from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
INSTALLER_CONF = ROOT / "installer" / "server" / "nginx-lobby-central.conf"


class NginxMissing(RuntimeError):
    """No nginx here: the run that needs it is skipped with this reason."""


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if found is None:
        raise NginxMissing("nginx is not installed (apt-get install nginx-light)")
    return found


def nginx_version(binary: str) -> tuple[int, ...]:
    answer = subprocess.run([binary, "-v"], capture_output=True, text=True, check=True)
    found = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", answer.stderr + answer.stdout)
    if found is None:
        raise RuntimeError(f"unknown nginx version: {answer.stderr!r}")
    return tuple(int(part) for part in found.groups())


def _replace(pattern: str, new: str, text: str, count: int = 1) -> str:
    """``text`` with ``pattern`` replaced, which must be there (the installer's file must
    keep the shape this relies on, or this says so)."""
    changed, made = re.subn(pattern, new, text, flags=re.M)
    if made != count:
        raise RuntimeError(f"{INSTALLER_CONF.name}: expected {count} of {pattern!r}, "
                           f"found {made}")
    return changed


def site_config(installer: str, upstream_ports: Sequence[int], listen_port: int,
                certificate: Path, key: Path, version: tuple[int, ...]) -> str:
    """The installer's server block, for loopback."""
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in upstream_ports)
    site = _replace(r"^    server 127\.0\.0\.1:\d+;\n(?:    server 127\.0\.0\.1:\d+;\n)*",
                    servers, installer)
    # nginx 1.25.1 and later say http2 with its own directive (and warn about the listen
    # line's); the installer's file says it on the listen line, for Debian 12's 1.22.
    listen = (f"listen 127.0.0.1:{listen_port} ssl;\n    http2 on;" if version >= (1, 25, 1)
              else f"listen 127.0.0.1:{listen_port} ssl http2;")
    site = _replace(r"listen 443 ssl http2;", listen, site)
    site = _replace(r"ssl_certificate +\S+;", f"ssl_certificate {certificate};", site)
    return _replace(r"ssl_certificate_key +\S+;", f"ssl_certificate_key {key};", site)


def main_config(site: str, prefix: Path) -> str:
    """A whole nginx.conf around the site: one worker (the machine has 2 cores and the API
    processes need them), its files under ``prefix``, no access log."""
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'error.log'} warn;\n"
            "events { worker_connections 4096; }\n"
            f"http {{\n    access_log off;\n{temp}\n{site}\n}}\n")


def self_signed(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=central.example.org", "-keyout", str(key),
                    "-out", str(certificate)], capture_output=True, check=True, timeout=60)
    return certificate, key


@contextmanager
def nginx(upstream_ports: Sequence[int], folder: Path) -> Iterator[str]:
    """nginx on a free loopback port in front of ``upstream_ports``; its https base URL
    (a self-signed certificate: clients pass ``verify=False``)."""
    binary = nginx_binary()
    folder.mkdir(parents=True, exist_ok=True)
    certificate, key = self_signed(folder)
    port = free_port()
    site = site_config(INSTALLER_CONF.read_text(encoding="utf-8"), upstream_ports, port,
                       certificate, key, nginx_version(binary))
    conf = folder / "nginx.conf"
    conf.write_text(main_config(site, folder), encoding="utf-8")
    process = subprocess.Popen([binary, "-p", str(folder), "-c", str(conf),
                                "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"https://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", verify=False, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            log = folder / "error.log"
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("nginx did not start: " + (
                    log.read_text()[-2000:] if log.exists() else "no error log"))
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
