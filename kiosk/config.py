"""Every kiosk option, declared once with its default and title.

Values come from the defaults, then a TOML file, then ``LOBBY_KIOSK_<NAME>`` environment
variables (the last one wins). Folders come from ``platformdirs``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "lobby-kiosk"
ENV_PREFIX = "LOBBY_KIOSK_"


class ConfigError(ValueError):
    """A configuration value is unusable; the message names the option."""


def default_config_file() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "kiosk.toml"


def _host_name() -> str:
    """This machine's network name (``socket.gethostname()``'s answer, without importing
    ``socket`` on the kiosk's way to its first frame: docs/performance.md)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def option(default: Any, title: str) -> Any:
    """Declare an option: its default and the one line that explains it."""
    return field(default=default, metadata={"title": title})


@dataclass(frozen=True)
class Settings:
    central_url: str = option("http://127.0.0.1:8750", "Address of the central API.")
    kiosk_name: str = option(_host_name(), "Name this kiosk gives itself when it enrolls.")
    enrollment_code: str = option(
        "", "One-time code from `lobby-central kiosk-code`; used once when no token is stored."
    )
    data_dir: str = option(
        user_data_dir(APP_NAME, appauthor=False),
        "Folder for the local database (catalog cache, outbox, audit).",
    )
    language: str = option("en", "Language the attract screen starts in: en or es.")
    office_language: str = option(
        "en", "Language of the printed cash box count slip the office reads: en or es "
        "(whatever language staff mode shows).")
    idle_seconds: int = option(90, "Quiet time before the 'are you still there?' countdown.")
    countdown_seconds: int = option(20, "Length of that countdown before typed data is wiped.")
    request_timeout_seconds: float = option(
        10.0, "Longest wait for one answer from the central API."
    )
    sync_interval_seconds: int = option(
        30, "How often queued work (offline sign-ups) is sent to the central API."
    )
    heartbeat_seconds: int = option(
        60, "How often the kiosk reports its health to the central API (fleet view)."
    )
    ca_bundle: str = option(
        "",
        "PEM file of the authority that signed the central API's certificate "
        "(empty: the system's trusted authorities).",
    )
    receipt_printer: str = option(
        "",
        "Receipt printer: usb:VENDOR:PRODUCT, network:HOST[:PORT], serial:DEVICE or "
        "file:PATH (empty: none; receipts are e-mailed anyway).",
    )
    bill_acceptor: str = option(
        "",
        "Note acceptor: essp:DEVICE (an NV9/NV200 on a serial port, e.g. "
        "essp:/dev/lobby-notes), essp+encrypted:DEVICE, or simulator (an NV200 simulator "
        "on a pty, for the demo); empty: none, no cash (docs/devices.md).",
    )
    hide_cursor: bool = option(
        False, "In kiosk mode (--fullscreen), hide the pointer: for touch-only screens."
    )
    large_text: bool = option(False, "Start in large-text mode.")
    high_contrast: bool = option(False, "Start in high-contrast mode.")

    @property
    def database_path(self) -> Path:
        return Path(self.data_dir) / "kiosk.sqlite3"


def option_titles() -> dict[str, str]:
    """Option name -> its one-line description, for the README and the staff screen."""
    return {f.name: str(f.metadata["title"]) for f in fields(Settings)}


def _coerce(name: str, kind: type, raw: object) -> object:
    if isinstance(raw, kind) and not (kind is int and isinstance(raw, bool)):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        try:
            if kind is bool:
                if text.lower() in ("1", "true", "yes", "on"):
                    return True
                if text.lower() in ("0", "false", "no", "off"):
                    return False
                raise ValueError(text)
            if kind is int:
                return int(text)
            if kind is float:
                return float(text)
            return text
        except ValueError:
            pass
    if kind is float and isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    raise ConfigError(f"option {name!r}: {raw!r} is not a valid {kind.__name__}")


def load_settings(
    config_file: Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    path = config_file or default_config_file()
    if path.exists():
        import tomllib  # only with a file to read (docs/performance.md)

        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"{path}: unknown option(s) {', '.join(unknown)}")
    for name in known:
        env_value = environ.get(ENV_PREFIX + name.upper())
        if env_value is not None:
            values[name] = env_value
    types = {bool: bool, int: int, float: float, str: str}
    coerced = {
        name: _coerce(name, types[type(getattr(Settings, name))], raw)
        for name, raw in values.items()
    }
    settings = Settings(**coerced)  # type: ignore[arg-type]
    if settings.language not in ("en", "es"):
        raise ConfigError(f"option 'language': {settings.language!r} is not en or es")
    if settings.office_language not in ("en", "es"):
        raise ConfigError(
            f"option 'office_language': {settings.office_language!r} is not en or es")
    for name in ("idle_seconds", "countdown_seconds", "sync_interval_seconds",
                 "heartbeat_seconds"):
        if getattr(settings, name) <= 0:
            raise ConfigError(f"option {name!r} must be positive")
    if settings.request_timeout_seconds <= 0:
        raise ConfigError("option 'request_timeout_seconds' must be positive")
    check_central_url(settings.central_url)
    check_bill_acceptor(settings.bill_acceptor)
    if settings.ca_bundle and not Path(settings.ca_bundle).is_file():
        raise ConfigError(f"option 'ca_bundle': {settings.ca_bundle!r} is not a file")
    return settings


def check_bill_acceptor(spec: str) -> None:
    """The forms ``acceptor_from_spec`` (kiosk/devices/bill_acceptor.py) opens, checked
    without importing it: a mistyped setting stops the kiosk at start, not at the first
    note."""
    scheme, _, device = spec.strip().partition(":")
    if not spec.strip() or (scheme == "simulator" and not device) or (
            scheme in ("essp", "essp+encrypted") and device):
        return
    raise ConfigError(
        f"option 'bill_acceptor': {spec!r}: expected essp:DEVICE, essp+encrypted:DEVICE, "
        "simulator or nothing")


def check_central_url(url: str) -> None:
    """HTTPS to the central API; plain HTTP only to this machine (the demo, tests)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return
    raise ConfigError(
        f"option 'central_url': {url!r} must be https:// (plain http:// only to this machine: "
        "card tokens and PINs travel on it)"
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
