"""Looks for secrets where they must never be: every file under a folder (kiosk SQLite with
its WAL, the server's database, e-mails), captured logs, and every Secret Service item."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def found_in_files(folder: Path, needles: Iterable[str]) -> list[str]:
    """``path: needle`` for each file under ``folder`` holding a needle (digits as typed,
    or grouped in fours as a card shows them)."""
    hits = []
    wanted = [(n, n.encode()) for n in needles]
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        hits += [f"{path}: {text}" for text, raw in wanted if raw in data]
    return hits


def keyring_secrets() -> list[str] | None:
    """Every secret in the Secret Service's default collection, or None without one."""
    try:
        import secretstorage
    except ImportError:
        return None
    import secretstorage.util

    try:
        connection = secretstorage.dbus_init()
    except secretstorage.exceptions.SecretServiceNotAvailableException:
        return None
    try:
        # A session first, as the kiosk's vault does (services/secret_service.py): a new
        # connection whose first message reads a property can abort gnome-keyring-daemon.
        session = secretstorage.util.open_session(connection)
        collection = secretstorage.Collection(connection, session=session)
        if collection.is_locked():
            return None
        return [item.get_secret().decode(errors="replace") for item in collection.get_all_items()]
    except secretstorage.exceptions.SecretServiceNotAvailableException:
        return None
    finally:
        connection.close()
