"""Cash deposits and the cash box (docs/cash.md): a kiosk's stacked notes are credited once
through a charge with no gateway, the deposit limits hold, only a kiosk of the family's
facility may post, cash is never refunded at a kiosk, and the count report compares
cassettes with credits."""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from central.kernel.clock import ManualClock
from central.mail.models import OutgoingMail
from central.mail.notifications import Letter, Recipient
from central.money.models import Charge, ChargePurpose, ChargeState, LedgerBook, LedgerEntry
from central.money.reconciler import reconcile
from tests.central.family_support import PROBLEM, Family, new_key
from tests.support import LiveServer, call_platform_headers, enroll_kiosk

CASH = "/v1/kiosks/cash-deposits"
COUNTS = "/v1/kiosks/cash-box-counts"
STACKED_AT = "2026-01-15T17:00:00Z"


def note(family: Family, cents: int = 2000, *, visit: str = "visit-1", cassette: int = 1,
         notes: list[int] | None = None) -> dict[str, Any]:
    notes = notes if notes is not None else [cents]
    return {"account_id": family.account_id, "visit": visit, "cassette": cassette,
            "notes": notes, "amount_cents": sum(notes), "stacked_at": STACKED_AT}


def balance(family: Family) -> int:
    response = family.api.get(
        f"/v1/accounts/{family.account_id}/advance-connect/transactions",
        headers=family.headers)
    assert response.status_code == 200, response.text
    return int(response.json()["balance_cents"])


def post(api: TestClient, body: dict[str, Any], key: str) -> Any:
    return api.post(CASH, json=body, headers={"Idempotency-Key": key})


def test_a_note_is_credited_once_through_a_cash_charge_no_gateway_asks_about(
    family: Family, kiosk_api: TestClient, app: FastAPI, clock: ManualClock,
) -> None:
    first = post(kiosk_api, note(family, 2000), "note-a")
    assert first.status_code == 201, first.text
    again = post(kiosk_api, note(family, 2000), "note-a")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert first.json()["method"] == "cash, 1 note"
    assert first.json()["refundable_at_kiosk"] is False
    assert balance(family) == 2000
    services = app.state.services
    with services.db.read() as session:
        [charge] = session.execute(select(Charge).where(
            Charge.purpose == ChargePurpose.CASH_DEPOSIT)).scalars()
        assert (charge.gateway, charge.state, charge.amount_cents) == (
            "cash", ChargeState.SETTLED, 2000)
        cash_box = session.execute(select(func.sum(LedgerEntry.amount_cents)).where(
            LedgerEntry.book == LedgerBook.CASH_BOX)).scalar_one()
        assert cash_box == -2000
    transactions = family.api.get(
        f"/v1/accounts/{family.account_id}/advance-connect/transactions",
        headers=family.headers).json()["transactions"]
    assert transactions[0]["description"] == "Deposit, cash, 1 note"
    # No reconciler round, on any gateway, ever finds a cash charge to ask about.
    clock.set(datetime(2026, 1, 16, tzinfo=UTC))
    report = reconcile(services.db, services.gateway, clock)
    assert (report.examined, report.other_gateway) == (0, 0)


def test_a_batch_names_its_count_and_the_same_key_with_other_notes_is_refused(
    family: Family, kiosk_api: TestClient,
) -> None:
    batch = post(kiosk_api, note(family, notes=[2000, 500, 100]), "batch-1")
    assert batch.status_code == 201, batch.text
    assert (batch.json()["amount_cents"], batch.json()["method"]) == (2600, "cash, 3 notes")
    changed = post(kiosk_api, note(family, notes=[2000, 500]), "batch-1")
    assert changed.status_code == 422
    assert changed.json()["code"] == "idempotency_key_reused"
    assert balance(family) == 2600


def test_duplicates_at_the_same_moment_credit_once(
    family: Family, kiosk_token: str, live_server: LiveServer,
) -> None:
    body = note(family, 5000)
    answers: list[int] = []

    def send() -> None:
        for _ in range(20):
            response = requests.post(live_server.url + CASH, json=body, timeout=30, headers={
                "Authorization": f"Bearer {kiosk_token}", "Idempotency-Key": "same-note"})
            if response.status_code != 409:
                answers.append(response.status_code)
                return
        answers.append(409)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [201] * 6
    assert balance(family) == 5000


