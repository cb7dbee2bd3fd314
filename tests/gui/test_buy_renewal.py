"""The renewal choice says what automatic renewal will charge (issue 19, Low): it was the
default without a word of the next charge on that screen."""

from __future__ import annotations

from datetime import date

from kiosk.domain import Language, PlanView
from ui.main_window import MainWindow

PLAN = PlanView("p-1", "call", "Call Subscription - 100 calls", 3999, 100)


def test_the_automatic_choice_says_its_price_in_the_language_on_screen(
    window: MainWindow,
) -> None:
    screen = window.screens["buy_renewal"]
    explain = screen.explain  # type: ignore[attr-defined]
    screen.show_data({"plan": PLAN})
    assert "charges $39.99 to your card on file each month" in explain.text()
    window.set_language(Language.SPANISH)
    assert "cobra $39.99 a su tarjeta guardada cada mes" in explain.text()
    screen.reset()
    assert "$39.99" not in explain.text()


def test_the_automatic_choice_says_the_next_charges_date_and_amount(window: MainWindow) -> None:
    """Issue 19, Low: automatic renewal is the default, and the screen where it is chosen
    says when the next charge is and how much, not only the terms screen after it. A new
    plan's period is an anniversary month (docs/billing-rules.md, rule 4), clamped to a
    short month: bought on January 31st, it is next charged on February 28th."""
    screen = window.screens["buy_renewal"]
    explain = screen.explain  # type: ignore[attr-defined]
    screen.today = lambda: date(2027, 1, 31)  # type: ignore[attr-defined]
    screen.show_data({"plan": PLAN})
    assert ("charges $39.99 to your card on file each month until you cancel, the next time"
            " on February 28, 2027") in explain.text()
    assert "the next screen says" not in explain.text()
    window.set_language(Language.SPANISH)
    assert ("cobra $39.99 a su tarjeta guardada cada mes hasta que cancele, la próxima vez"
            " el 28 de febrero de 2027") in explain.text()
    window.set_language(Language.ENGLISH)
    screen.today = lambda: date(2027, 3, 3)  # type: ignore[attr-defined]
    screen.show_data({"plan": PLAN})
    assert "the next time on April 3, 2027" in explain.text()
