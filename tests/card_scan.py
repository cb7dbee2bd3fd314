"""The card-number scan: no PAN in what the kiosk's side sent, logged or wrote
(docs/devices.md, "The card reader"; issue 20)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.secrets_scan import keyring_secrets

# A card number stands alone: a run of digits inside a hex id (the kiosk's uuid4 keys,
# "a6914827674319612395bc...") or after a decimal point (a float's repr, "0.2092821709...")
# is not one, however the run's check digit falls.
PAN = re.compile(rb"(?<![0-9A-Za-z])(?<!\d\.)\d(?:[ -]?\d){12,18}(?![0-9A-Za-z])")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def card_numbers(blob: bytes) -> list[bytes]:
    found = []
    for match in PAN.finditer(blob):
        digits = re.sub(rb"\D", b"", match.group()).decode()
        if luhn_valid(digits):
            found.append(match.group())
    return found


@contextmanager
def no_card_number_left(folder: Path, caplog: pytest.LogCaptureFixture,
                        sent: Iterable[bytes] = (), *, keyring: bool = False) -> Iterator[None]:
    """Log at DEBUG (requests' and urllib3's lines too) into a file in ``folder`` while the
    block runs; then scan every file under ``folder``, every line logged, ``sent`` (read
    after the block) and, with ``keyring``, the Secret Service's secrets for a card number."""
    caplog.set_level(logging.DEBUG)
    log_file = logging.FileHandler(folder / "kiosk.log")
    logging.getLogger().addHandler(log_file)
    try:
        yield
    finally:
        logging.getLogger().removeHandler(log_file)
        log_file.close()
    written = [p.read_bytes() for p in folder.rglob("*") if p.is_file()]
    logged = "\n".join(r.getMessage() for r in caplog.records).encode()
    assert written
    for blob in [*sent, logged, *written]:
        assert card_numbers(blob) == []
    secrets = keyring_secrets() if keyring else None
    if secrets is not None:
        assert not [s for s in secrets if card_numbers(s.encode())]
