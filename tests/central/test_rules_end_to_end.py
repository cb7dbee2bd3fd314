"""Rules that span several parts of the server, exercised through the API alone: a deposit
is receipted by e-mail (delivered to a real SMTP server), and a declined renewal ends
coverage so the next call is charged to AdvanceConnect (rule 5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI

from central.kernel.clock import ManualClock
from central.mail.mailer import SmtpMailer
from central.mail.outbox import deliver_pending
from central.plans.quote import TERMS_VERSION
from central.plans.renewals import run_renewals
from tests.central.family_support import DECLINE, Family, new_key, sign_in
from tests.central.rating_support import authorized, rate
from tests.support import CollectingHandler

pytestmark = pytest.mark.usefixtures("call_platform")


def test_a_deposit_is_receipted_by_email(
    family: Family, app: FastAPI, clock: ManualClock,
    smtp_server: tuple[CollectingHandler, int],
) -> None:
    handler, port = smtp_server
    family.add_card()
    assert family.deposit(2500).status_code == 201
    services = app.state.services
    mailer = SmtpMailer("127.0.0.1", port, "lobby@example.org", timeout=5, clock=clock)
    assert deliver_pending(services.db, mailer, clock) == 1
    [received] = handler.messages
    assert received.rcpt_tos == ["rosa.martinez@example.org"]
    text = received.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "$25.00" in text and "4242" in text and "4242424242424242" not in text


def test_rule5_a_declined_renewal_moves_calls_to_advance_connect(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    services = app.state.services
    card = family.add_card()
    choice = {"plan_id": "harbor-county-jail:call-100", "renewal_mode": "auto"}
    quoted = family.post("/subscriptions/quote", choice).json()
    bought = family.post("/subscriptions", {
        **choice, "payment_method_id": card["id"], "terms_version": TERMS_VERSION,
        "accept_terms": True, "quoted_total_cents": quoted["price_cents"]}, new_key("sub"))
    assert bought.status_code == 201, bought.text
    covered = authorized(family.api, "covered")
    assert covered["calls_remaining"] == 99
    assert family.deposit(1000).status_code == 201
    # The family replaces the card for renewals with one that will be declined (rule 7:
    # the change waits for the period end, where the renewal charges it).
    declining = family.add_card(DECLINE)
    change = family.post(f"/subscriptions/{bought.json()['id']}/renewal",
                         {"renewal_mode": "auto", "payment_method_id": declining["id"]})
    assert change.status_code == 200, change.text

    clock.advance(timedelta(days=32))  # past the period end: the renewal is due
    report = run_renewals(services.db, services.gateway, clock, worker_id="t")
    assert report.expired == 1, report.summary()
    family.token = sign_in(family.api).json()["token"]
    [ended] = family.get("/subscriptions").json()
    assert ended["status"] == "expired"

    charged = authorized(family.api, "charged")
    assert charged["cents_per_minute"] == 9
    assert rate(family.api, charged["call_id"], 125).json()["charged_cents"] == 27  # 3 min
    assert family.get().json()["balance_cents"] == 1000 - 27