def test_the_deposit_maximum_holds_for_a_visits_notes_and_bad_sums_are_refused(
    family: Family, kiosk_api: TestClient,
) -> None:
    for index in range(3):
        assert post(kiosk_api, note(family, 10_000), f"big-{index}").status_code == 201
    over = post(kiosk_api, note(family, 100), "big-3")
    assert over.status_code == 422
    assert over.headers["content-type"] == PROBLEM
    assert (over.json()["code"], over.json()["field"]) == ("amount_above_maximum",
                                                           "amount_cents")
    # Another visit starts again from nothing.
    assert post(kiosk_api, note(family, 100, visit="visit-2"), "small").status_code == 201
    wrong = kiosk_api.post(CASH, json={**note(family, 2000), "amount_cents": 1999},
                           headers={"Idempotency-Key": new_key()})
    assert (wrong.status_code, wrong.json()["code"]) == (422, "notes_do_not_add_up")
    huge = post(kiosk_api, note(family, 30_001), new_key())
    assert huge.status_code == 422
    assert huge.json()["field"].endswith("notes.0")
    assert balance(family) == 30_100


HARBOR = "/v1/admin/facilities/harbor-county-jail"
TERMS = "/v1/kiosks/cash-terms"


def _pricing(api: TestClient, **changes: Any) -> dict[str, Any]:
    """Harbor's price list as a supervisor's PUT body, with ``changes``."""
    detail = api.get("/v1/facilities/harbor-county-jail").json()
    return {key: detail[key] for key in (
        "funding_fee_cents", "video_session_price_cents", "offers_subscriptions",
        "offers_single_call", "rates", "plans")} | changes


def test_a_supervisor_sets_the_facilitys_cash_maximum_and_its_kiosks_read_it(
    family: Family, kiosk_api: TestClient, api: TestClient, app: FastAPI,
    supervisor_headers: dict[str, str],
) -> None:
    terms = kiosk_api.get(TERMS)
    assert terms.status_code == 200, terms.text
    assert terms.json() == {"facility_id": "harbor-county-jail", "maximum_cents": 30_000,
                            "minimum_cents": 0}
    changed = kiosk_api.put(f"{HARBOR}/pricing", headers=supervisor_headers,
                            json=_pricing(kiosk_api, cash_maximum_cents=10_000))
    assert changed.status_code == 200, changed.text
    assert changed.json()["cash_maximum_cents"] == 10_000
    assert kiosk_api.get(TERMS).json()["maximum_cents"] == 10_000
    # A price change that leaves it out leaves it as it was; the change is on record.
    again = kiosk_api.put(f"{HARBOR}/pricing", headers=supervisor_headers,
                          json=_pricing(kiosk_api, video_session_price_cents=420))
    assert again.status_code == 200, again.text
    assert kiosk_api.get(TERMS).json()["maximum_cents"] == 10_000
    history = kiosk_api.get(f"{HARBOR}/price-changes", headers=supervisor_headers).json()
    assert [(c["before"]["cash_maximum_cents"], c["after"]["cash_maximum_cents"])
            for c in history] == [(10_000, 10_000), (30_000, 10_000)]
    for wrong in (99, 30_001, "5000"):
        refused = kiosk_api.put(f"{HARBOR}/pricing", headers=supervisor_headers,
                                json=_pricing(kiosk_api, cash_maximum_cents=wrong))
        assert refused.status_code == 422, (wrong, refused.text)
        assert refused.headers["content-type"] == PROBLEM
        assert refused.json()["field"] == "cash_maximum_cents"
    assert kiosk_api.get(TERMS).json()["maximum_cents"] == 10_000
    # Only a kiosk asks, and hears its own facility's.
    platform = api.get(TERMS, headers=call_platform_headers(app))
    assert (platform.status_code, platform.json()["code"]) == (403, "not_a_kiosk")
    mesa = enroll_kiosk(app, "mesa-valley-detention")
    assert api.get(TERMS, headers={"Authorization": f"Bearer {mesa}"}).json() == {
        "facility_id": "mesa-valley-detention", "maximum_cents": 30_000, "minimum_cents": 0}


def test_a_note_stacked_is_credited_though_the_maximum_was_lowered_meanwhile(
    family: Family, kiosk_api: TestClient, supervisor_headers: dict[str, str],
) -> None:
    """The kiosk enabled its acceptor with $100; a supervisor lowers the maximum to $20
    while the family's $50 notes are in the cashbox: each is credited all the same."""
    assert kiosk_api.put(f"{HARBOR}/pricing", headers=supervisor_headers,
                         json=_pricing(kiosk_api, cash_maximum_cents=10_000)).status_code == 200
    assert post(kiosk_api, note(family, 5000), "before").status_code == 201
    assert kiosk_api.put(f"{HARBOR}/pricing", headers=supervisor_headers,
                         json=_pricing(kiosk_api, cash_maximum_cents=2000)).status_code == 200
    after = post(kiosk_api, note(family, 5000), "after")
    assert after.status_code == 201, after.text
    assert balance(family) == 10_000


