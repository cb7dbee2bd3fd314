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
