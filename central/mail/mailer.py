"""How a finished message is delivered: SMTP, or ``.eml`` files in a folder in demo mode."""

from __future__ import annotations

import os
import re
import smtplib
import tempfile
import uuid
from abc import ABC, abstractmethod
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid
from pathlib import Path

from central.kernel.clock import Clock, SystemClock

DEFAULT_SENDER = "Lobby Kiosk <no-reply@lobby-kiosk.invalid>"
DEFAULT_SMTP_TIMEOUT_SECONDS = 10.0


class MailDeliveryError(Exception):
    """A message could not be handed to the mail server (unreachable, timed out, refused).

    The caller decides whether to retry later; nothing about the family's money depends on it.
    """


class Mailer(ABC):
    """Somewhere a finished message goes. ``send`` fills in From, Date and Message-ID."""

    def __init__(self, sender: str, clock: Clock | None = None) -> None:
        self.sender = sender
        self._clock: Clock = clock or SystemClock()

    def send(self, message: EmailMessage) -> None:
        if message["To"] is None:
            raise ValueError("a message needs a recipient (To) before it is sent")
        if message["From"] is None:
            message["From"] = self.sender
        if message["Date"] is None:
            message["Date"] = format_datetime(self._clock.now())
        if message["Message-ID"] is None:
            message["Message-ID"] = make_msgid(domain=_domain_of(self.sender))
        self._deliver(message)

    @abstractmethod
    def _deliver(self, message: EmailMessage) -> None:
        """Hand the complete message on, or raise :class:`MailDeliveryError`."""


def _domain_of(address: str) -> str:
    match = re.search(r"@([A-Za-z0-9.-]+)", address)
    return match.group(1) if match else "lobby-kiosk.invalid"


class SmtpMailer(Mailer):
    """Sends through an SMTP server; every connection (connect, greeting, each command) is
    bounded by ``timeout`` seconds, so a dead server costs at most that long."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str = DEFAULT_SENDER,
        timeout: float = DEFAULT_SMTP_TIMEOUT_SECONDS,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(sender, clock)
        if timeout <= 0:
            raise ValueError("an SMTP timeout must be positive")
        self.host = host
        self.port = port
        self.timeout = timeout

    def _deliver(self, message: EmailMessage) -> None:
        where = f"{self.host}:{self.port}"
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                refused = smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            # smtplib turns a timeout during the greeting into SMTPServerDisconnected; the
            # text of the cause still says "timed out".
            raise MailDeliveryError(
                f"mail to {where} failed (timeout {self.timeout} s): {exc}"
            ) from exc
        if refused:
            raise MailDeliveryError(f"the mail server at {where} refused {sorted(refused)}")


class EmlFolderMailer(Mailer):
    """Demo mode: writes each message as an RFC 5322 ``.eml`` file into ``folder``."""

    def __init__(
        self, folder: Path, sender: str = DEFAULT_SENDER, clock: Clock | None = None
    ) -> None:
        super().__init__(sender, clock)
        self.folder = folder

    def _deliver(self, message: EmailMessage) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = self._clock.now().strftime("%Y%m%dT%H%M%S%fZ")
            target = self.folder / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
            # Written under a temporary name and renamed, so a reader never sees half a file.
            fd, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
            with os.fdopen(fd, "wb") as out:
                out.write(message.as_bytes(policy=SMTP_POLICY))
            os.replace(temporary, target)
        except OSError as exc:
            raise MailDeliveryError(f"cannot write the message to {self.folder}: {exc}") from exc
