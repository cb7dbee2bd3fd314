"""Issue 19, High 2: a Spanish family buying a subscription reads no English. The kiosk
asks the real central API in the family's language (Accept-Language) and the server answers
from its catalogs: plan names, what is included and the no-refund terms they tick. Every
text on the signed-in home, the plans and the terms is walked (tests/gui/english_check.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot

from central.identity.models import Account
from kiosk.domain import Language, RegistrationOutcome
from tests.central.family_support import PIN, open_family
from tests.e2e.e2e_support import (
    Kiosk,
    choose_resident,
    make_window,
    next_through_pages,
    sign_in,
    wait_for_home,
)
from tests.gui.english_check import english_problems
from tests.support import LiveServer


@pytest.mark.gui
def test_a_spanish_family_buys_a_plan_without_a_word_of_english(
    qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient
) -> None:
    family = open_family(kiosk_api, phone="(713) 555-0181")  # an English account
    family.add_card()
    window = make_window(qtbot, kiosk)
    window.set_language(Language.SPANISH)
    try:
        sign_in(window, qtbot, "7135550181", PIN)
        wait_for_home(window, qtbot)
        assert english_problems(window) == []

        window.show_screen("buy_plan")
        plans = window.screens["buy_plan"]
        qtbot.waitUntil(lambda: bool(plans.plan_buttons), timeout=15_000)
        texts = [button.text() for button in plans.plan_buttons]
        assert any("Suscripción de llamadas: 100 llamadas" in text for text in texts), texts
        assert english_problems(window) == []

        plans.plan_buttons[0].click()
        qtbot.waitUntil(lambda: window.current_screen_name() == "buy_renewal", timeout=15_000)
        assert english_problems(window) == []
        window.screens["buy_renewal"].auto_button.click()
        qtbot.waitUntil(lambda: window.current_screen_name() == "buy_terms", timeout=15_000)
        terms = window.screens["buy_terms"]
        qtbot.waitUntil(lambda: terms.quote is not None, timeout=15_000)
        assert terms.terms.text().startswith("Sin reembolsos.")
        # Automatic renewal says when the next charge comes and how much it is (Low item).
        renewal = terms.row_values["renewal"].text()
        assert "se cobran $39.99 a su tarjeta" in renewal, renewal
        assert english_problems(window) == []
    finally:
        window.set_language(Language.ENGLISH)  # the application's language outlives a window


@pytest.mark.gui
def test_a_family_signs_up_in_large_spanish_at_1024x768_through_the_paged_address(
    qtbot: QtBot, kiosk: Kiosk, live_server: LiveServer
) -> None:
    """Issue 19's "Done when": a sign-up in Spanish with large text on a 1024x768 screen.
    The address's five fields come a page at a time there; each page reads no English,
    and the real server gets the whole address once."""
    window = make_window(qtbot, kiosk)
    window.set_language(Language.SPANISH)
    window.set_large_text(True)
    window.resize(1024, 768)
    address = window.screens["register_address"]
    pages: list[list[str]] = []

    def on_address() -> None:
        # Every page of the address, as the family sees it.
        while window.current_screen_name() == "register_address":
            pages.append([n for n, field in address.fields.items() if field.isVisible()])
            assert address.page_label.text() == f"{address.page + 1} de {address.page_count}"
            assert english_problems(window) == []
            address.next_button.click()

    try:
        choose_resident(window, qtbot)
        name = window.screens["register_name"]
        name.first_name.setText("Rosa")
        name.last_name.setText("Martínez")
        next_through_pages(window, "register_name")
        contact = window.screens["register_contact"]
        contact.phone.setText("(713) 555-0184")
        contact.email.setText("rosa@example.org")
        next_through_pages(window, "register_contact")
        assert window.current_screen_name() == "register_address"
        assert address.page_count >= 2
        address.line1.setText("1200 Main St")
        address.line2.setText("Apt 4")
        address.city.setText("Houston")
        address.state.setText("tx")
        address.postal_code.setText("77002")
        on_address()
        assert len(pages) == address.page_count
        assert [field for page in pages for field in page] == [
            "line1", "line2", "city", "state", "postal_code"]
        pin = window.screens["register_pin"]
        pin.pin.setText(PIN)
        pin.pin_confirm.setText(PIN)
        next_through_pages(window, "register_pin")
        assert window.current_screen_name() == "review"
        with qtbot.waitSignal(kiosk.workflow.answered, timeout=15_000) as done:
            window.screens["review"].create_button.click()
        assert done.args[1].outcome is RegistrationOutcome.CREATED
        wait_for_home(window, qtbot)
        with live_server.app.state.services.db.transaction() as session:
            account = session.get(Account, done.args[1].account_id)
            assert account is not None
            assert (account.address_line1, account.address_line2, account.city,
                    account.state, account.postal_code) == (
                "1200 Main St", "Apt 4", "Houston", "TX", "77002")
    finally:
        window.set_language(Language.ENGLISH)
        window.set_large_text(False)
