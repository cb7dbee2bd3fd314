"""The card reader's first screen says what its total is made of (issue 19: every charge
clear): the Pay button names the total, the line under the title the amount and the fee."""

from __future__ import annotations

from kiosk.domain import Language
from kiosk.tour import default_window_factory, show_sample


def test_the_reader_deposit_names_the_amount_and_the_fee_before_paying(qapp) -> None:  # type: ignore[no-untyped-def]
    window = default_window_factory()
    window.show()
    try:
        show_sample(window, "reader_deposit")
        screen = window.screens["reader_deposit"]
        assert screen.pay_button.text() == "Pay $21.95 on the card reader"
        assert screen.status.text().startswith("$20.00 plus a $1.95 card fee.")
        window.set_language(Language.SPANISH)
        assert screen.status.text().startswith("$20.00 más un cargo de $1.95")
    finally:
        window.close()
        window.deleteLater()


def test_renew_now_offers_the_reader_beside_the_card_on_file_and_alone_without_one(qapp) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from kiosk.flows import keys as k

    window = default_window_factory()
    window.show()
    try:
        show_sample(window, "manage_confirm")
        flow = window.router.flow
        flow.record({k.MANAGE_ACTION: ("sub-1", "renew_now")})
        screen = window.screens["manage_confirm"]
        screen.show_data(flow.data)
        assert screen.yes_button.text() == "Pay $45.00"
        assert screen.reader_button.isVisible()
        assert screen.reader_button.text() == "Pay on the card reader instead"
        screen.set_busy(True)  # the card on file is being charged: one way at a time
        assert not screen.reader_button.isEnabled()
        screen.set_busy(False)
        screen.reader_button.click()
        assert screen.values() == {k.PAY_ON_READER: True}
        account = k.ACCOUNT.of(flow.data)
        assert account is not None
        flow.record({k.ACCOUNT: replace(account, card=None)})
        screen.show_data(flow.data)
        assert screen.yes_button.text() == "Pay $45.00 on the card reader"
        assert not screen.reader_button.isVisible()
        screen.yes_button.click()
        assert screen.values() == {k.PAY_ON_READER: True}
        window.set_language(Language.SPANISH)
        assert screen.yes_button.text() == "Pagar $45.00 en el lector de tarjetas"
        assert screen.body.text().startswith("Hoy paga $45.00 en el lector de tarjetas.")
    finally:
        window.set_language(Language.ENGLISH)
        window.close()
        window.deleteLater()
