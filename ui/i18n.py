"""Switching the application's language at run time by installing the Spanish .qm."""

from __future__ import annotations

import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QTranslator

from kiosk.domain import Language
from ui.theme import resources_dir

log = logging.getLogger(__name__)

CATALOG_PREFIX = "lobby_kiosk"

# Qt keeps translators per application; we install at most one of ours at a time. Each
# catalog is loaded once and kept: a new QTranslator per switch would pile up under the
# application for the whole day (docs/endurance.md).
_installed: QTranslator | None = None
_loaded: dict[tuple[Language, Path], QTranslator] = {}
_current = Language.ENGLISH


_translations_dir: Path | None = None


def translations_dir() -> Path:
    return _translations_dir if _translations_dir is not None else resources_dir() / "translations"


def set_translations_dir(folder: Path | None) -> None:
    """Look for .qm catalogs in ``folder`` (None: the repository's resources)."""
    global _translations_dir
    _translations_dir = folder


def current_language() -> Language:
    return _current


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
    catalog = (folder or translations_dir()) / f"{CATALOG_PREFIX}_{language.value}.qm"
    translator = _loaded.get((language, catalog))
    if translator is None or not shiboken6.isValid(translator):
        translator = QTranslator(app)
        if not translator.load(str(catalog)):
            translator.deleteLater()
            log.warning(
                "translation %s is missing (run make translations); staying in English", catalog
            )
            _deliver_language_change()
            return False
        _loaded[(language, catalog)] = translator
    QCoreApplication.installTranslator(translator)
    _installed = translator
    _current = language
    _deliver_language_change()
    return True


def _deliver_language_change() -> None:
    # QApplication *posts* LanguageChange to each window; deliver it now so the screens
    # are retranslated when this function returns, not on some later event-loop turn.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
