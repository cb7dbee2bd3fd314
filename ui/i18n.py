"""Switching the application's language at run time by installing the Spanish .qm."""

from __future__ import annotations

import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QTranslator

from kiosk.language import Language
from ui.theme import resources_dir

log = logging.getLogger(__name__)

CATALOG_PREFIX = "lobby_kiosk"

# Qt keeps translators per application; we install at most one of ours at a time. Each
# catalog is loaded once and kept: a new QTranslator per switch would pile up under the
# application for the whole day (docs/endurance.md).
_installed: QTranslator | None = None
_loaded: dict[tuple[Language, Path], QTranslator] = {}
_current = Language.ENGLISH
# The language of what the office reads (the cash box count slip: docs/cash.md), whatever
# language the screens show; the kiosk's ``office_language`` setting.
_office = Language.ENGLISH


_translations_dir: Path | None = None


def translations_dir() -> Path:
    return _translations_dir if _translations_dir is not None else resources_dir() / "translations"


def set_translations_dir(folder: Path | None) -> None:
    """Look for .qm catalogs in ``folder`` (None: the repository's resources)."""
    global _translations_dir
    _translations_dir = folder


def current_language() -> Language:
    return _current


def office_language() -> Language:
    return _office


def set_office_language(language: Language) -> None:
    global _office
    _office = language


def office_text(context: str, source: str) -> str:
    """``source`` (marked with ``QT_TRANSLATE_NOOP(context, ...)``) in the office's
    language, not the screens': English is the source; a missing catalog or message
    leaves it in English."""
    if _office is Language.ENGLISH:
        return source
    translator = _catalog(_office, translations_dir())
    text = translator.translate(context, source) if translator is not None else ""
    return text or source


def _catalog(language: Language, folder: Path) -> QTranslator | None:
    """The catalog of ``language``, loaded once (None, logged, when it is missing)."""
    app = QCoreApplication.instance()
    catalog = folder / f"{CATALOG_PREFIX}_{language.value}.qm"
    translator = _loaded.get((language, catalog))
    if translator is None or not shiboken6.isValid(translator):
        translator = QTranslator(app)
        if not translator.load(str(catalog)):
            translator.deleteLater()
            log.warning(
                "translation %s is missing (run make translations); staying in English", catalog
            )
            return None
        _loaded[(language, catalog)] = translator
    return translator


def set_application_language(language: Language, folder: Path | None = None) -> bool:
    """Install ``language`` for the whole application; widgets get ``LanguageChange``.

    English is the source language, so it only removes our translator. Returns False (and
    logs a warning) when the catalog is missing; the kiosk then stays in English.
    """
    global _installed, _current
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before choosing a language")
    if language is _current and (language is Language.ENGLISH) == (_installed is None):
        return True  # already showing: retranslating ~400 widgets would change nothing
    if _installed is not None:
        QCoreApplication.removeTranslator(_installed)
        _installed = None
    _current = Language.ENGLISH
    if language is Language.ENGLISH:
        _deliver_language_change()
        return True
    translator = _catalog(language, folder or translations_dir())
    if translator is None:
        _deliver_language_change()
        return False
    QCoreApplication.installTranslator(translator)
    _installed = translator
    _current = language
    _deliver_language_change()
    return True


def _deliver_language_change() -> None:
    # QApplication *posts* LanguageChange to each window; deliver it now so the screens
    # are retranslated when this function returns, not on some later event-loop turn.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
