"""The two subscription receipts share one screen (ui/screens/receipt.py,
``SubscriptionReceiptScreen``): the plan, what was charged today as the printed total, the
dates, and the card; each screen's own words, in English and Spanish."""

from __future__ import annotations

from typing import Any

from kiosk.domain import Language
from kiosk.requests import PrintReceipt
from kiosk.tour import default_window_factory, show_sample


def _paper_in_both_languages(name: str) -> tuple[PrintReceipt | None, PrintReceipt | None,
                                                  tuple[Any, ...]]:
    """The sample's paper receipt, what a second showing prints, and the Spanish texts."""
    window = default_window_factory()
    window.show()
    try:
        show_sample(window, name)
        screen = window.screens[name]
        paper = screen.take_paper_receipt()
        again = screen.take_paper_receipt()
        window.set_language(Language.SPANISH)
        return paper, again, screen.receipt_texts()
    finally:
        window.set_language(Language.ENGLISH)
        window.close()
        window.deleteLater()


def test_the_purchase_receipt_prints_the_plan_its_end_and_the_card(qapp) -> None:  # type: ignore[no-untyped-def]
    paper, again, spanish = _paper_in_both_languages("buy_receipt")
    assert paper is not None and again is None  # printed once per payment
    assert paper.heading == "You're subscribed"
    assert paper.lines == (("Plan", "Call Subscription (100 calls)"),
                           ("Paid until", "March 3, 2026"))
    assert paper.total == ("Charged today", "$45.00")
    assert paper.footer[-1] == "Paid with Visa ending in 4242. No refunds."
    title, body, titles, _values, _reference = spanish
    assert title == "Ya tiene su suscripción"
    assert body.endswith("Pagado con Visa terminada en 4242. Sin reembolsos.")
    assert titles == {"plan": "Plan", "charged": "Cobrado hoy", "period_end": "Pagado hasta"}


def test_the_renewal_receipt_prints_when_the_paid_month_starts_and_ends(qapp) -> None:  # type: ignore[no-untyped-def]
    paper, again, spanish = _paper_in_both_languages("renew_receipt")
    assert paper is not None and again is None
    assert paper.heading == "Renewed"
    assert [title for title, _value in paper.lines] == ["Plan", "Next month starts",
                                                         "Paid until"]
    assert paper.total == ("Charged today", "$45.00")
    assert paper.footer == ("Call Subscription (100 calls) is paid for one more month with "
                            "Visa ending in 4242. No refunds.",)
    title, body, titles, _values, _reference = spanish
    assert title == "Renovada"
    assert "por un mes más con Visa terminada en 4242" in body
    assert titles == {"plan": "Plan", "charged": "Cobrado hoy",
                      "starts": "El próximo mes empieza", "paid_until": "Pagado hasta"}
