"""The demo's server can go down and come back while the kiosk runs (issue 19, item 5): the
offline promise is shown with the demo itself. Real processes: the guard and the central
API it runs (``kiosk.demo``); the kiosk's parts (its SQLite store in the demo's folder, the
HTTP client, the outbox sender) are the real ones, in this process."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from pytestqt.qtbot import QtBot

from kiosk.app import start_gui
from kiosk.clock import SystemClock
from kiosk.config import load_settings
from kiosk.credentials import PENDING_TOKEN_ENTRY, TOKEN_ENTRY
from kiosk.demo import DemoCentral
from kiosk.store import LocalStore, OutboxState
from kiosk.sync import OutboxSender
from services.central_client import CentralClient, CentralUnreachable
from services.vault import VolatileVault, open_vault
from tests.crash.workers import sign_up_payload
from tests.e2e.e2e_support import PIN, fill_sign_up_details


def _server_pids(folder: Path) -> list[int]:
    """The central server's process (not its guard): its command line names the database."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"central.cli" in command and str(folder).encode() in b" ".join(command) and (
                b"kiosk.demo_guard" not in command):
            found.append(int(entry.name))
    return found


def _answers(url: str) -> bool:
    try:
        return requests.get(url + "/healthz", timeout=1).ok
    except requests.RequestException:
        return False


def _wait(condition: object, what: str, timeout: float = 30) -> None:
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


@pytest.mark.slow
def test_a_server_that_stops_leaves_the_kiosks_data_and_can_be_started_again() -> None:
    """The server stopping on its own (here: killed by someone) used to end the guard,
    which deleted the whole demo folder with the kiosk's running store and outbox."""
    demo = DemoCentral()
    demo.start()
    try:
        kiosk_data = demo.folder / "kiosk-data"
        store = LocalStore(kiosk_data / "kiosk.sqlite3", SystemClock())
        outbox_id = store.queue_registration(sign_up_payload(11), "pin:x", "account:x")
        [server] = _server_pids(demo.folder)
        os.kill(server, signal.SIGTERM)
        _wait(lambda: not _answers(demo.url), "the server is still up")
        time.sleep(1)  # what the guard did next, it has done by now
        assert (kiosk_data / "kiosk.sqlite3").exists()
        assert [entry.id for entry in store.pending()] == [outbox_id]
        store.close()
        demo.bring_up()
        assert _answers(demo.url)
    finally:
        demo.stop()
    assert not demo.folder.exists()


@pytest.mark.slow
def test_a_sign_up_queued_while_the_demo_server_is_down_is_sent_when_it_is_back() -> None:
    demo = DemoCentral()
    demo.start()
    store = LocalStore(demo.folder / "kiosk-data" / "kiosk.sqlite3", SystemClock())
    try:
        client = CentralClient(demo.url, timeout=5)
        client.token = client.enroll(demo.enrollment_code, "demo-kiosk").token
        client.confirm_enrollment(client.token)
        vault = VolatileVault()
        sender = OutboxSender(store, client, vault)

        demo.take_down()
        assert not _answers(demo.url)
        _wait(lambda: _server_pids(demo.folder) == [], "the server process is still there")
        outbox_id = store.queue_registration(
            sign_up_payload(12), vault.put_new("pin", "5820"), "account:offline-demo")
        with pytest.raises(CentralUnreachable):
            client.facilities()
        assert sender.drain(retry_now=True) == []
        assert [entry.id for entry in store.pending()] == [outbox_id]

        demo.bring_up()
        # The same database: the kiosk's token still works, and the sign-up goes through.
        [result] = sender.drain(retry_now=True)
        assert (result.outbox_id, result.state) == (outbox_id, OutboxState.SENT)
        assert store.pending() == []
    finally:
        store.close()
        demo.stop()


@pytest.mark.gui
@pytest.mark.slow
def test_the_demo_shows_an_offline_sign_up_sync_as_the_readme_tells(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The README's steps with the real kiosk window and its timers (``start_gui`` with the
    demo's settings): start a sign-up, take the server down, finish it ("Waiting to be sent:
    1"), bring the server back; the kiosk sends it by itself within seconds."""
    demo = DemoCentral()
    demo.start()
    settings = replace(load_settings(tmp_path / "absent.toml", environ={}),
                       central_url=demo.url, enrollment_code=demo.enrollment_code,
                       data_dir=str(demo.folder / "kiosk-data"), kiosk_name="demo-kiosk",
                       sync_interval_seconds=5)
    vault = open_vault("lobby-kiosk-demo-test")
    started = start_gui(settings, vault=vault, demo=True)
    try:
        kiosk = started.wait_until_open()
        window = started.window
        window.screens["attract"].start_button.click()
        window.screens["home"].create_account_button.click()
        facility = window.screens["facility"]
        qtbot.waitUntil(lambda: len(facility.facility_buttons) > 0, timeout=15_000)

        demo.take_down()
        facility.choose("harbor-county-jail")
        resident = window.screens["resident"]
        resident.query.setText("lópez")
        resident.search_button.click()
        qtbot.waitUntil(lambda: len(resident.result_buttons) > 0, timeout=15_000)
        resident.result_buttons[0].click()
        fill_sign_up_details(window, "7135550188")
        window.screens["review"].create_button.click()
        qtbot.waitUntil(lambda: window.current_screen_name() == "done", timeout=30_000)
        waiting = window.banners.waiting_banner
        qtbot.waitUntil(waiting.isVisible, timeout=10_000)
        assert waiting.text() == "Waiting to be sent: 1"
        assert window.banners.offline_banner.isVisible()

        demo.bring_up()
        qtbot.waitUntil(lambda: waiting.isHidden() and window.banners.offline_banner.isHidden(),
                        timeout=20_000)
        assert kiosk.store.pending() == []
        # The family can sign in with the PIN they chose, at once.
        kiosk.client.sign_in("+17135550188", PIN)
    finally:
        started.window.close()
        started.close()
        for entry in (TOKEN_ENTRY, PENDING_TOKEN_ENTRY):
            vault.delete(entry)
        demo.stop()
