"""Renewals at period end (rules 4-7): anniversary periods in the facility's time zone, one
charge per period even when runs repeat or crash, declines that end coverage for good, manual
expiry and its reminder, the scheduler and ``lobby-central renew``."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from central.app import create_app
from central.cli import main as cli_main
from central.kernel.clock import ManualClock
from central.mail.mailer import SmtpMailer
from central.mail.outbox import deliver_pending
from central.money.gateway import CardDetails, CardToken, ChargeResult, PaymentGateway, RefundResult
from central.money.gateway.models import GatewayCharge
from central.plans.models import Subscription, SubscriptionPeriod
from central.plans.renewals import CLAIM_STALE_AFTER, REMINDER_BEFORE_END, run_renewals
from central.scheduler import RenewalScheduler
from tests.central.family_support import DECLINE, EXPIRED_AT_CHARGE, Family
from tests.central.test_subscriptions import (
    at,
    buy,
    count,
    mail_keys,
    mail_text,
    one,
    renew,
    subscribe,
    travel,
)
from tests.support import CollectingHandler

CHICAGO = ZoneInfo("America/Chicago")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


def renewal_keys(app: FastAPI, subscription_id: str) -> list[str]:
    with app.state.services.db.transaction() as session:
        return sorted(session.scalars(select(GatewayCharge.idempotency_key).where(
            GatewayCharge.idempotency_key.startswith(f"renewal:{subscription_id}:"))))


def periods(app: FastAPI, subscription_id: str) -> list[tuple[datetime, datetime]]:
    with app.state.services.db.transaction() as session:
        rows = session.scalars(select(SubscriptionPeriod).where(
            SubscriptionPeriod.subscription_id == subscription_id)
            .order_by(SubscriptionPeriod.period_start))
        return [(p.period_start, p.period_end) for p in rows]


# --- rule 4 through renewals ------------------------------------------------------------------


def _renew_through(family: Family, app: FastAPI, clock: ManualClock, start: datetime,
                   renewals: int) -> list[str]:
    travel(family, clock, start)
    sub = subscribe(family)
    ends = [at(sub["period_end"])]
    for _ in range(renewals):
        clock.set(ends[-1])
        assert renew(app, clock).renewed == 1
        with app.state.services.db.transaction() as session:
            ends.append(session.get_one(Subscription, sub["id"]).current_period_end)
    assert [e for _s, e in periods(app, sub["id"])] == ends
    return [e.astimezone(CHICAGO).strftime("%Y-%m-%d %H:%M") for e in ends]


def test_month_end_anniversary_jan31_feb28_mar31(family: Family, app: FastAPI,
                                                 clock: ManualClock) -> None:
    ends = _renew_through(family, app, clock, local(2027, 1, 31, 18, 0), 3)
    assert ends == ["2027-02-28 18:00", "2027-03-31 18:00", "2027-04-30 18:00",
                    "2027-05-31 18:00"]


def test_leap_year_jan31_feb29_mar31(family: Family, app: FastAPI, clock: ManualClock) -> None:
    ends = _renew_through(family, app, clock, local(2028, 1, 31, 12, 0), 2)
    assert ends == ["2028-02-29 12:00", "2028-03-31 12:00", "2028-04-30 12:00"]


def test_periods_follow_the_facility_time_zone(family: Family, app: FastAPI,
                                               clock: ManualClock) -> None:
    """Jan 30, 8 pm in Chicago is Jan 31 in UTC: a UTC month would end Feb 28 02:00 UTC; the
    facility's month ends Feb 28, 8 pm Chicago (Mar 1 02:00 UTC), and keeps 8 pm across DST."""
    travel(family, clock, local(2026, 1, 30, 20, 0))
    sub = subscribe(family)
    assert at(sub["period_end"]) == datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    clock.set(datetime(2026, 2, 28, 2, 0, tzinfo=UTC))
    assert renew(app, clock).claimed == 0  # not due in the facility's time zone
    clock.set(at(sub["period_end"]))
    assert renew(app, clock).renewed == 1
    assert renewal_keys(app, sub["id"]) == [f"renewal:{sub['id']}:2026-03-01T02:00:00Z:1"]
    [_first, (_start, end)] = periods(app, sub["id"])
    assert end == local(2026, 3, 30, 20, 0) == datetime(2026, 3, 31, 1, 0, tzinfo=UTC)


# --- rule 5: automatic renewal ----------------------------------------------------------------