def test_only_an_enrolled_kiosk_of_the_familys_facility_posts_cash(
    family: Family, api: TestClient, app: FastAPI,
) -> None:
    body = note(family)
    with TestClient(app, raise_server_exceptions=False) as anonymous:
        nobody = anonymous.post(CASH, json=body, headers={"Idempotency-Key": "k1"})
    assert (nobody.status_code, nobody.json()["code"]) == (401, "unauthorized")
    platform = api.post(CASH, json=body, headers={"Idempotency-Key": "k1",
                                                  **call_platform_headers(app)})
    assert (platform.status_code, platform.json()["code"]) == (403, "not_a_kiosk")
    elsewhere = enroll_kiosk(app, "mesa-valley-detention")
    foreign = api.post(CASH, json=body, headers={"Idempotency-Key": "k1",
                                                 "Authorization": f"Bearer {elsewhere}"})
    assert foreign.status_code == 403
    assert foreign.headers["content-type"] == PROBLEM
    assert foreign.json()["code"] == "account_not_at_this_facility"
    unknown = api.post(CASH, json={**body, "account_id": "nobody"}, headers={
        "Idempotency-Key": "k2", "Authorization": f"Bearer {elsewhere}"})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "account_unknown")
    assert balance(family) == 0


def test_cash_is_never_refunded_at_a_kiosk(
    family: Family, kiosk_api: TestClient, app: FastAPI,
) -> None:
    deposit = post(kiosk_api, note(family, 2000), "n1").json()
    refused = kiosk_api.post(f"{CASH}/{deposit['deposit_id']}/refunds")
    assert refused.status_code == 409
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["code"] == "cash_not_refundable"
    assert "cannot be refunded at a kiosk" in refused.json()["title"]
    unknown = kiosk_api.post(f"{CASH}/nothing/refunds")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "cash_deposit_unknown")
    elsewhere = enroll_kiosk(app, "mesa-valley-detention")
    theirs = kiosk_api.post(f"{CASH}/{deposit['deposit_id']}/refunds",
                            headers={"Authorization": f"Bearer {elsewhere}"})
    assert theirs.status_code == 404
    assert balance(family) == 2000


def test_a_finished_visit_gets_one_receipt_naming_cash_its_notes_and_no_refund(
    family: Family, kiosk_api: TestClient, app: FastAPI,
) -> None:
    for index, cents in enumerate((2000, 500, 100)):
        assert post(kiosk_api, note(family, cents), f"r-{index}").status_code == 201
    visit = {"account_id": family.account_id, "visit": "visit-1"}
    receipt = kiosk_api.post("/v1/kiosks/cash-receipts", json=visit,
                             headers={"Idempotency-Key": "receipt-1"})
    assert receipt.status_code == 201, receipt.text
    assert (receipt.json()["amount_cents"], receipt.json()["method"]) == (2600,
                                                                          "cash, 3 notes")
    replay = kiosk_api.post("/v1/kiosks/cash-receipts", json=visit,
                            headers={"Idempotency-Key": "receipt-1"})
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert kiosk_api.post("/v1/kiosks/cash-receipts", json=visit,
                          headers={"Idempotency-Key": "receipt-2"}).status_code == 201
    with app.state.services.db.read() as session:
        letters = list(session.execute(select(OutgoingMail).where(
            OutgoingMail.kind == "cash_deposit_receipt")).scalars())
    assert len(letters) == 1  # one letter per visit, however often it is asked for
    assert letters[0].kind is not None and letters[0].data is not None
    letter = Letter.from_json(letters[0].kind, letters[0].data)
    english = letter.render().get_body(("plain",))
    assert english is not None
    assert "Cash, 3 notes" in english.get_content()
    assert "Cash cannot be refunded at a kiosk" in english.get_content()
    assert "$26.00" in english.get_content()
    spanish = replace(letter, data=replace(
        letter.data, recipient=Recipient("Rosa", "rosa@example.org", "es"))).render()
    body = spanish.get_body(("plain",))
    assert body is not None
    assert "Efectivo, 3 billetes" in body.get_content()
    nothing = kiosk_api.post("/v1/kiosks/cash-receipts",
                             json={**visit, "visit": "visit-9"},
                             headers={"Idempotency-Key": "receipt-3"})
    assert (nothing.status_code, nothing.json()["code"]) == (409, "nothing_credited")


