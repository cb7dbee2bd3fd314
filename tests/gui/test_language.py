"""Switching language re-translates what is on screen, live, and back again."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kiosk.domain import Language
from kiosk.flows.catalog import step_names
from tests.gui.gui_support import go_to_name
from ui.main_window import MainWindow
from ui.theme import resources_dir


def test_switch_to_spanish_and_back(window: MainWindow, qtbot) -> None:
    go_to_name(window, qtbot)
    screen = window.screens["register_name"]
    screen.next_button.click()  # leaves "required" errors showing
    assert screen.title.text() == "What is your name?"
    window.header.spanish_button.click()
    assert window.language() is Language.SPANISH
    assert screen.title.text() == "¿Cómo se llama?"
    assert screen.next_button.text() == "Siguiente ›"
    assert screen.fields["first_name"].label.text() == "Nombre"
    assert screen.error_text("first_name") == "Escriba su nombre."
    assert window.header.back_button.text() == "‹ Atrás"
    assert window.header.step_label.text() == "Paso 3 de 7"
    assert screen.keyboard is not None and screen.keyboard.keys["space"].text() == "Espacio"
    assert window.screens["home"].create_account_button.text() == "Crear una cuenta"
    window.header.english_button.click()
    assert screen.title.text() == "What is your name?"
    assert screen.error_text("first_name") == "Please enter your first name."
    assert window.header.english_button.isChecked()


def test_home_language_buttons(window: MainWindow) -> None:
    window.show_screen("home")
    home = window.screens["home"]
    home.spanish_button.click()
    assert home.title.text() == "Le damos la bienvenida"
    assert window.header.spanish_button.isChecked()
    home.english_button.click()
    assert home.title.text() == "Welcome"


def test_every_screen_title_is_translated(window: MainWindow) -> None:
    english = {name: window.screens[name].title.text() for name in step_names()}
    window.set_language(Language.SPANISH)
    for name in step_names():
        assert window.screens[name].title.text() != english[name], name


def test_catalog_is_complete() -> None:
    catalog = ET.parse(resources_dir() / "translations" / "lobby_kiosk_es.ts").getroot()
    for message in catalog.iter("message"):
        translation = message.find("translation")
        assert translation is not None and translation.text, message.findtext("source")
        assert translation.get("type") not in ("unfinished", "vanished", "obsolete")
