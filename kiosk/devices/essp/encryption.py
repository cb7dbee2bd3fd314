"""eSSP's encrypted layer: the key exchange and the AES-wrapped packet.

Key exchange (Diffie-Hellman on 64-bit numbers, each sent as 8 bytes little-endian): the
host sends SET GENERATOR (a prime g), SET MODULUS (a prime n) and REQUEST KEY EXCHANGE
(its intermediate key g^a mod n); the device answers with its own (g^b mod n). Both sides
then hold the negotiated key (g^ab mod n). The AES-128 key is the unit's 64-bit *fixed
key* (0x0123456701234567 from the factory) in its low 8 bytes and the negotiated key in
its high 8 bytes, each little-endian.

An encrypted packet is an ordinary SSP packet whose DATA is STEX (0x7E) followed by
AES-128-ECB over::

    eLENGTH (1) | eCOUNT (4, little-endian) | eDATA | ePACKING (random) | eCRCL | eCRCH

eLENGTH is the length of eDATA (the command, or the answer), ePACKING pads the whole to a
multiple of 16 bytes, and the CRC is SSP's own over everything before it. eCOUNT starts at
0 after each key exchange: the host's command carries the count both sides hold, the
device checks it, counts one up and answers with the new count, which the host's next
command carries. A command sent again (same sequence flag) is the same bytes, so the
count stays right through retries.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from kiosk.devices.essp.protocol import ProtocolError, crc16

STEX = 0x7E
#: The factory fixed key of ITL units; a deployment should set its own on the unit.
DEFAULT_FIXED_KEY = 0x0123456701234567
BLOCK = 16
#: Witnesses that make Miller-Rabin exact for every number below 2^64 (and far beyond).
_WITNESSES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


def is_prime(n: int) -> bool:
    if n < 2:
        return False
    for p in _WITNESSES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in _WITNESSES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def random_prime(bits: int = 63) -> int:
    """A random prime of ``bits`` bits (63 keeps every number inside a signed 64-bit,
    which is how some units read them)."""
    while True:
        candidate = secrets.randbits(bits) | (1 << (bits - 1)) | 1
        if is_prime(candidate):
            return candidate


def aes_key(fixed_key: int, negotiated: int) -> bytes:
    return fixed_key.to_bytes(8, "little") + negotiated.to_bytes(8, "little")


def u64(value: int) -> bytes:
    return value.to_bytes(8, "little")


def read_u64(data: bytes) -> int:
    if len(data) != 8:
        raise ProtocolError(f"a key is 8 bytes, not {len(data)}")
    return int.from_bytes(data, "little")


@dataclass
class Party:
    """One side's half of the Diffie-Hellman exchange."""

    generator: int
    modulus: int
    secret: int

    @classmethod
    def new(cls, generator: int, modulus: int) -> Party:
        return cls(generator, modulus, 2 + secrets.randbelow(modulus - 3))

    @property
    def intermediate(self) -> int:
        return pow(self.generator, self.secret, self.modulus)

    def negotiated(self, other_intermediate: int) -> int:
        return pow(other_intermediate, self.secret, self.modulus)


class EsspCipher:
    """Seals and opens the encrypted part of packets under one negotiated key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != BLOCK:
            raise ValueError("an eSSP key is 16 bytes")
        self._cipher = Cipher(algorithms.AES(key), modes.ECB())  # noqa: S305 - eSSP is ECB
        self.count = 0

    def seal(self, count: int, inner: bytes) -> bytes:
        """STEX and the encrypted block carrying ``inner`` under ``count``."""
        if len(inner) > 255 - 1 - 4 - 2 - BLOCK:
            raise ProtocolError(f"{len(inner)} bytes are too many to encrypt in one packet")
        plain = bytes([len(inner)]) + count.to_bytes(4, "little") + inner
        plain += os.urandom(-(len(plain) + 2) % BLOCK)
        crc = crc16(plain)
        plain += bytes([crc & 0xFF, crc >> 8])
        encryptor = self._cipher.encryptor()
        return bytes([STEX]) + encryptor.update(plain) + encryptor.finalize()

    def open(self, data: bytes) -> tuple[int, bytes]:
        """The count and the inner data of an encrypted packet's DATA."""
        if not data or data[0] != STEX or (len(data) - 1) % BLOCK or len(data) == 1:
            raise ProtocolError("not an encrypted eSSP packet")
        decryptor = self._cipher.decryptor()
        plain = decryptor.update(data[1:]) + decryptor.finalize()
        if crc16(plain[:-2]) != plain[-2] | (plain[-1] << 8):
            raise ProtocolError("encrypted packet does not check (wrong key?)")
        length = plain[0]
        if 5 + length > len(plain) - 2:
            raise ProtocolError("encrypted packet's length is past its end")
        return int.from_bytes(plain[1:5], "little"), plain[5: 5 + length]
