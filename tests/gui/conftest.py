"""Fixtures for the widget tests: a fake controller, a shown MainWindow, and the Spanish
catalog built from the .ts when the Makefile has not built it yet."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from kiosk.domain import Language
from tests.gui.gui_support import FakeController, make_window
from ui import i18n
from ui.main_window import MainWindow
from ui.theme import resources_dir


@pytest.fixture(scope="session", autouse=True)
def spanish_catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    folder = resources_dir() / "translations"
    if not (folder / "lobby_kiosk_es.qm").exists():
        lrelease = shutil.which("pyside6-lrelease") or str(
            Path(sys.executable).parent / "pyside6-lrelease"
        )
        built = tmp_path_factory.mktemp("translations")
        subprocess.run(
            [lrelease, str(folder / "lobby_kiosk_es.ts"), "-qm", str(built / "lobby_kiosk_es.qm")],
            check=True,
            capture_output=True,
        )
        i18n.set_translations_dir(built)
    yield
    i18n.set_translations_dir(None)


@pytest.fixture(autouse=True)
def english_afterwards(qapp: object) -> Iterator[None]:
    yield
    i18n.set_application_language(Language.ENGLISH)


@pytest.fixture
def controller() -> FakeController:
    return FakeController()


@pytest.fixture
def window(qtbot, controller: FakeController) -> MainWindow:  # type: ignore[no-untyped-def]
    return make_window(qtbot, controller)