def test_auto_renewal_charges_once_and_resets_counters(family: Family, app: FastAPI,
                                                       clock: ManualClock) -> None:
    sub = subscribe(family)
    with app.state.services.db.transaction() as session:
        session.execute(update(Subscription).values(
            used_in_period=97, usage_reminder_sent_for=at(sub["period_start"])))
    clock.set(at(sub["period_end"]) + timedelta(minutes=1))
    first = renew(app, clock)
    assert (first.claimed, first.renewed) == (1, 1)
    assert renew(app, clock).claimed == 0  # a second run finds nothing due
    assert renewal_keys(app, sub["id"]) == [f"renewal:{sub['id']}:2026-02-15T17:00:00Z:1"]
    assert count(app, GatewayCharge) == 2  # purchase + one renewal
    with app.state.services.db.transaction() as session:
        renewed = session.get_one(Subscription, sub["id"])
        assert (renewed.period_index, renewed.used_in_period) == (1, 0)
        assert renewed.usage_reminder_sent_for is None and renewed.renewal_claim is None
        assert renewed.current_period_start == at(sub["period_end"])
    assert f"receipt:subscription:{sub['id']}:2026-02-15T17:00:00Z" in mail_keys(app)


class ChargesThenFails(PaymentGateway):
    """The real gateway, but the first ``failures`` charges raise after they went through, as if
    the server died between the charge and the commit."""

    def __init__(self, real: PaymentGateway, error: BaseException, failures: int = 1) -> None:
        self.real = real
        self.error = error
        self.failures = failures

    @property
    def name(self) -> str:
        return self.real.name

    def tokenize(self, card: CardDetails) -> CardToken:
        return self.real.tokenize(card)

    def describe(self, token: str) -> CardToken:
        return self.real.describe(token)

    def charge(self, token: str, amount_cents: int, idempotency_key: str) -> ChargeResult:
        result = self.real.charge(token, amount_cents, idempotency_key)
        if self.failures:
            self.failures -= 1
            raise self.error
        return result

    def find_charge(self, idempotency_key: str, charge_id: str | None = None
                    ) -> ChargeResult | None:
        return self.real.find_charge(idempotency_key, charge_id)

    def refund(self, charge_id: str, amount_cents: int, idempotency_key: str) -> RefundResult:
        return self.real.refund(charge_id, amount_cents, idempotency_key)


