"""Speech output for the "Read aloud" mode, through Qt TextToSpeech (PySide6-Addons).

``Speaker`` is the small interface the window talks to; ``QtSpeaker`` is the one the
kiosk uses. The engine is only created when a family first turns Read aloud on (start-up
stays fast, and an idle kiosk holds no audio connection), and is then kept for the whole
day. On Linux the speech-dispatcher engine is used when present; without any engine, or
without the Addons' libraries, ``available()`` is false and the toggle is disabled.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QLocale, QObject

from kiosk.language import Language

if TYPE_CHECKING:
    from PySide6.QtTextToSpeech import QTextToSpeech

log = logging.getLogger(__name__)

# A voice per language, first choice first: the lobby's families are in the US.
LOCALES = {
    Language.ENGLISH: ("en_US", "en_GB", "en"),
    Language.SPANISH: ("es_US", "es_MX", "es_ES", "es"),
}


class Speaker(Protocol):
    """What the Read aloud mode needs from a speech engine."""

    def available(self) -> bool:
        """False once it is known that nothing can be spoken (the toggle is disabled)."""
        ...

    def start(self) -> bool:
        """Get ready to speak (Read aloud was turned on); False if it cannot."""
        ...

    def speak(self, text: str, language: Language, *, interrupt: bool = False) -> None:
        """Say ``text`` in ``language``; ``interrupt`` stops what is being said first,
        otherwise it is said after what is queued."""
        ...

    def stop(self) -> None: ...


def _tts_class() -> type[QTextToSpeech] | None:
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as error:  # Addons missing, or its audio libraries (libpulse)
        log.warning("speech output unavailable: %s", error)
        return None
    return QTextToSpeech


def preferred_engine(engines: list[str], platform: str = sys.platform) -> str | None:
    """The engine to use: speech-dispatcher on Linux when present, else Qt's default
    (None); never the "mock" test engine unless it is all there is, which means none."""
    real = [engine for engine in engines if engine != "mock"]
    if not real:
        return None
    if platform.startswith("linux") and "speechd" in real:
        return "speechd"
    return real[0]


class QtSpeaker(QObject):
    """Speaks through one ``QTextToSpeech``, created on first use and reused."""

    def __init__(self, engine: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine_name = engine
        self._tts: Any = None
        self._language: Language | None = None
        # Loading QtTextToSpeech (and QtMultimedia under it) costs ~0.1 s: only when Read
        # aloud is first turned on. Until then, only whether the module is installed.
        self._failed = importlib.util.find_spec("PySide6.QtTextToSpeech") is None

    @property
    def engine(self) -> QTextToSpeech | None:
        """The Qt engine object once created (tests listen to its ``sayingWord``)."""
        return cast("QTextToSpeech | None", self._ensure())

    def available(self) -> bool:
        return not self._failed

    def start(self) -> bool:
        return self._ensure() is not None

    def _ensure(self) -> Any:
        if self._tts is not None or self._failed:
            return self._tts
        tts_class = _tts_class()
        if tts_class is not None and self._engine_name is None:
            self._engine_name = preferred_engine(list(tts_class.availableEngines()))
        if (
            tts_class is None
            or self._engine_name is None
            or self._engine_name not in tts_class.availableEngines()
        ):
            log.warning("speech output unavailable: no speech engine %s", self._engine_name)
            self._failed = True
            return None
        tts = tts_class(self._engine_name, self)
        if tts.state() == tts_class.State.Error:
            log.warning("speech engine %s failed: %s", self._engine_name, tts.errorString())
            tts.deleteLater()
            self._failed = True
            return None
        self._tts = tts
        return tts

    def _set_language(self, tts: Any, language: Language) -> None:
        if language is self._language:
            return
        self._language = language
        available = {locale.name(): locale for locale in tts.availableLocales()}
        for name in LOCALES[language]:
            match = available.get(name) or next(
                (loc for key, loc in available.items() if key.startswith(name)), None
            )
            if match is not None:
                tts.setLocale(match)
                return
        # No voice for the language: the engine's own choice still reads the words.
        tts.setLocale(QLocale(LOCALES[language][0]))

    def speak(self, text: str, language: Language, *, interrupt: bool = False) -> None:
        text = " ".join(text.split())
        tts = self._ensure()
        if tts is None or not text:
            return
        self._set_language(tts, language)
        if interrupt:
            tts.stop()
        tts.enqueue(text)

    def stop(self) -> None:
        if self._tts is not None:
            self._tts.stop()
