"""Money and dates for the family to read, in the kiosk's language: integer cents and the
server's ISO times become text only here, at the edge, through QLocale."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTimeZone

from kiosk.domain import Language
from ui.i18n import current_language


def locale(language: Language | None = None) -> QLocale:
    """The locale of ``language`` (None: the one the screens show now)."""
    if (language or current_language()) is Language.SPANISH:
        return QLocale(QLocale.Language.Spanish, QLocale.Country.UnitedStates)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def money(cents: int, language: Language | None = None) -> str:
    """1234 -> "$12.34" (English) or "12,34 US$"-style as the Spanish locale writes it;
    in ``language``, else the screens' language."""
    return locale(language).toCurrencyString(cents / 100, "$", 2)


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


def calendar_day(when: date) -> str:
    """A calendar date the family reads, in the language on screen: "March 3, 2026"."""
    pattern = "MMMM d, yyyy" if current_language() is Language.ENGLISH else "d 'de' MMMM 'de' yyyy"
    return locale().toString(QDate(when.year, when.month, when.day), pattern)


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


# The numbers a family reads, written one way on every screen and on the paper receipt
# (issue 19, Low): phone numbers, card endings and references come only from here.

def phone(e164: str) -> str:
    """A US number as families write it, "(214) 555-0123" (from "+12145550123" or the
    ten digits); anything else as it is."""
    digits = e164.removeprefix("+1")
    if len(digits) == 10 and digits.isdigit():
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return e164


CARD_BRANDS = {"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express",
               "discover": "Discover"}


def card(brand: str, last4: str) -> str:
    """A card as the family sees it, its brand and last four digits: "Visa ending in 4242"
    ("Visa terminada en 4242"); never more of its number."""
    name = CARD_BRANDS.get(brand.lower(), brand.title())
    return QCoreApplication.translate("CardText", "{brand} ending in {last4}").format(
        brand=name, last4=last4[-4:])


REFERENCE_WHOLE = 12  # characters: a reference this short is read whole


def reference(ref: str) -> str:
    """A reference the family may read out to staff: a long one (the server's 32-character
    ids) in groups of four, "9d3e 0f41 aa12 ..."; a short one as it is. The characters
    themselves are never changed, so staff find it as typed without the spaces."""
    if len(ref) <= REFERENCE_WHOLE:
        return ref
    return " ".join(ref[i:i + 4] for i in range(0, len(ref), 4))
