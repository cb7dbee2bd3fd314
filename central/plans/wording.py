"""What the family reads about a plan, in their language: its name, what it includes and
the no-refund terms. The words live in the same gettext catalogs as the letters
(central/mail/locale/, ``make catalogs`` extracts them from here), so a Spanish family
never ticks English terms. The kiosk asks in the family's language (Accept-Language)."""

from __future__ import annotations

import re

from central.kernel.facilities import PlanKind
from central.mail.notifications import SOURCE_LANGUAGE, languages, translations


def _(message: str) -> str:
    """Marks a message for extraction; translated where it is used."""
    return message


TERMS_TEXT = _(
    "No refunds. The subscription price is charged now for one month. If you cancel "
    "early, if calls or sessions go unused, or for any fee, nothing is refunded. "
    "Cancelling stops the next renewal; coverage lasts until the end of the paid period."
)
CALL_COVERAGE = _(
    "Up to %(count)s in-state calls per period, any length, to your registered phone. "
    "Out-of-state and international calls are not included."
)
VIDEO_COVERAGE = _("%(count)s video sessions per period")
UNLIMITED_VIDEO_COVERAGE = _("Unlimited video sessions per period")
# A plan's name in a language other than the one it was entered in: made from what it is.
CALL_PLAN_NAME = _("Call Subscription - %(count)s calls")
VIDEO_PLAN_NAME = _("Video Subscription - %(count)s sessions")
UNLIMITED_VIDEO_PLAN_NAME = _("Video Subscription - unlimited")


def language_from(header: str | None, default: str = SOURCE_LANGUAGE) -> str:
    """The first language of an Accept-Language header that has a catalog ('es-MX;q=0.9'
    counts as 'es'), else ``default``."""
    for part in (header or "").split(","):
        base = re.split(r"[-_;]", part.strip().lower())[0]
        if base in languages():
            return base
    return default


def _text(message: str, language: str) -> str:
    return translations(language).gettext(message)


def terms_text(language: str) -> str:
    return _text(TERMS_TEXT, language)


def coverage_text(kind: PlanKind, allotment: int | None, language: str) -> str:
    if kind is PlanKind.CALL:
        return _text(CALL_COVERAGE, language) % {"count": allotment}
    if allotment is None:
        return _text(UNLIMITED_VIDEO_COVERAGE, language)
    return _text(VIDEO_COVERAGE, language) % {"count": allotment}


def plan_name(name: str, kind: PlanKind, allotment: int | None, language: str) -> str:
    """The plan's own name in the source language; in another, the catalog's name for
    what it is (a supervisor's name is English: nobody enters it twice)."""
    if language == SOURCE_LANGUAGE:
        return name
    if kind is PlanKind.CALL:
        return _text(CALL_PLAN_NAME, language) % {"count": allotment}
    if allotment is None:
        return _text(UNLIMITED_VIDEO_PLAN_NAME, language)
    return _text(VIDEO_PLAN_NAME, language) % {"count": allotment}
