"""The kiosk's start: its first screen is painted before the slow imports (SQLAlchemy, the
HTTP client, the keyring, the other screens) and before its parts are opened; they open
right after it, on a worker (docs/performance.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_the_first_screen_is_painted_before_the_heavy_imports(tmp_path: Path) -> None:
    # A port nobody listens on: the kiosk starts offline, as after a power cut.
    done = subprocess.run(
        [sys.executable, "-m", "tests.kiosk.first_frame", str(tmp_path / "kiosk-data"),
         f"http://127.0.0.1:{free_port()}"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["screen"] == "attract"
    # The first frame is the header, the banners and the attract screen: the router, the
    # screen table and the request table come after it.
    assert report["rest_built"] is False
    assert report["at_paint"] == []
    assert report["opened_before_paint"] is False
    # Then they open, without anyone touching the kiosk: the store first of all.
    assert {"sqlalchemy", "kiosk.store", "kiosk.workflow", "services.central_client",
            "services.vault", "phonenumbers", "email_validator",
            "kiosk.devices.card_reader", "kiosk.requests", "ui.router",
            "kiosk.flows.catalog"} <= set(report["after_open"])
    assert report["rest_built_after_open"] is True
    assert report["store_open"] is True
    # The card reader's port opens with them, after the first paint (docs/devices.md).
    assert report["reader_open"] is True


def test_requests_that_waited_are_refused_when_the_store_cannot_open(
    qapp: object, tmp_path: Path
) -> None:
    from dataclasses import replace

    from kiosk.app import start_gui
    from kiosk.config import load_settings
    from kiosk.requests import LoadFacilities
    from services.vault import open_vault

    blocked = tmp_path / "kiosk-data"
    blocked.write_text("a file where the kiosk's data folder should be")
    settings = replace(load_settings(tmp_path / "absent.toml", environ={}),
                       central_url=f"http://127.0.0.1:{free_port()}", data_dir=str(blocked))
    started = start_gui(settings, vault=open_vault("lobby-kiosk-test-start"))
    refused: list[str] = []
    started.controller.refused.connect(lambda _request, why: refused.append(why.code))
    started.controller.request(LoadFacilities())
    try:
        with pytest.raises(OSError):
            started.wait_until_open()
        assert started.kiosk is None and started.failure is not None
        assert refused == ["server_error"]
    finally:
        started.window.close()
        started.close()


def test_the_kiosk_exits_with_the_error_when_its_store_cannot_open(tmp_path: Path) -> None:
    blocked = tmp_path / "kiosk-data"
    blocked.write_text("a file where the kiosk's data folder should be")
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(tmp_path / "absent.toml")],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
             "LOBBY_KIOSK_DATA_DIR": str(blocked),
             "LOBBY_KIOSK_CENTRAL_URL": f"http://127.0.0.1:{free_port()}"},
    )
    # The window was up, but a kiosk that cannot keep a sign-up does not stay up.
    assert done.returncode != 0
    assert "FileExistsError" in done.stderr


def test_the_windowed_kiosk_fits_a_screen_smaller_than_its_design_size(
    qapp: object, tmp_path: Path
) -> None:
    """Issue 19, item 8: on a 1024x768 screen the 1280x800 window cut off its title and
    language buttons. The offscreen screen is smaller still (800 wide)."""
    from dataclasses import replace

    from kiosk.app import start_gui
    from kiosk.config import load_settings
    from services.vault import open_vault

    settings = replace(load_settings(tmp_path / "absent.toml", environ={}),
                       central_url=f"http://127.0.0.1:{free_port()}",
                       data_dir=str(tmp_path / "kiosk-data"))
    started = start_gui(settings, vault=open_vault("lobby-kiosk-test-start"))
    try:
        window = started.window
        screen = window.screen()
        assert screen is not None
        area = screen.availableGeometry()
        assert area.width() < 1280  # the case that matters
        started.app.processEvents()
        assert area.contains(window.frameGeometry()), (area, window.frameGeometry())
        assert window.width() >= area.width() - 40  # as much of it as it can have
    finally:
        started.window.close()
        started.close()


def test_the_note_acceptor_opens_after_the_first_screen_and_closes_with_the_kiosk(
    qapp: object, qtbot: object, tmp_path: Path
) -> None:
    """``bill_acceptor = "simulator"``: an NV200 simulator on a pty of its own, opened with
    the kiosk's parts after the first paint; its Ready reaches the window's controller on
    the GUI thread, and closing the kiosk stops the acceptor's and the simulator's threads."""
    import threading
    from dataclasses import replace

    from kiosk.app import start_gui
    from kiosk.config import load_settings
    from services.vault import open_vault

    settings = replace(load_settings(tmp_path / "absent.toml", environ={}),
                       central_url=f"http://127.0.0.1:{free_port()}",
                       data_dir=str(tmp_path / "kiosk-data"), bill_acceptor="simulator")
    started = start_gui(settings, vault=open_vault("lobby-kiosk-test-start"))
    try:
        assert not started.controller.cash_available  # nothing opened before the paint
        kiosk = started.wait_until_open()
        qtbot.waitUntil(lambda: started.controller.cash_available,  # type: ignore[attr-defined]
                        timeout=10_000)
        assert kiosk.workflow.cash.simulated
    finally:
        started.close()
    names = {thread.name for thread in threading.enumerate()}
    assert not names & {"bill-acceptor", "nv200-simulator"}, names
