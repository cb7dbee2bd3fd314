"""Test helpers for the widget tests: a fake controller, a shown window, and functions
that drive MainWindow through the registration as a family would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QTimer

from kiosk.controller import KioskController
from kiosk.domain import (
    AccountView,
    Advice,
    AdviceOption,
    CardView,
    DepositQuote,
    DepositReceipt,
    FacilitySummary,
    LovedOne,
    PlanView,
    RateView,
    Refusal,
    Registration,
    RegistrationOutcome,
    RegistrationResult,
    ResidentMatch,
    SubscriptionQuote,
    SubscriptionView,
)
from kiosk.requests import (
    AdviseFromEstimate,
    BuySubscription,
    Deposit,
    LoadAccount,
    LoadCardReader,
    LoadCashBox,
    LoadCashTerms,
    LoadFacilities,
    LoadNotesInDoubt,
    LoadOutbox,
    LoadPlans,
    LoadRates,
    LoadSignUpConflicts,
    ManageSubscription,
    QuoteDeposit,
    QuoteSubscription,
    Register,
    Request,
    SaveCard,
    SearchResidents,
    SignIn,
)
from ui.main_window import MainWindow

FACILITIES = [
    FacilitySummary("fac-1", "Travis County Jail", "TX", "America/Chicago", True, True),
    FacilitySummary(
        "fac-2", "Bexar County Adult Detention Center", "TX", "America/Chicago", True, False
    ),
]
RESIDENTS = [ResidentMatch("res-1", "Marcus J. Rivera", "2024-118734")]
PLANS = [PlanView("fac-1:call-100", "call", "Call Subscription", 3000, 100)]
QUOTE = SubscriptionQuote(
    "fac-1:call-100", "Call Subscription", "call", 3000, 100, True, "100 calls a month.",
    "auto", "2026-01-15T17:00:00+00:00", "2026-02-15T17:00:00+00:00", "no-refund-2026-01",
    "No refunds.",
)
ADVICE = Advice("estimate", (
    AdviceOption("Pay per call", 5400, 0, False),
    AdviceOption("Call Subscription", 3000, 2400, True),
))
ACCOUNT = AccountView(
    account_id="acct-1",
    first_name="Angela",
    last_name="Rivera",
    balance_cents=2550,
    loved_ones=(LovedOne("fac-1", "res-1", "Marcus J. Rivera"),),
    subscriptions=(
        SubscriptionView(
            id="sub-1",
            plan_name="Call Subscription",
            service="voice",
            allotment=30,
            used=12,
            remaining=18,
            period_end="2026-03-03T06:00:00+00:00",
            renewal_mode="auto",
            cancel_at_period_end=False,
            pending_renewal_mode="manual",
        ),
    ),
)


class FakeController(KioskController):
    """Answers on the next event-loop turn, like the real one; records what it was asked."""

    def __init__(self) -> None:
        super().__init__()
        self.facility_loads = 0
        self.searches: list[tuple[str, str]] = []
        self.registrations: list[Registration] = []
        self.sign_ins: list[str] = []
        self.register_failure: tuple[str, str] | None = None
        self.outcome = RegistrationOutcome.CREATED

    def set_payments_available(self, available: bool) -> None:
        self._payments_available = available

    def request(self, request: Request) -> None:
        if isinstance(request, LoadFacilities):
            self.facility_loads += 1
            QTimer.singleShot(0, lambda: self.answer(request, list(FACILITIES)))
        elif isinstance(request, SearchResidents):
            self.searches.append((request.facility_id, request.query))
            QTimer.singleShot(0, lambda: self.answer(request, list(RESIDENTS)))
        elif isinstance(request, Register):
            self.registrations.append(request.registration)
            self.busy_changed.emit(True)
            QTimer.singleShot(0, lambda: self._finish_registration(request))
        elif isinstance(request, SignIn):
            self.sign_ins.append(request.phone_e164)
            if request.pin == "5820":
                QTimer.singleShot(0, lambda: self.answer(request, ACCOUNT))
            else:
                refusal = Refusal("pin_incorrect", "pin", attempts_remaining=4)
                QTimer.singleShot(0, lambda: self.refuse(request, refusal))
        elif isinstance(request, LoadAccount):
            QTimer.singleShot(0, lambda: self.answer(request, ACCOUNT))
        elif isinstance(request, QuoteDeposit):
            quote = DepositQuote(request.amount_cents, 195, request.amount_cents + 195, 500, 30000)
            QTimer.singleShot(0, lambda: self.answer(request, quote))
        elif isinstance(request, SaveCard):
            QTimer.singleShot(0, lambda: self.answer(request, CardView("visa", "4242")))
        elif isinstance(request, LoadPlans):
            QTimer.singleShot(0, lambda: self.answer(request, list(PLANS)))
        elif isinstance(request, QuoteSubscription):
            QTimer.singleShot(0, lambda: self.answer(request, QUOTE))
        elif isinstance(request, AdviseFromEstimate):
            QTimer.singleShot(0, lambda: self.answer(request, ADVICE))
        elif isinstance(request, LoadRates):
            rates = [RateView("audio", "interstate", 25)]
            QTimer.singleShot(0, lambda: self.answer(request, rates))
        elif isinstance(request, ManageSubscription | BuySubscription):
            QTimer.singleShot(0, lambda: self.answer(request, ACCOUNT.subscriptions[0]))
        elif isinstance(request, Deposit):
            receipt = DepositReceipt(
                "jr-1", request.amount_cents, 195, request.total_cents, 4550,
                CardView("visa", "4242"),
            )
            QTimer.singleShot(0, lambda: self.answer(request, receipt))
        elif isinstance(request, LoadSignUpConflicts | LoadOutbox):
            QTimer.singleShot(0, lambda: self.answer(request, []))  # nothing waiting
        elif isinstance(request, LoadCardReader):
            QTimer.singleShot(0, lambda: self.answer(request, None))  # no reader registered
        elif isinstance(request, LoadCashTerms | LoadCashBox | LoadNotesInDoubt):
            # No note acceptor on this fake kiosk (docs/cash.md).
            QTimer.singleShot(0, lambda: self.refuse(request, Refusal("cash_unavailable")))
        else:
            raise NotImplementedError(type(request).__name__)

    def _finish_registration(self, request: Register) -> None:
        if self.register_failure is not None:
            self.refuse(request, Refusal(*self.register_failure))
        else:
            self.answer(request, RegistrationResult(self.outcome, "acct-1"))
        self.busy_changed.emit(False)


def make_window(qtbot, controller: KioskController, **times: float) -> MainWindow:  # type: ignore[no-untyped-def]
    times.setdefault("idle_seconds", 3600)
    times.setdefault("countdown_seconds", 20)
    window = MainWindow(controller, **times)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def go_to_resident(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.screens["attract"].start_button.click()
    window.screens["home"].create_account_button.click()
    assert window.current_screen_name() == "facility"
    facility = window.screens["facility"]
    qtbot.waitUntil(lambda: len(facility.facility_buttons) > 0)
    facility.facility_buttons[0].click()
    assert window.current_screen_name() == "resident"


def go_to_name(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    go_to_resident(window, qtbot)
    resident = window.screens["resident"]
    resident.query.setText("Rivera")
    resident.search_button.click()
    qtbot.waitUntil(lambda: len(resident.result_buttons) > 0)
    resident.result_buttons[0].click()
    assert window.current_screen_name() == "register_name"


def next_through_pages(window: MainWindow, name: str) -> None:
    """Next on step ``name`` until the step is left: a form whose fields do not fit the
    window (large text at 1024x768) shows them a page at a time (issue 19)."""
    screen = window.screens[name]
    for _ in range(getattr(screen, "page_count", 1)):
        screen.next_button.click()
        if window.current_screen_name() != name:
            return


def fill_name(window: MainWindow) -> None:
    screen = window.screens["register_name"]
    screen.first_name.setText("Angela")
    screen.last_name.setText("Rivera")
    next_through_pages(window, "register_name")


def fill_contact(window: MainWindow) -> None:
    screen = window.screens["register_contact"]
    screen.phone.setText("512 555 0142")
    screen.email.setText("angela@example.com")
    next_through_pages(window, "register_contact")


def fill_address(window: MainWindow) -> None:
    screen = window.screens["register_address"]
    screen.line1.setText("1401 E 7th St")
    screen.city.setText("Austin")
    screen.state.setText("tx")
    screen.postal_code.setText("78702")
    screen.next_button.click()


def fill_pin(window: MainWindow) -> None:
    screen = window.screens["register_pin"]
    screen.pin.setText("5820")
    screen.pin_confirm.setText("5820")
    screen.next_button.click()


def go_to_review(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    go_to_name(window, qtbot)
    fill_name(window)
    fill_contact(window)
    fill_address(window)
    fill_pin(window)
    assert window.current_screen_name() == "review"


@contextmanager
def tour_window_with_banners() -> Iterator[MainWindow]:
    """The tour's window (its sample controller) shown with both banners on, the tallest
    header a family can meet; closed and deleted after."""
    from kiosk.tour import default_window_factory

    window = default_window_factory()
    window.show()
    window.banners.set_online(False)
    window.banners.set_payments_available(False)
    try:
        yield window
    finally:
        window.close()
        window.deleteLater()
