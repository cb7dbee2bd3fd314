"""Switching language re-translates what is on screen, live, and back again."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

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


def test_an_unreachable_card_service_is_said_in_both_languages(window: MainWindow) -> None:
    """The server's 503 ``gateway_unavailable``: wait a minute, the retry never charges twice."""
    from ui.messages import message_for

    english = message_for("gateway_unavailable")
    assert english != message_for("no_such_code")
    assert "try again in a minute" in english and "charged twice" in english
    window.set_language(Language.SPANISH)
    assert message_for("gateway_unavailable") == (
        "El servicio de tarjetas no responde en este momento. Vuelva a intentarlo en un "
        "minuto: no se le cobrará dos veces.")


def test_the_money_problems_of_the_server_are_said_in_both_languages(
        window: MainWindow) -> None:
    """``plan_price_invalid`` (a plan with no price: nothing charged) and the two answers
    of a charge whose effect failed (the card was charged: never "pay again") have their own
    words, not the generic "something went wrong"."""
    from ui.messages import message_for

    generic = message_for("no_such_code")
    english = {code: message_for(code, "plan_id") for code in (
        "plan_price_invalid", "charge_unfinished", "charge_needs_attention")}
    assert "no price" in english["plan_price_invalid"]
    assert "nothing was charged" in english["plan_price_invalid"]
    for code in ("charge_unfinished", "charge_needs_attention"):
        assert "don't pay again" in english[code], code
    assert generic not in english.values() and len(set(english.values())) == 3
    window.set_language(Language.SPANISH)
    assert message_for("plan_price_invalid", "plan_id") == (
        "Este plan no se puede comprar ahora porque todavía no tiene precio, así que no se "
        "cobró nada. Elija otro plan o pida ayuda al personal.")
    for code in ("charge_unfinished", "charge_needs_attention"):
        assert "No vuelva a pagar" in message_for(code), code


def test_the_count_slip_is_printed_in_the_offices_language_whatever_staff_mode_shows(
    window: MainWindow,
) -> None:
    """docs/cash.md, "The cash box": staff mode in Spanish prints the count slip in English
    for the office (the ``office_language`` setting, "en" by default); an office that reads
    Spanish gets it in Spanish whatever the screens show."""
    from kiosk.domain import CashBoxCount
    from kiosk.flows import keys as k
    from ui import i18n

    box = CashBoxCount(2, ((500, 1), (2000, 2)), 1, removed=True)
    window.set_language(Language.SPANISH)
    screen = window.screens["staff_cash_count"]
    screen.show_data({k.CASH_BOX: box})
    assert screen.title.text() == "Caja de billetes 2 retirada"
    slip = screen.take_paper_receipt()
    assert slip is not None
    assert slip.heading == "Cash box 2 count"
    assert slip.lines == (("$5.00 notes", "1"), ("$20.00 notes", "2"))
    assert slip.total == ("Total", "$45.00 in 3 notes")
    assert slip.footer[0] == "Notes in doubt (not credited, see the audit trail): 1"
    assert slip.footer[1:] == ("Counted by: ____________________",
                               "Checked by: ____________________")
    i18n.set_office_language(Language.SPANISH)
    try:
        window.set_language(Language.ENGLISH)
        screen.show_data({k.CASH_BOX: replace(box, cassette=3)})
        spanish = screen.take_paper_receipt()
    finally:
        i18n.set_office_language(Language.ENGLISH)
    assert spanish is not None
    assert screen.title.text() == "Cash box 3 taken out"
    assert spanish.heading == "Conteo de la caja de billetes 3"
    assert spanish.total == ("Total", "$45.00 en 3 billetes")
    assert spanish.footer[1] == "Contado por: ____________________"


def test_the_office_language_setting_reaches_the_slip(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    from kiosk.app import _window
    from kiosk.config import Settings
    from ui import i18n

    try:
        window = _window(controller, Settings(office_language="es"))
        qtbot.addWidget(window)
        assert i18n.office_language() is Language.SPANISH
        assert window.language() is Language.ENGLISH  # the screens keep their own
    finally:
        i18n.set_office_language(Language.ENGLISH)