def test_a_failure_after_the_charge_is_retried_without_charging_twice(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    sub = subscribe(family)
    services = app.state.services
    clock.set(at(sub["period_end"]))
    flaky = ChargesThenFails(services.gateway, ConnectionError("connection reset"))
    failed = run_renewals(services.db, flaky, clock, worker_id="w1")
    assert (failed.claimed, failed.failed, failed.renewed) == (1, 1, 0)
    assert len(periods(app, sub["id"])) == 1  # nothing committed, the claim released
    again = run_renewals(services.db, services.gateway, clock, worker_id="w1")
    assert again.renewed == 1
    assert len(renewal_keys(app, sub["id"])) == 1 and count(app, GatewayCharge) == 2
    assert len(periods(app, sub["id"])) == 2


class ProcessDied(BaseException):
    """Escapes every handler, like a killed process: nothing after it runs."""


def test_a_process_dying_after_the_charge_leaves_a_claim_that_goes_stale(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    sub = subscribe(family)
    services = app.state.services
    clock.set(at(sub["period_end"]))
    with pytest.raises(ProcessDied):
        run_renewals(services.db, ChargesThenFails(services.gateway, ProcessDied()), clock,
                     worker_id="dead", wall_clock=clock)
    with services.db.transaction() as session:
        assert session.get_one(Subscription, sub["id"]).renewal_claim == "dead"
    assert run_renewals(services.db, services.gateway, clock, worker_id="w2",
                        wall_clock=clock).claimed == 0
    clock.advance(CLAIM_STALE_AFTER + timedelta(seconds=1))
    taken_over = run_renewals(services.db, services.gateway, clock, worker_id="w2",
                              wall_clock=clock)
    assert taken_over.renewed == 1
    assert len(renewal_keys(app, sub["id"])) == 1 and count(app, GatewayCharge) == 2
    assert len(periods(app, sub["id"])) == 2


@pytest.mark.parametrize(
    ("number", "reason"),
    [(DECLINE, "the renewal payment was declined"),
     (EXPIRED_AT_CHARGE, "the card on file has expired")],
)
def test_decline_at_renewal_ends_coverage_for_good_and_says_so(
    family: Family, app: FastAPI, clock: ManualClock,
    smtp_server: tuple[CollectingHandler, int], number: str, reason: str,
) -> None:
    handler, port = smtp_server
    sub = subscribe(family)
    family.deposit(1500)
    family.add_card(number)  # replaces the card that paid the first period
    clock.set(at(sub["period_end"]) + timedelta(minutes=2))
    report = renew(app, clock)
    assert (report.expired, report.renewed) == (1, 0)
    with app.state.services.db.transaction() as session:
        ended = session.get_one(Subscription, sub["id"])
        assert ended.status.value == "expired" and ended.ended_at == at(sub["period_end"])
        assert ended.current_period_end == at(sub["period_end"])  # no new period
    mailer = SmtpMailer("127.0.0.1", port, "Lobby <lobby@example.org>", timeout=5, clock=clock)
    assert deliver_pending(app.state.services.db, mailer, clock) >= 1
    [notice] = [m.message for m in handler.messages
                if "has ended" in str(m.message["Subject"])]
    assert notice["To"].addresses[0].addr_spec == "rosa.martinez@example.org"
    text = notice.get_body(("plain",)).get_content()
    assert reason in text
    # Calls fall back to AdvanceConnect at the facility's rates (Harbor: 9c audio, 19c video).
    assert "Phone calls, in-state: $0.09 per minute" in text
    assert "Video calls, out of state: $0.19 per minute" in text
    assert "AdvanceConnect balance: $15.00" in text
    # Never revived: not by later runs, not by the family.
    clock.advance(timedelta(days=40))
    assert renew(app, clock).claimed == 0
    travel(family, clock, clock.now())
    for action in ("cancel", "resume"):
        assert family.post(f"/subscriptions/{sub['id']}/{action}").json()["code"] == (
            "subscription_ended")
    assert family.post(f"/subscriptions/{sub['id']}/renewal",
                       {"renewal_mode": "manual"}).json()["code"] == "subscription_ended"
    assert one(family, sub["id"])["status"] == "expired"
    family.add_card()
    card_id = family.get("/payment-methods").json()[0]["id"]
    assert buy(family, card_id=card_id).status_code == 201  # signing up again is fine


def test_no_card_at_renewal_expires(family: Family, app: FastAPI, clock: ManualClock) -> None:
    sub = subscribe(family)
    removed = family.api.delete(family.url(f"/payment-methods/{sub['card']['payment_method_id']}"),
                                headers=family.headers)
    assert removed.status_code == 204
    clock.set(at(sub["period_end"]))
    assert renew(app, clock).expired == 1
    assert "payment was declined" in mail_text(app, "coverage-ended:")


def test_renewal_after_a_long_outage_bills_the_current_period_only(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    sub = subscribe(family)  # Jan 15; renewals then do not run until Apr 20
    clock.set(datetime(2026, 4, 20, tzinfo=UTC))
    assert renew(app, clock).renewed == 1
    # The key names the period that ended (not the run's time); the period paid is today's.
    [key] = renewal_keys(app, sub["id"])
    assert key == f"renewal:{sub['id']}:2026-02-15T17:00:00Z:1"
    assert periods(app, sub["id"])[-1][0] == datetime(2026, 4, 15, 16, 0, tzinfo=UTC)
    with app.state.services.db.transaction() as session:
        renewed = session.get_one(Subscription, sub["id"])
        assert renewed.period_index == 3
        assert renewed.current_period_end == local(2026, 5, 15, 11, 0)


# --- rule 6: manual renewal -------------------------------------------------------------------


def test_manual_subscription_expires_unless_renewed_with_one_reminder(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    sub = subscribe(family, mode="manual")
    auto = subscribe(family, "harbor-county-jail:video-8", mode="auto")
    end = at(sub["period_end"])
    clock.set(end - REMINDER_BEFORE_END - timedelta(minutes=1))
    assert renew(app, clock).reminders == 0  # too early
    clock.set(end - REMINDER_BEFORE_END + timedelta(minutes=1))
    assert renew(app, clock).reminders == 1
    assert renew(app, clock).reminders == 0  # once per period
    keys = mail_keys(app)
    assert f"renewal-reminder:{sub['id']}:2026-01-15T17:00:00Z" in keys
    assert not any(k.startswith(f"renewal-reminder:{auto['id']}") for k in keys)
    assert "renew it for $39.99" in mail_text(app, "renewal-reminder:")
    clock.set(end)
    report = renew(app, clock)
    assert (report.expired, report.renewed) == (1, 1)  # the manual one ends, auto renews
    with app.state.services.db.transaction() as session:
        expired = session.get_one(Subscription, sub["id"])
        assert expired.status.value == "expired" and expired.ended_at == end
    assert renewal_keys(app, sub["id"]) == []
    assert "it was not renewed" in mail_text(app, f"coverage-ended:{sub['id']}")


def test_no_reminder_once_renewed_now_or_marked_to_cancel(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    renewed = subscribe(family, mode="manual")
    travel(family, clock, timedelta(days=1))
    assert family.post(f"/subscriptions/{renewed['id']}/renew-now", key="rn").status_code == 200
    clock.set(at(renewed["period_end"]) - timedelta(days=1))
    assert renew(app, clock).reminders == 0


# --- the scheduler and the command line -------------------------------------------------------


def test_scheduler_renews_and_delivers_mail_then_stops(
    family: Family, app: FastAPI, clock: ManualClock,
    smtp_server: tuple[CollectingHandler, int],
) -> None:
    handler, port = smtp_server
    sub = subscribe(family)
    clock.set(at(sub["period_end"]))
    services = app.state.services
    mailer = SmtpMailer("127.0.0.1", port, "lobby@example.org", timeout=5, clock=clock)
    scheduler = RenewalScheduler(services.db, services.gateway, mailer, clock, 0.05)
    scheduler.start()
    try:
        deadline = time.monotonic() + 20
        while scheduler.rounds < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        scheduler.stop()
    assert not scheduler.running and scheduler.rounds >= 2
    assert len(renewal_keys(app, sub["id"])) == 1
    subjects = [str(m.message["Subject"]) for m in handler.messages]
    assert sum(s.startswith("Receipt: Call Subscription") for s in subjects) == 2


def test_app_runs_the_scheduler_only_when_asked(seeded_url: str, clock: ManualClock) -> None:
    quiet = create_app(seeded_url, clock)
    with TestClient(quiet):
        assert quiet.state.scheduler is None
    busy = create_app(seeded_url, clock, scheduler_interval_seconds=3600)
    with TestClient(busy):
        assert busy.state.scheduler.running
    assert not busy.state.scheduler.running
    for application in (quiet, busy):
        application.state.services.db.dispose()


def test_renew_command_runs_once_as_of_a_time(
    family: Family, app: FastAPI, seeded_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sub = subscribe(family)
    assert cli_main(["renew", "--db", seeded_url, "--as-of", "2026-02-01T00:00:00Z"]) == 0
    assert "0 due" in capsys.readouterr().out
    assert cli_main(["renew", "--db", seeded_url, "--as-of", sub["period_end"]]) == 0
    out = capsys.readouterr().out.strip()
    assert out == (f"renewals as of {sub['period_end']}: 1 due, 1 renewed, 0 expired, "
                   "0 canceled, 0 skipped, 0 failed, 0 reminders queued")
    assert len(renewal_keys(app, sub["id"])) == 1
    assert cli_main(["renew", "--db", seeded_url, "--as-of", "2026-02-01 00:00"]) == 2
    assert cli_main(["renew", "--db", seeded_url, "--as-of", "tomorrow"]) == 2
    assert "ISO time" in capsys.readouterr().err


def test_renew_command_delivers_mail_when_given_a_folder(
    family: Family, seeded_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sub = subscribe(family, mode="manual")
    folder = tmp_path / "renewal-mail"
    assert cli_main(["renew", "--db", seeded_url, "--as-of", sub["period_end"],
                     "--mail-dir", str(folder)]) == 0
    assert "1 expired" in capsys.readouterr().out
    names = sorted(p.name for p in folder.glob("*.eml"))
    assert len(names) == 2  # the purchase receipt and the coverage-ended notice


def test_serve_chooses_the_mailer(seeded_url: str, tmp_path: Path) -> None:
    import argparse

    from central.cli import _mailer
    from central.mail.mailer import EmlFolderMailer

    def options(**given: object) -> argparse.Namespace:
        return argparse.Namespace(**{"smtp": None, "mail_dir": None, **given})

    smtp = _mailer(options(smtp="127.0.0.1:2525"), seeded_url)
    assert isinstance(smtp, SmtpMailer) and (smtp.host, smtp.port) == ("127.0.0.1", 2525)
    folder = _mailer(options(mail_dir=tmp_path / "out"), seeded_url)
    assert isinstance(folder, EmlFolderMailer) and folder.folder == tmp_path / "out"
    beside = _mailer(options(), "sqlite:///" + str(tmp_path / "central.sqlite3"))
    assert isinstance(beside, EmlFolderMailer) and beside.folder == tmp_path / "mail"
    assert cli_main(["serve", "--db", seeded_url, "--smtp", "no-port"]) == 2
