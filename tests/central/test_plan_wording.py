"""Issue 19, High 2: what a family reads about a plan (its name, what it includes, the
no-refund terms they tick) comes from the server in the language the kiosk asks in
(Accept-Language), from the same gettext catalogs as the letters."""

from __future__ import annotations

from fastapi.testclient import TestClient

from central.mail.notifications import translations
from central.plans import wording
from tests.central.family_support import Family

SPANISH = {"Accept-Language": "es-US,es;q=0.9"}
ENGLISH_WORDS = ("calls", "Subscription", "refund", "sessions", "Unlimited", "included")


def _english(text: str) -> list[str]:
    return [word for word in ENGLISH_WORDS if word in text]


def test_every_plan_word_is_in_the_spanish_catalog() -> None:
    catalog = translations("es")
    for message in (wording.TERMS_TEXT, wording.CALL_COVERAGE, wording.VIDEO_COVERAGE,
                    wording.UNLIMITED_VIDEO_COVERAGE, wording.CALL_PLAN_NAME,
                    wording.VIDEO_PLAN_NAME, wording.UNLIMITED_VIDEO_PLAN_NAME):
        assert catalog.gettext(message) != message, message


def test_plans_are_named_in_the_language_asked(kiosk_api: TestClient) -> None:
    english = kiosk_api.get("/v1/facilities/harbor-county-jail").json()["plans"]
    spanish = kiosk_api.get("/v1/facilities/harbor-county-jail", headers=SPANISH).json()["plans"]
    assert [p["id"] for p in spanish] == [p["id"] for p in english]
    assert "Call Subscription - 100 calls" in [p["name"] for p in english]
    names = [p["name"] for p in spanish]
    assert "Suscripción de llamadas: 100 llamadas" in names
    assert not [name for name in names if _english(name)], names
    # A language without a catalog gets the plans' own names.
    other = kiosk_api.get("/v1/facilities/harbor-county-jail",
                          headers={"Accept-Language": "fr"}).json()["plans"]
    assert [p["name"] for p in other] == [p["name"] for p in english]


def test_a_quote_asked_in_spanish_is_spanish_for_an_english_account(family: Family) -> None:
    choice = {"plan_id": "harbor-county-jail:call-100", "renewal_mode": "auto"}
    english = family.post("/subscriptions/quote", choice).json()
    assert english["terms"]["text"].startswith("No refunds.")
    response = family.api.post(family.url("/subscriptions/quote"), json=choice,
                               headers={**family.headers, **SPANISH})
    assert response.status_code == 200, response.text
    quote = response.json()
    assert quote["terms"]["text"].startswith("Sin reembolsos.")
    assert quote["plan_name"] == "Suscripción de llamadas: 100 llamadas"
    assert quote["coverage"].startswith("Hasta 100 llamadas dentro del estado")
    assert quote["terms_version"] == english["terms_version"]
    for text in (quote["terms"]["text"], quote["plan_name"], quote["coverage"]):
        assert not _english(text), text


def test_the_account_names_its_plans_in_the_language_asked(family: Family) -> None:
    family.add_card()
    choice = {"plan_id": "harbor-county-jail:video-8", "renewal_mode": "manual"}
    quoted = family.post("/subscriptions/quote", choice).json()
    bought = family.post("/subscriptions", {
        **choice, "accept_terms": True, "terms_version": quoted["terms_version"],
        "quoted_total_cents": quoted["price_cents"],
    }, "buy-video-8")
    assert bought.status_code == 201, bought.text
    spanish = family.api.get(family.url(), headers={**family.headers, **SPANISH}).json()
    [subscription] = spanish["subscriptions"]
    assert subscription["plan_name"].startswith("Suscripción de video:")
    english = family.get().json()
    assert english["subscriptions"][0]["plan_name"].startswith("Video Subscription")
