"""Phone numbers, card endings and references are written one way on every screen
(issue 19, Low): by ``ui.formats``, in the language on screen."""

from __future__ import annotations

from kiosk.domain import CardView, Language
from ui import formats, i18n
from ui.card_text import card_text
from ui.main_window import MainWindow


def test_a_phone_number_reads_the_same_from_e164_or_ten_digits() -> None:
    assert formats.phone("+15125550142") == "(512) 555-0142"
    assert formats.phone("5125550142") == "(512) 555-0142"
    assert formats.phone("+442071838750") == "+442071838750"  # not a US number: as it is


def test_a_card_shows_its_brand_and_last_four_only_in_the_language_on_screen() -> None:
    assert formats.card("visa", "4242") == "Visa ending in 4242"
    assert formats.card("VISA", "4242424242424242") == "Visa ending in 4242"
    assert card_text(CardView("mastercard", "4444", "pm-1")) == "Mastercard ending in 4444"
    i18n.set_application_language(Language.SPANISH)
    assert formats.card("visa", "4242") == "Visa terminada en 4242"


def test_a_long_reference_is_read_in_groups_of_four_a_short_one_whole() -> None:
    ref = "9d3e0f41aa1243c8b1f0e2d4c6a8b0e2"
    assert formats.reference(ref) == "9d3e 0f41 aa12 43c8 b1f0 e2d4 c6a8 b0e2"
    assert formats.reference(ref).replace(" ", "") == ref
    assert formats.reference("R-2041") == "R-2041"


def test_the_sign_in_number_brought_from_sign_up_is_written_like_everywhere(
    window: MainWindow,
) -> None:
    # "Sign in instead" at sign-up brings the number along: it was the bare ten digits
    # there, "(512) 555-0142" on the review and the staff screens.
    screen = window.screens["sign_in"]
    screen.show_data({"phone": "+15125550142"})
    assert screen.phone.text() == "(512) 555-0142"  # type: ignore[attr-defined]
    assert screen.validate_fields() is False  # no PIN yet; the number itself is fine
    assert screen.fields["phone"].problem_code() is None  # type: ignore[attr-defined]
