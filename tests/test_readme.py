"""The README is part of the product: its configuration table must match the code."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import ENV_PREFIX, option_titles

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_option_is_documented_with_its_variable_and_title() -> None:
    for name, title in option_titles().items():
        row = next((line for line in README.splitlines() if line.startswith(f"| `{name}` |")),
                   None)
        assert row is not None, f"README lacks option {name}"
        assert f"`{ENV_PREFIX}{name.upper()}`" in row
        assert title in row


def test_the_two_commands_are_shown() -> None:
    assert "make demo" in README and "make test" in README