def count(cassette: int, notes: dict[int, int], in_doubt: int = 0) -> dict[str, Any]:
    return {"cassette": cassette, "removed_at": "2026-01-15T20:00:00Z", "in_doubt": in_doubt,
            "notes": [{"cents": cents, "count": n} for cents, n in notes.items()]}


def test_the_cash_box_report_balances_a_counted_cassette_and_flags_a_difference(
    family: Family, kiosk_api: TestClient, supervisor_headers: dict[str, str],
    seeded_url: str,
) -> None:
    for index, cents in enumerate((2000, 2000, 500)):
        assert post(kiosk_api, note(family, cents), f"c1-{index}").status_code == 201
    assert post(kiosk_api, note(family, 1000, cassette=2), "c2-0").status_code == 201
    first = kiosk_api.post(COUNTS, json=count(1, {2000: 2, 500: 1}),
                           headers={"Idempotency-Key": "count-1"})
    assert first.status_code == 201, first.text
    assert (first.json()["note_count"], first.json()["total_cents"]) == (3, 4500)
    again = kiosk_api.post(COUNTS, json=count(1, {2000: 2, 500: 1}),
                           headers={"Idempotency-Key": "count-1"})
    assert again.json() == first.json()
    other_key = kiosk_api.post(COUNTS, json=count(1, {2000: 2}),
                               headers={"Idempotency-Key": "count-1b"})
    assert (other_key.status_code, other_key.json()["code"]) == (409,
                                                                 "cassette_already_counted")
    # Cassette 2 held a note the kiosk never saw in escrow (cleared in at power-up).
    assert kiosk_api.post(COUNTS, json=count(2, {1000: 1, 500: 1}),
                          headers={"Idempotency-Key": "count-2"}).status_code == 201

    report = kiosk_api.get("/v1/admin/cash-report", params={"date": "2026-01-15"},
                           headers=supervisor_headers)
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["facility_id"] == "harbor-county-jail"
    assert body["balanced"] is False
    [one, two] = body["cassettes"]
    assert (one["cassette"], one["stacked_cents"], one["credited_cents"], one["flagged"]) == (
        1, 4500, 4500, False)
    assert one["credited_by_denomination"] == {"500": 1, "2000": 2}
    assert (two["difference_cents"], two["flagged"]) == (500, True)
    other_day = kiosk_api.get("/v1/admin/cash-report", params={"date": "2026-01-14"},
                              headers=supervisor_headers).json()
    assert other_day["cassettes"] == []
    assert other_day["balanced"] is True

    cli = subprocess.run(
        [sys.executable, "-m", "central.cli", "cash", "--db", seeded_url, "--facility",
         "harbor-county-jail", "--date", "2026-01-15"],
        capture_output=True, text=True, timeout=60, check=False)
    assert cli.returncode == 1, cli.stderr
    lines = cli.stdout.splitlines()
    assert any("DIFFERENCE" in line and "5.00" in line for line in lines), cli.stdout
    assert any(" 45.00" in line and "ok" in line for line in lines), cli.stdout


def test_the_report_is_for_supervisors_and_bad_dates_are_problems(
    kiosk_api: TestClient, supervisor_headers: dict[str, str],
) -> None:
    clerk_less = kiosk_api.get("/v1/admin/cash-report", params={"date": "2026-01-15"})
    assert (clerk_less.status_code, clerk_less.json()["code"]) == (401, "session_required")
    bad = kiosk_api.get("/v1/admin/cash-report", params={"date": "15/01/2026"},
                        headers=supervisor_headers)
    assert (bad.status_code, bad.json()["field"]) == (422, "date")
    impossible = kiosk_api.get("/v1/admin/cash-report", params={"date": "2026-02-30"},
                               headers=supervisor_headers)
    assert (impossible.status_code, impossible.json()["code"]) == (422, "date_invalid")
    seconds = kiosk_api.get("/v1/admin/cash-report", params={"date": "0"},
                            headers=supervisor_headers)
    assert seconds.status_code == 422
    bad_count = kiosk_api.post(COUNTS, json={**count(1, {2000: 1}), "removed_at": "soon"},
                               headers={"Idempotency-Key": "x"})
    assert bad_count.status_code == 422
    assert bad_count.headers["content-type"] == PROBLEM
