"""``lobby-kiosk --self-check``: one line per check, exit 0 only when the kiosk has all
it needs, and the failing check named otherwise."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from kiosk.clock import SystemClock
from kiosk.selfcheck import self_check
from kiosk.store import LocalStore
from services.vault import open_vault
from tests.support import LiveServer, free_port

REPOSITORY = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path, url: str, code: str = "ENROLL-ME") -> Path:
    file = tmp_path / "kiosk.toml"
    file.write_text(
        f'central_url = "{url}"\ndata_dir = "{tmp_path / "data"}"\n'
        f'enrollment_code = "{code}"\n', encoding="utf-8")
    return file


def _run(config: Path) -> tuple[int, dict[str, str]]:
    out = io.StringIO()
    status = self_check(config, out)
    lines = out.getvalue().splitlines()
    by_name = {line.split()[1]: line for line in lines[:-1]}
    return status, by_name


def test_a_ready_kiosk_passes(tmp_path: Path, live_server: LiveServer) -> None:
    LocalStore(tmp_path / "data" / "kiosk.sqlite3", SystemClock()).close()
    status, lines = _run(_config(tmp_path, live_server.url))
    assert set(lines) == {"config", "database", "keyring", "enrollment", "printer", "server"}
    for name in ("config", "database", "enrollment", "printer", "server"):
        assert lines[name].startswith("ok"), lines[name]
    assert "0 waiting" in lines["database"]
    secure = open_vault().secure
    assert lines["keyring"].startswith("ok" if secure else "FAIL")
    assert status == (0 if secure else 1)


def test_a_dead_server_is_named(tmp_path: Path) -> None:
    status, lines = _run(_config(tmp_path, f"http://127.0.0.1:{free_port()}"))
    assert status == 1
    assert lines["server"].startswith("FAIL") and "offline" in lines["server"]


def test_a_damaged_database_is_named(tmp_path: Path, live_server: LiveServer) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "kiosk.sqlite3").write_bytes(b"not a database at all" * 100)
    status, lines = _run(_config(tmp_path, live_server.url))
    assert status == 1 and lines["database"].startswith("FAIL")


def test_bad_settings_are_named_and_nothing_else_is_tried(tmp_path: Path) -> None:
    status, lines = _run(_config(tmp_path, "http://central.example"))
    assert status == 1 and list(lines) == ["config"]
    assert "https" in lines["config"]


def test_the_command_line_flag(tmp_path: Path) -> None:
    config = _config(tmp_path, f"http://127.0.0.1:{free_port()}")
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--self-check", "--config", str(config)],
        cwd=REPOSITORY, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 1
    assert "FAIL  server" in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("self-check failed: ")


def test_an_unplugged_printer_is_named(tmp_path: Path, live_server: LiveServer) -> None:
    config = _config(tmp_path, live_server.url)
    with config.open("a", encoding="utf-8") as settings:
        settings.write(f'receipt_printer = "network:127.0.0.1:{free_port()}"\n')
    status, lines = _run(config)
    assert status == 1 and lines["printer"].startswith("FAIL")
    assert "printer_missing" in lines["printer"]
