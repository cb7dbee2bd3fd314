"""The letters' catalogs: every word the templates use is translated in every catalog, with
the same placeholders, so a new language is a complete catalog and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from central.mail.notifications import LOCALES, languages

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted(LOCALES.glob("*/LC_MESSAGES/messages.po"))


def _words() -> set[str]:
    method_map = [("central/mail/notifications.py", "python"),
                  ("central/mail/templates/**.j2", "jinja2")]
    return {message for _file, _line, message, _comments, _context
            in extract_from_dir(str(ROOT), method_map) if isinstance(message, str)}


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text))


def test_the_catalogs_are_found_and_english_needs_none() -> None:
    assert CATALOGS, "at least the Spanish catalog"
    assert languages() == {"en"} | {p.parent.parent.name for p in CATALOGS}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_word_is_translated_with_the_same_placeholders(path: Path) -> None:
    words = _words()
    assert len(words) > 40
    with path.open("rb") as source:
        catalog = read_po(source)
    translated = {m.id: m.string for m in catalog if m.id and not m.fuzzy}
    missing = sorted(w for w in words if not translated.get(w))
    assert not missing, f"untranslated in {path}: {missing}"
    for word in words:
        assert _placeholders(word) == _placeholders(str(translated[word])), word


def test_a_new_language_is_a_catalog_and_no_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drop a French catalog beside the Spanish one: a French family's receipt is worded in
    French, with Babel's French money and dates, and no Python changed (issue 7)."""
    from babel.messages.pofile import write_po

    from central.mail import notifications
    from tests.central.test_notifications import deposit

    spanish = LOCALES / "es" / "LC_MESSAGES" / "messages.po"
    with spanish.open("rb") as source:
        catalog = read_po(source, locale="fr")
    catalog["Receipt: %(amount)s AdvanceConnect deposit"].string = (
        "Reçu : dépôt AdvanceConnect de %(amount)s")
    french = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    french.parent.mkdir(parents=True)
    with french.open("wb") as target:
        write_po(target, catalog)
    (tmp_path / "es").symlink_to(LOCALES / "es")
    monkeypatch.setattr(notifications, "LOCALES", tmp_path)
    for cached in (notifications.languages, notifications.translations):
        cached.cache_clear()
    try:
        assert notifications.languages() == {"en", "es", "fr"}
        message = deposit(notifications.Recipient("Anne Roy", "anne@example.org", "fr-CA"))
        amount = notifications.format_cents(2500, "fr")
        assert amount.startswith("25,00")  # Babel's French money: a decimal comma
        subject = notifications.header_text(f"Reçu : dépôt AdvanceConnect de {amount}")
        assert str(message["Subject"]) == subject  # (a header has plain spaces only)
    finally:
        for cached in (notifications.languages, notifications.translations):
            cached.cache_clear()
