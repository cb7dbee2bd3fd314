"""Money and dates for the family to read, in the kiosk's language: integer cents and the
server's ISO times become text only here, at the edge, through QLocale."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale, QTimeZone

from kiosk.domain import Language
from ui.i18n import current_language


def locale() -> QLocale:
    if current_language() is Language.SPANISH:
        return QLocale(QLocale.Language.Spanish, QLocale.Country.UnitedStates)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def money(cents: int) -> str:
    """1234 -> "$12.34" (English) or "12,34 US$"-style as the Spanish locale writes it."""
    return locale().toCurrencyString(cents / 100, "$", 2)


def _local(iso: str) -> QDateTime | None:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    stamp = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.utc())
    return stamp.toLocalTime()


def day(iso: str) -> str:
    """An ISO time from the server as a date the family reads: "March 3, 2026"."""
    stamp = _local(iso)
    if stamp is None:
        return iso
    pattern = "MMMM d, yyyy" if current_language() is Language.ENGLISH else "d 'de' MMMM 'de' yyyy"
    return locale().toString(stamp.date(), pattern)


def time_of_day(iso: str) -> str:
    """An ISO time as the kiosk's local clock time: "3:45 PM"."""
    stamp = _local(iso)
    if stamp is None:
        return iso
    return locale().toString(stamp.time(), QLocale.FormatType.ShortFormat)


def moment_in(iso: str, timezone: str) -> str:
    """An ISO time from the server as the date and clock time in ``timezone`` (an IANA
    name, the facility's): "Mar 3, 2026, 3:45 PM"; the kiosk's own zone if it is unknown."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    stamp = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.utc())
    zone = QTimeZone(timezone.encode())
    local = stamp.toTimeZone(zone) if zone.isValid() else stamp.toLocalTime()
    pattern = "MMM d, yyyy" if current_language() is Language.ENGLISH else "d MMM yyyy"
    when = locale().toString(local.date(), pattern)
    return f"{when}, {locale().toString(local.time(), QLocale.FormatType.ShortFormat)}"


def phone(e164: str) -> str:
    """A US number as families write it, "(214) 555-0123"; anything else as it is."""
    digits = e164.removeprefix("+1")
    if len(digits) == 10 and digits.isdigit():
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return e164
