"""``lobby-kiosk --self-check``: one line per thing a kiosk needs (settings, database,
keyring, enrollment, receipt printer, the central API), then exit 0, or 1 naming what failed. For
installers, service managers and staff; it changes nothing."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kiosk.config import ConfigError, Settings, default_config_file, load_settings
from kiosk.credentials import PENDING_TOKEN_ENTRY, TOKEN_ENTRY
from services.central_client import CentralClient, CentralError
from services.vault import Vault, open_vault


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database(settings: Settings) -> Check:
    path = settings.database_path
    if not path.exists():
        folder = path.parent
        while not folder.exists():  # the kiosk creates the missing folders at start
            folder = folder.parent
        if os.access(folder, os.W_OK):
            return Check("database", True, f"{path} (created at first start)")
        return Check("database", False, f"{path}: {folder} is not writable")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            verdict = db.execute("PRAGMA quick_check").fetchone()[0]
            waiting = db.execute(
                "SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
    except sqlite3.Error as exc:
        return Check("database", False, f"{path}: {exc}")
    if verdict != "ok":
        return Check("database", False, f"{path}: {verdict}")
    return Check("database", True, f"{path} ({waiting} waiting to be sent)")


def check_keyring(vault: Vault) -> Check:
    if vault.secure:
        return Check("keyring", True, "secure OS keyring in use")
    return Check("keyring", False, "no secure keyring: card payments would be unavailable")


def check_enrollment(settings: Settings, vault: Vault) -> Check:
    if vault.secure and vault.get(TOKEN_ENTRY):
        return Check("enrollment", True, "this kiosk holds its token")
    if vault.secure and vault.get(PENDING_TOKEN_ENTRY):
        return Check("enrollment", True, "holds a token it will confirm when it reaches the server")
    if not vault.secure:
        return Check("enrollment", False,
                     "no secure keyring: the kiosk will not enroll, as it could not keep its token")
    if settings.enrollment_code:
        return Check("enrollment", True, "will enroll with the configured one-time code")
    return Check("enrollment", False,
                 "no token and no enrollment code (lobby-central kiosk-code)")


def check_printer(settings: Settings) -> Check:
    if not settings.receipt_printer:
        return Check("printer", True, "none configured (receipts are e-mailed)")
    # Only a kiosk with a printer pays for python-escpos's import (Pillow, printer profiles).
    from services.receipts import PrinterSpecError, ReceiptPrinter, printer_from_spec

    try:
        printer = ReceiptPrinter(printer_from_spec(settings.receipt_printer))
    except PrinterSpecError as exc:
        return Check("printer", False, str(exc))
    problem = printer.status()
    if problem is None:
        return Check("printer", True, f"{settings.receipt_printer} ready")
    return Check("printer", False, f"{settings.receipt_printer}: {problem.value}")


def check_server(settings: Settings) -> Check:
    client = CentralClient(settings.central_url, timeout=min(5.0, settings.request_timeout_seconds),
                           ca_bundle=settings.ca_bundle or None)
    try:
        health = client.health()
    except CentralError as exc:
        return Check("server", False, f"{settings.central_url}: {exc.code}: {exc.detail}")
    return Check("server", True, f"{settings.central_url} answers ({health})")


def self_check(
    config_file: Path | None,
    out: TextIO = sys.stdout,
    open_vault_: Callable[[], Vault] = open_vault,
) -> int:
    checks: list[Check] = []
    try:
        settings = load_settings(config_file)
        checks.append(Check("config", True, str(config_file or default_config_file())))
    except ConfigError as exc:
        checks.append(Check("config", False, str(exc)))
        settings = None
    if settings is not None:
        vault = open_vault_()
        checks += [
            check_database(settings),
            check_keyring(vault),
            check_enrollment(settings, vault),
            check_printer(settings),
            check_server(settings),
        ]
    for check in checks:
        out.write(f"{'ok  ' if check.ok else 'FAIL'}  {check.name:<10}  {check.detail}\n")
    failed = [check.name for check in checks if not check.ok]
    if failed:
        out.write(f"self-check failed: {', '.join(failed)}\n")
        return 1
    out.write("self-check passed\n")
    return 0
