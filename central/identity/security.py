"""Secrets the server checks: PINs (slow hash) and bearer tokens / one-time codes (SHA-256)."""

from __future__ import annotations

import hashlib
import os
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

# PINs have few digits, so the hash must be slow; argon2id with the library's defaults
# (RFC 9106's low-memory profile: 64 MiB, three passes, four lanes).
_STRONG = PasswordHasher()
# The test suite's switch (docs/testing.md "PIN hashes in tests"): argon2's own CHEAPEST
# profile, made for tests, so the suite's thousands of sign-ups and sign-ins do not spend
# most of CI's time hashing. Nothing a deployment reads sets it; `serve` warns if it is set.
CHEAP_PIN_HASHES = "LOBBY_TEST_CHEAP_PIN_HASHES"
_CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)


def cheap_pin_hashes() -> bool:
    return os.environ.get(CHEAP_PIN_HASHES) == "1"


def hash_pin(pin: str) -> str:
    return (_CHEAP if cheap_pin_hashes() else _STRONG).hash(pin)


def verify_pin(pin_hash: str, pin: str) -> bool:
    """Checked with the parameters written in ``pin_hash`` itself, whichever made it."""
    try:
        return _STRONG.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A bearer token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def new_enrollment_code() -> str:
    """A code an operator can read out and type: 12 characters without look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def digest(secret: str) -> str:
    """What we store of a high-entropy secret: its SHA-256, so a database leak reveals none."""
    return hashlib.sha256(secret.strip().upper().encode()).hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
