"""Options are declared once; a file and then the environment override the defaults."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from kiosk.config import ConfigError, Settings, load_settings, option_titles


def test_defaults_without_file_or_environment(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.toml", environ={})
    assert settings == Settings()
    assert settings.idle_seconds == 90 and settings.language == "en"


def test_every_option_has_a_title() -> None:
    titles = option_titles()
    assert set(titles) == {f.name for f in fields(Settings)}
    assert all(title.strip() for title in titles.values())


def test_file_then_environment(tmp_path: Path) -> None:
    file = tmp_path / "kiosk.toml"
    file.write_text('central_url = "https://central.example"\nidle_seconds = 45\n'
                    'large_text = true\n', encoding="utf-8")
    settings = load_settings(file, environ={"LOBBY_KIOSK_IDLE_SECONDS": "30",
                                            "LOBBY_KIOSK_LANGUAGE": "es"})
    assert settings.central_url == "https://central.example"
    assert settings.idle_seconds == 30  # the environment wins
    assert settings.language == "es" and settings.large_text is True
    assert settings.database_path == Path(settings.data_dir) / "kiosk.sqlite3"


@pytest.mark.parametrize(
    ("content", "environ", "message"),
    [("idle_seconds = 'soon'\n", {}, "idle_seconds"),
     ("colour = 'blue'\n", {}, "unknown option"),
     ("", {"LOBBY_KIOSK_LANGUAGE": "fr"}, "language"),
     ("office_language = 'de'\n", {}, "office_language"),
     ("", {"LOBBY_KIOSK_COUNTDOWN_SECONDS": "0"}, "countdown_seconds"),
     ("", {"LOBBY_KIOSK_LARGE_TEXT": "maybe"}, "large_text"),
     ("idle_seconds = [\n", {}, "kiosk.toml")],
)
def test_bad_values_name_the_option(
    tmp_path: Path, content: str, environ: dict[str, str], message: str
) -> None:
    file = tmp_path / "kiosk.toml"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(file, environ=environ)


@pytest.mark.parametrize("spec", ["", "simulator", "essp:/dev/lobby-notes",
                                  "essp+encrypted:COM3"])
def test_the_bill_acceptor_setting_takes_the_forms_the_acceptor_opens(
        tmp_path: Path, spec: str) -> None:
    settings = load_settings(tmp_path / "none.toml", {"LOBBY_KIOSK_BILL_ACCEPTOR": spec})
    assert settings.bill_acceptor == spec


@pytest.mark.parametrize("spec", ["essp:", "nv200:/dev/ttyACM0", "simulator:x", "/dev/ttyACM0"])
def test_a_mistyped_bill_acceptor_stops_the_kiosk_at_start(tmp_path: Path, spec: str) -> None:
    with pytest.raises(ConfigError, match="option 'bill_acceptor'"):
        load_settings(tmp_path / "none.toml", {"LOBBY_KIOSK_BILL_ACCEPTOR": spec})
