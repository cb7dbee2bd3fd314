"""What the card-reader end-to-end tests share (docs/devices.md "The card reader"): the
sandbox's simulated reader registered to the kiosk under test, a family signed in on its
home, the way to a plan's reader screen, and a card presented until the receipt shows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from central.identity.models import Kiosk as KioskRow
from central.kernel.clock import ManualClock
from central.money.terminal_models import ReaderPayment
from tests.central.family_support import PIN, Family, open_family
from tests.e2e.e2e_support import Kiosk, make_window, sign_in, wait_for_home
from tests.support import LiveServer
from ui.main_window import MainWindow

READER = "sim_lobby_e2e"
CALLS = "harbor-county-jail:call-100"  # $39.99: the simulated reader approves it
WAIT = 15_000
# The simulated reader reads the card presented about three seconds after the payment
# starts, on the server's clock (docs/payments.md).
CARD_READ = timedelta(seconds=4)


def register_reader(live_server: LiveServer, kiosk_api: TestClient) -> None:
    """The demo supervisor registers a simulated reader for the kiosk under test (it
    enrolled at the family's sign-in), as ``make demo`` does for its kiosk."""
    with live_server.app.state.services.db.transaction() as session:
        kiosk_id = session.execute(select(KioskRow.id).where(
            KioskRow.name == "e2e", KioskRow.revoked_at.is_(None))).scalar_one()
    staff = kiosk_api.post("/v1/staff/sessions", json={"badge_id": "1001", "pin": "2468"})
    assert staff.status_code == 201, staff.text
    response = kiosk_api.put(f"/v1/terminal/readers/{kiosk_id}", json={"reader_ref": READER},
                             headers={"X-Staff-Session": staff.json()["token"]})
    assert response.status_code == 200, response.text


def family_at_home(qtbot: QtBot, kiosk: Kiosk, kiosk_api: TestClient,
                   live_server: LiveServer, digits: str) -> tuple[Family, MainWindow, list[str]]:
    """A family (phone ``digits``) signed in on its home at a kiosk with a card reader; the
    steps the window shows are recorded in the list."""
    family = open_family(kiosk_api, phone=f"({digits[:3]}) {digits[3:6]}-{digits[6:]}")
    window = make_window(qtbot, kiosk)
    shown: list[str] = []
    window.router.entered.connect(shown.append)
    sign_in(window, qtbot, digits, PIN)
    wait_for_home(window, qtbot)
    register_reader(live_server, kiosk_api)
    return family, window, shown


def waiting_for_card(window: MainWindow, qtbot: QtBot, step: str) -> Any:
    """The reader's screen ``step`` once the reader waits for the card."""
    screen = window.screens[step]
    qtbot.waitUntil(lambda: screen.payment is not None
                    and screen.payment.state == "waiting_for_card", timeout=WAIT)
    assert screen.title.text() == "Insert, tap or swipe your card"
    assert screen.cancel_button.isVisible() and not screen.pay_button.isVisible()
    return screen


def card_paid(window: MainWindow, qtbot: QtBot, clock: ManualClock, receipt: str) -> Any:
    """With the reader waiting: the card read, paid, and the ``receipt`` step shown."""
    clock.advance(CARD_READ)
    qtbot.waitUntil(lambda: window.current_screen_name() == receipt, timeout=WAIT)
    return window.screens[receipt]


def plan_terms(window: MainWindow, qtbot: QtBot, *, manual: bool = True,
               from_renewal: bool = False) -> Any:
    """The calls plan, renewed by hand (or automatically): its terms, quoted.
    ``from_renewal``: the family is on the renewal choice already."""
    if not from_renewal:
        window.screens["account_home"].action_buttons["buy"].click()
        plans = window.screens["buy_plan"]
        qtbot.waitUntil(lambda: len(plans.plan_buttons) > 0, timeout=WAIT)
        plans.plan_buttons[[p.id for p in plans.plans].index(CALLS)].click()
    renewal = window.screens["buy_renewal"]
    (renewal.manual_button if manual else renewal.auto_button).click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "buy_terms", timeout=WAIT)
    terms = window.screens["buy_terms"]
    qtbot.waitUntil(lambda: terms.quote is not None and terms.busy_indicator.isHidden(),
                    timeout=WAIT)
    return terms


def plan_on_reader(window: MainWindow, qtbot: QtBot, *, manual: bool = True,
                   from_renewal: bool = False) -> Any:
    """The calls plan's terms accepted: the reader's screen (see ``plan_terms``)."""
    terms = plan_terms(window, qtbot, manual=manual, from_renewal=from_renewal)
    terms.accept.setChecked(True)
    terms.pay_button.click()
    assert window.current_screen_name() == "reader_plan"
    return window.screens["reader_plan"]


def no_card_number_field(window: MainWindow, shown: list[str]) -> None:
    """No screen with a card-number field was shown to the family on these paths."""
    assert "card_entry" not in shown
    for step in ("reader_deposit", "reader_plan", "reader_renew", "deposit_confirm",
                 "buy_terms"):
        if step in shown:
            assert not window.screens[step].type_button.isVisible()


def payment_states(live_server: LiveServer) -> list[str]:
    """The reader payments' states on the server, oldest first."""
    with live_server.app.state.services.db.transaction() as session:
        return list(session.execute(select(ReaderPayment.state)
                                    .order_by(ReaderPayment.started_at)).scalars())
