"""A family registers at the kiosk: real widgets, the real workflow on worker threads, the
real central API on loopback, a real SQLite outbox and the keyring. Then we read the
account back from the server and check that the PIN went nowhere it shouldn't."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from central.identity.models import Account, LinkedResident
from central.identity.security import verify_pin
from kiosk.domain import RegistrationOutcome
from services.vault import Vault
from tests.e2e.e2e_support import PIN, Kiosk, make_window, register, wait_for_home
from tests.support import LiveServer, free_port


@pytest.mark.gui
def test_family_registers_and_the_server_has_the_account(
    qtbot: QtBot, live_server: LiveServer, tmp_path: Path, vault: Vault, kiosk: Kiosk
) -> None:
    services = live_server.app.state.services
    window = make_window(qtbot, kiosk)
    register(window, qtbot, "(713) 555-0188")
    with qtbot.waitSignal(kiosk.workflow.answered, timeout=15_000) as done:
        window.screens["review"].create_button.click()
    assert done.args[1].outcome is RegistrationOutcome.CREATED
    # The new family lands on their own account, already signed in.
    wait_for_home(window, qtbot)
    assert window.screens["account_home"].title.text() == "Hello, Rosa"
    account_id = done.args[1].account_id

    with services.db.transaction() as session:
        account = session.get(Account, account_id)
        assert account is not None
        assert (account.first_name, account.last_name) == ("Rosa", "Martínez")
        assert account.phone == "+17135550188" and account.state == "TX"
        assert verify_pin(account.pin_hash, PIN)
        link = session.execute(
            select(LinkedResident).where(LinkedResident.account_id == account_id)
        ).scalar_one()
        assert (link.facility_id, link.resident_id) == (
            "harbor-county-jail", "harbor-county-jail:007")
    # The kiosk's token went to the keyring, and the one-time code is spent.
    assert vault.get("kiosk-token")
    kiosk.close()  # everything written, WAL included, before the scan
    for file in tmp_path.glob("kiosk.sqlite3*"):
        assert b'"pin"' not in file.read_bytes()


@pytest.mark.gui
def test_known_phone_shows_the_server_message_on_the_phone_step(
    qtbot: QtBot, kiosk: Kiosk
) -> None:
    window = make_window(qtbot, kiosk)
    register(window, qtbot, "(713) 555-0190")
    with qtbot.waitSignal(kiosk.workflow.answered, timeout=15_000):
        window.screens["review"].create_button.click()
    wait_for_home(window, qtbot)
    window.screens["account_home"].sign_out_button.click()
    register(window, qtbot, "713-555-0190")
    with qtbot.waitSignal(kiosk.workflow.failed, timeout=15_000) as failed:
        window.screens["review"].create_button.click()
    assert failed.args == ["phone_registered", "phone"]
    qtbot.waitUntil(lambda: window.current_screen_name() == "register_contact")
    contact = window.screens["register_contact"]
    assert "already has an account" in contact.error_text("phone")
    # "Sign in instead" takes the family to sign-in with the number already there.
    assert contact.sign_in_button.isVisible()
    contact.sign_in_button.click()
    assert window.current_screen_name() == "sign_in"
    # Written as on every screen (ui/formats.py).
    assert window.screens["sign_in"].phone.text() == "(713) 555-0190"
    assert not kiosk.workflow.family.signed_in


@pytest.mark.gui
def test_offline_sign_up_is_saved_and_sent_when_the_server_is_back(
    qtbot: QtBot, live_server: LiveServer, kiosk: Kiosk
) -> None:
    services = live_server.app.state.services
    # First contact works (facilities are cached), then the network goes away.
    window = make_window(qtbot, kiosk)
    register(window, qtbot, "(713) 555-0191")
    kiosk.client.base_url = f"http://127.0.0.1:{free_port()}"
    with qtbot.waitSignal(kiosk.workflow.answered, timeout=30_000) as done:
        window.screens["review"].create_button.click()
    assert done.args[1].outcome is RegistrationOutcome.QUEUED
    qtbot.waitUntil(lambda: window.current_screen_name() == "done")
    assert len(kiosk.store.pending()) == 1

    kiosk.client.base_url = live_server.url  # the network is back
    kiosk.workflow.check_connection()  # the kiosk sees the network is back
    qtbot.waitUntil(lambda: not kiosk.store.pending(), timeout=15_000)
    with services.db.transaction() as session:
        phones = session.execute(select(Account.phone)).scalars().all()
    assert phones == ["+17135550191"]


@pytest.mark.gui
def test_a_family_who_starts_while_the_server_is_down_signs_up_from_the_cache(
    qtbot: QtBot, live_server: LiveServer, tmp_path: Path, vault: Vault, kiosk: Kiosk
) -> None:
    """Issue 8: the kiosk restarts with the server unreachable; the family still finds their
    loved one (from the cached directory), finishes, is told plainly what happens next, and
    the banner says what works and what waits. The sign-up lands when the server is back."""
    from kiosk.capabilities.catalog import directory_entry

    # Yesterday: the kiosk was online and cached the facilities and their directories.
    window = make_window(qtbot, kiosk)
    window.screens["attract"].start_button.click()
    window.screens["home"].create_account_button.click()
    facility = window.screens["facility"]
    qtbot.waitUntil(lambda: len(facility.facility_buttons) > 0, timeout=10_000)
    assert kiosk.store.load_catalog(directory_entry("harbor-county-jail"))
    window.close()
    kiosk.close()

    # Today: a restart while the server cannot be reached.
    restarted = Kiosk(f"http://127.0.0.1:{free_port()}", "", tmp_path, vault)
    try:
        window = make_window(qtbot, restarted)
        register(window, qtbot, "(713) 555-0192")
        with qtbot.waitSignal(restarted.workflow.answered, timeout=30_000) as done:
            window.screens["review"].create_button.click()
        assert done.args[1].outcome is RegistrationOutcome.QUEUED
        qtbot.waitUntil(lambda: window.current_screen_name() == "done")
        assert "checked when it reconnects" in window.screens["done"].body.text()
        banners = window.banners
        qtbot.waitUntil(lambda: banners.waiting_banner.isVisible(), timeout=10_000)
        assert banners.waiting_banner.text() == "Waiting to be sent: 1"
        assert banners.offline_banner.isVisible()
        # Three banners share the strip: the offline one says its short words, its whole
        # sentence behind a tap and in its accessible name (docs/accessibility.md).
        assert "no signing in or payments" in banners.offline_banner.text()
        assert "Signing in and payments" in banners.offline_banner.accessibleName()

        restarted.client.base_url = live_server.url  # the network is back
        restarted.workflow.check_connection()
        qtbot.waitUntil(lambda: not restarted.store.pending(), timeout=15_000)
        qtbot.waitUntil(lambda: banners.offline_banner.isHidden()
                        and banners.waiting_banner.isHidden(), timeout=10_000)
        with live_server.app.state.services.db.transaction() as session:
            phones = session.execute(select(Account.phone)).scalars().all()
        assert phones == ["+17135550192"]
    finally:
        restarted.close()
