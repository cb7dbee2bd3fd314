"""``lobby-central``: migrate, seed, serve, issue kiosk enrollment codes and call-platform
tokens, revoke them, add staff."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir

from central.db.engine import Database
from central.identity.limits import Limits
from central.kernel.clock import Clock, DemoClock, SystemClock

if TYPE_CHECKING:
    from central.kernel.idempotency import Idempotency
    from central.mail.mailer import Mailer
    from central.money.gateway import PaymentGateway
    from central.money.gateway.sandbox_reader import ReaderTiming

log = logging.getLogger("central")


def default_database_url() -> str:
    env = os.environ.get("LOBBY_CENTRAL_DB")
    if env:
        return env
    folder = Path(user_data_dir("lobby-central", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'central.sqlite3'}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lobby-central", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=None,
        help="SQLAlchemy database URL (default: $LOBBY_CENTRAL_DB or a SQLite file "
        "in the user data folder)",
    )
    charging = argparse.ArgumentParser(add_help=False)
    charging.add_argument(
        "--gateway", choices=("sandbox", "stripe"), default=None,
        help="the card processor (default: $LOBBY_CENTRAL_GATEWAY, else sandbox); stripe "
        "reads LOBBY_STRIPE_* (docs/payments.md)")
    charging.add_argument(
        "--charge-tries", type=int, default=None, metavar="N",
        help="failures of a charge's effect before it waits for a person (default: "
        "$LOBBY_CENTRAL_CHARGE_TRIES, else 5; see `charges --attention`)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", parents=[common], help="create or upgrade the schema")
    sub.add_parser("seed-demo", parents=[common],
                   help="load the demo facilities, staff member and family")
    serve = sub.add_parser("serve", parents=[common, charging], help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8750)
    serve.add_argument("--scheduler-interval", type=float, default=60.0, metavar="SECONDS",
                       help="run renewals and deliver e-mail this often (0 disables; "
                       "default 60)")
    serve.add_argument("--demo-clock", metavar="ISO_TIME", default=None,
                       help="demos only (SQLite): start the server's clock at this time, e.g. "
                       "2027-01-31T18:00:00Z; a supervisor moves it forward with POST "
                       "/v1/admin/demo-clock, and /healthz shows it")
    serve.add_argument("--sign-in-limit", type=int, default=None, metavar="N",
                       help="family and staff sign-ins per kiosk per minute (default 30)")
    serve.add_argument("--sign-up-limit", type=int, default=None, metavar="N",
                       help="new accounts per kiosk per minute (default 10)")
    serve.add_argument("--simulated-reader-seconds", type=float, default=None,
                       metavar="SECONDS",
                       help="sandbox gateway only: how long the simulated card reader waits "
                       "for the family's card (default 2; reading it takes half as long)")
    _mail_options(serve)
    renew = sub.add_parser("renew", parents=[common, charging],
                           help="run subscription renewals once, as of a given time")
    renew.add_argument("--as-of", required=True, metavar="ISO_TIME",
                       help="the time to renew as of, with its offset, e.g. "
                       "2026-02-15T06:00:00Z")
    renew.add_argument("--limit", type=int, default=None,
                       help="most subscriptions to process (default: every one due)")
    _mail_options(renew, "deliver queued e-mail after the run (by default it waits for the "
                  "server's scheduler)")
    reconcile = sub.add_parser(
        "reconcile", parents=[common, charging],
        help="settle card charges a crash left pending (apply their effect or refund), once")
    reconcile.add_argument("--older-than", type=float, default=180.0, metavar="SECONDS",
                           help="only charges pending at least this long (default 180)")
    charges = sub.add_parser(
        "charges", parents=[common, charging],
        help="card charges whose effect kept failing: list them, retry or refund one")
    what = charges.add_mutually_exclusive_group(required=True)
    what.add_argument("--attention", action="store_true",
                      help="list the charges that need a person, oldest first")
    what.add_argument("--retry", metavar="CHARGE_ID",
                      help="apply the charge's effect again with the gateway's recorded answer")
    what.add_argument("--refund", metavar="CHARGE_ID",
                      help="give the card back the whole charge (once, whoever asks)")
    charges.add_argument("--facility", default=None, help="with --attention: only this "
                         "facility's charges")
    charges.add_argument("--by", default=None, metavar="NAME",
                         help="with --retry or --refund: who does it (recorded)")
    charges.add_argument("--idempotency-key", default=None, metavar="KEY",
                         help="with --retry or --refund: the same key again repeats "
                         "nothing and prints the first answer (default: a new key)")
    code = sub.add_parser("kiosk-code", parents=[common], help="print a one-time enrollment code")
    code.add_argument("--facility", required=True, help="facility ID, e.g. harbor-county-jail")
    platform = sub.add_parser(
        "platform-token", parents=[common],
        help="print a new bearer token for a facility's call platform (shown once)",
    )
    platform.add_argument("--facility", required=True, help="facility ID")
    platform.add_argument("--name", default="call platform", help="a name for the client")
    reader = sub.add_parser("reader-add", parents=[common, charging],
                            help="register (or replace) the card reader of a kiosk")
    reader.add_argument("--kiosk", required=True, help="the kiosk's id (lobby-central kiosks)")
    reader.add_argument("--reader", required=True,
                        help="the processor's reader id: tmr_... (Stripe), sim_... (sandbox)")
    reader.add_argument("--label", default=None, help="a name for the reader")
    kiosks = sub.add_parser("kiosks", parents=[common],
                            help="list the lobby kiosks: last heartbeat, quiet ones, service")
    kiosks.add_argument("--facility", default=None, help="only this facility's kiosks")
    audit = sub.add_parser("audit-events", parents=[common],
                           help="list what staff did at the kiosks, newest first")
    audit.add_argument("--facility", default=None, help="only this facility's kiosks")
    audit.add_argument("--kiosk", default=None, metavar="ID", help="only this kiosk")
    audit.add_argument("--staff", default=None, metavar="ID", help="only this staff member")
    audit.add_argument("--since", default=None, metavar="ISO_TIME",
                       help="only events at or after this time, with its offset")
    audit.add_argument("--limit", type=int, default=50, help="most events (default 50)")
    cash = sub.add_parser("cash", parents=[common],
                          help="the cash box report: notes stacked against cash credited, "
                          "per kiosk and cassette (exit status 1 when they differ)")
    cash.add_argument("--facility", required=True, help="facility ID")
    cash.add_argument("--date", required=True, metavar="YYYY-MM-DD",
                      help="the facility's own date")
    revoke = sub.add_parser(
        "revoke", parents=[common],
        help="revoke a kiosk's or call platform's token (it is refused with 401 from then on)",
    )
    which = revoke.add_mutually_exclusive_group(required=True)
    which.add_argument("--client", metavar="ID", help="the kiosk's or call platform's id")
    which.add_argument("--token-stdin", action="store_true",
                       help="read the token itself from stdin (never put it on the command line)")
    staff = sub.add_parser("staff-add", parents=[common],
                           help="add a staff member; the PIN is read from stdin")
    staff.add_argument("--badge", required=True, help="badge id")
    staff.add_argument("--name", required=True)
    staff.add_argument("--role", required=True, choices=["clerk", "supervisor"])
    staff.add_argument("--facility", required=True,
                       help="facility ID the member works for (a supervisor changes its prices)")
    simulate = sub.add_parser("simulate-calls", parents=[common],
                              help="place calls to a family's phone through call rating (demo)")
    simulate.add_argument("--phone", required=True, help="the dialed number, E.164")
    simulate.add_argument("--facility", required=True, help="facility ID the calls come from")
    simulate.add_argument("--calls", type=int, required=True, help="how many calls")
    simulate.add_argument("--minutes", type=int, default=None,
                          help="started minutes per call (default: random lengths)")
    simulate.add_argument("--destination", default="in_state",
                          choices=["in_state", "interstate", "international"])
    simulate.add_argument("--kind", default="audio", choices=["audio", "video"])
    simulate.add_argument("--seed", type=int, default=0, help="for repeatable call lengths")
    return parser


def _mail_options(parser: argparse.ArgumentParser, note: str = "") -> None:
    group = parser.add_argument_group("e-mail", note or None)
    group.add_argument("--smtp", metavar="HOST:PORT", default=None,
                       help="send e-mail through this SMTP server")
    group.add_argument("--mail-dir", metavar="DIR", type=Path, default=None,
                       help="write e-mail as .eml files here (default: a 'mail' folder next "
                       "to a SQLite database, else the temp dir)")


def _mailer(args: argparse.Namespace, url: str) -> Mailer:
    from sqlalchemy.engine import make_url

    from central.app import DEFAULT_MAIL_DIR
    from central.mail.mailer import EmlFolderMailer, SmtpMailer

    if args.smtp:
        host, _, port = str(args.smtp).rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"--smtp wants HOST:PORT, got {args.smtp!r}")
        return SmtpMailer(host, int(port))
    folder: Path | None = args.mail_dir
    if folder is None:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "",
                                                                            ":memory:"):
            folder = Path(str(parsed.database)).resolve().parent / "mail"
        else:
            folder = DEFAULT_MAIL_DIR
    return EmlFolderMailer(folder)


def _limits(args: argparse.Namespace) -> Limits:
    """The per-kiosk rates for this deployment (a load or endurance test raises them)."""
    limits = Limits()
    for name in ("sign_in", "sign_up"):
        wanted: int | None = getattr(args, f"{name}_limit")
        if wanted is not None:
            if wanted < 1:
                raise ValueError(f"--{name.replace('_', '-')}-limit must be at least 1")
            limits = replace(limits, **{name: replace(getattr(limits, name), requests=wanted)})
    return limits


def _reader_timing(args: argparse.Namespace) -> ReaderTiming | None:
    """The simulated reader's pace, when asked for (an endurance run pays a thousand times)."""
    from central.money.gateway.sandbox_reader import ReaderTiming

    seconds: float | None = args.simulated_reader_seconds
    if seconds is None:
        return None
    if not 0 < seconds <= 60:
        raise ValueError("--simulated-reader-seconds must be above 0 and at most 60")
    return ReaderTiming(present_after=seconds, read_seconds=seconds / 2)


def _demo_clock(start: str) -> DemoClock:
    try:
        when = datetime.fromisoformat(start)
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise ValueError("--demo-clock wants an ISO time with its offset, e.g. "
                         "2027-01-31T18:00:00Z")
    return DemoClock(when)


def _renew(args: argparse.Namespace, url: str) -> int:
    from central.app import register_charge_effects
    from central.kernel.clock import ManualClock
    from central.mail.outbox import deliver_pending
    from central.money.gateway.choice import build_gateway
    from central.plans.renewals import run_renewals
    from central.scheduler import worker_name

    try:
        as_of = datetime.fromisoformat(args.as_of)
    except ValueError:
        as_of = None
    if as_of is None or as_of.tzinfo is None:
        sys.stderr.write("lobby-central: --as-of wants an ISO time with its offset, e.g. "
                         "2026-02-15T06:00:00Z\n")
        return 2
    clock = ManualClock(as_of)
    db = Database(url)
    try:
        # A renewal whose period was taken meanwhile is refunded; one whose effect keeps
        # failing is set aside for a person after --charge-tries.
        register_charge_effects(tries=args.charge_tries)
        report = run_renewals(db, build_gateway(db, clock, args.gateway), clock,
                              worker_id=worker_name(), limit=args.limit)
        if args.smtp or args.mail_dir:
            deliver_pending(db, _mailer(args, url), clock)
    except ValueError as exc:
        sys.stderr.write(f"lobby-central: {exc}\n")
        return 2
    finally:
        db.dispose()
    sys.stdout.write(report.summary() + "\n")
    return 1 if report.failed else 0


def _print_fleet(url: str, facility_id: str | None) -> int:
    from central.fleet.services import fleet

    db = Database(url)
    try:
        with db.transaction() as session:
            entries = fleet(session, SystemClock().now(), facility_id)
    finally:
        db.dispose()
    sys.stdout.write(f"{'kiosk':<24} {'facility':<24} {'last heartbeat':<20} "
                     f"{'outbox':>6}  {'printer':<16} {'keyring':<11} {'notes':<10} service\n")
    for entry in entries:
        beat = entry.reported_at.strftime("%Y-%m-%d %H:%M") if entry.reported_at else "never"
        flag = " QUIET" if entry.quiet else ""
        service = "in service" if entry.in_service else (
            f"OUT: {entry.out_of_service_reason}")
        sys.stdout.write(
            f"{entry.name[:24]:<24} {entry.facility_id[:24]:<24} {beat + flag:<20} "
            f"{entry.outbox_depth if entry.outbox_depth is not None else '-':>6}  "
            f"{entry.printer or '-':<16} {entry.keyring or '-':<11} "
            f"{entry.acceptor or '-':<10} {service}\n")
    return 0

def _print_audit(args: argparse.Namespace, url: str) -> int:
    """The same rows as ``GET /v1/admin/audit-events``, for an operator at the server."""
    from datetime import datetime

    from central.fleet.audit import AuditFilter, audit_events

    try:
        since = datetime.fromisoformat(args.since) if args.since else None
    except ValueError:
        since = None
    if args.since and (since is None or since.tzinfo is None):
        sys.stderr.write("lobby-central: --since needs an ISO time with its offset\n")
        return 2
    where = AuditFilter(facility_id=args.facility, kiosk_id=args.kiosk, staff_id=args.staff,
                        since=since)
    db = Database(url)
    try:
        with db.read() as session:
            page = audit_events(session, where, max(1, args.limit))
    finally:
        db.dispose()
    sys.stdout.write(f"{'occurred (UTC)':<17} {'kiosk':<32} {'staff':<32} event / detail\n")
    for event in page.events:
        sys.stdout.write(f"{event.occurred_at.strftime('%Y-%m-%d %H:%M'):<17} "
                         f"{event.kiosk_id:<32} {event.staff_id:<32} {event.event} "
                         f"{event.detail}\n")
    return 0


def _print_cash(args: argparse.Namespace, url: str) -> int:
    """The same report as ``GET /v1/admin/cash-report`` (docs/cash.md)."""
    from datetime import date

    from central.kernel.problems import ProblemError
    from central.money.cash import cash_report

    try:
        day = date.fromisoformat(args.date)
    except ValueError:
        sys.stderr.write("lobby-central: --date needs YYYY-MM-DD\n")
        return 2
    db = Database(url)
    try:
        with db.read() as session:
            report = cash_report(session, args.facility, day)
    except ProblemError as exc:
        sys.stderr.write(f"lobby-central: {exc.problem.title}: {args.facility}\n")
        return 2
    finally:
        db.dispose()
    sys.stdout.write(f"{'kiosk':<24} {'cassette':>8} {'stacked':>16} {'credited':>16} "
                     f"{'in doubt':>8}  result\n")
    for line in report.cassettes:
        result = ("not counted yet" if not line.counted else
                  f"DIFFERENCE {line.difference_cents / 100:.2f}" if line.flagged else "ok")
        sys.stdout.write(
            f"{(line.kiosk_name or line.kiosk_id)[:24]:<24} {line.cassette:>8} "
            f"{line.stacked_notes:>5} {line.stacked_cents / 100:>10.2f} "
            f"{line.credited_notes:>5} {line.credited_cents / 100:>10.2f} "
            f"{line.in_doubt:>8}  {result}\n")
    sys.stdout.write("balanced\n" if report.balanced else "NOT balanced\n")
    return 0 if report.balanced else 1


def _reconcile(args: argparse.Namespace, url: str) -> int:
    from datetime import timedelta

    from central.app import register_charge_effects
    from central.money.gateway.choice import build_gateway
    from central.money.reconciler import reconcile

    clock = SystemClock()
    db = Database(url)
    try:
        register_charge_effects(tries=args.charge_tries)
        gateway = build_gateway(db, clock, args.gateway)
    except ValueError as exc:  # a missing or wrong gateway setting: say so, charge nothing
        db.dispose()
        sys.stderr.write(f"lobby-central: {exc}\n")
        return 2
    try:
        report = reconcile(db, gateway, clock,
                           older_than=timedelta(seconds=max(0.0, args.older_than)))
    finally:
        db.dispose()
    sys.stdout.write(report.summary() + "\n")
    return 1 if report.failed else 0


def _charges(args: argparse.Namespace, url: str) -> int:
    """``charges --attention`` lists what ``GET /v1/admin/charges/attention`` lists (every
    facility's, for the operator); ``--retry``/``--refund`` act as a supervisor's request
    does, recorded as ``operator:<--by>``."""
    import json
    import uuid

    from central.app import register_charge_effects
    from central.kernel.idempotency import Idempotency
    from central.kernel.problems import ProblemError
    from central.money.attention import ActOnCharge, Actor, act_on_charge, needing_attention
    from central.money.gateway import GatewayError
    from central.money.gateway.choice import build_gateway
    from central.money.models import ChargeActionKind

    clock = SystemClock()
    db = Database(url)
    try:
        if args.attention:
            with db.read() as session:
                waiting = needing_attention(session, args.facility, limit=1000)
            sys.stdout.write(f"{len(waiting)} charges need attention\n")
            for item in waiting:
                since = item.attention_since.strftime("%Y-%m-%d %H:%M") if (
                    item.attention_since) else "-"
                sys.stdout.write(
                    f"{item.id}  {item.purpose:<12} {item.amount_cents:>7} c  "
                    f"{item.gateway}:{item.gateway_charge_id or '-'}  "
                    f"{'approved' if item.approved else 'declined ' + str(item.decline_code)}"
                    f"  facility {item.facility_id or '?'}  since {since}  "
                    f"{item.effect_failures} failures\n    reason: {item.reason}\n")
            return 0
        if not args.by:
            sys.stderr.write("lobby-central: --retry and --refund need --by NAME (recorded)\n")
            return 2
        register_charge_effects(tries=args.charge_tries)
        gateway = build_gateway(db, clock, args.gateway)
        action = ChargeActionKind.RETRY if args.retry else ChargeActionKind.REFUND
        ports = _CliPorts(db, clock, Idempotency(db, clock), gateway)
        stored = act_on_charge(ActOnCharge(
            args.retry or args.refund, action, Actor(who=f"operator:{args.by}"),
            args.idempotency_key or f"cli:{uuid.uuid4()}"), ports)
    except ProblemError as exc:
        sys.stderr.write(f"lobby-central: {exc.problem.code}: {exc.problem.detail or ''}\n")
        return 1
    except (GatewayError, ValueError) as exc:
        sys.stderr.write(f"lobby-central: {exc}\n")
        return 2
    finally:
        db.dispose()
    sys.stdout.write(json.dumps(stored.body, indent=2) + "\n")
    return 0


@dataclass(frozen=True)
class _CliPorts:
    """What a money handler needs, for a command run at the server."""

    db: Database
    clock: Clock
    idempotency: Idempotency
    gateway: PaymentGateway


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    url: str = args.db or default_database_url()
    if args.command == "migrate":
        from central.db.migrate import upgrade

        upgrade(url)
        log.info("schema is up to date")
        return 0
    if args.command == "seed-demo":
        from central.seed import seed_demo, seed_demo_family

        db = Database(url)
        try:
            log.info("demo data %s", "loaded" if seed_demo(db) else "already present")
            log.info("demo family %s", "loaded" if seed_demo_family(db) else "already present")
        finally:
            db.dispose()
        return 0
    if args.command == "platform-token":
        from central.identity.kiosks import issue_call_platform_token

        db = Database(url)
        try:
            token = issue_call_platform_token(db, SystemClock(), args.facility, args.name)
        except LookupError as exc:
            sys.stderr.write(f"lobby-central: {exc}\n")
            return 2
        finally:
            db.dispose()
        sys.stdout.write(token + "\n")
        return 0
    if args.command == "revoke":
        return _revoke(args, url)
    if args.command == "reader-add":
        return _reader_add(args, url)
    if args.command == "kiosk-code":
        from central.identity.kiosks import issue_enrollment_code

        db = Database(url)
        try:
            code = issue_enrollment_code(db, SystemClock(), args.facility)
        except LookupError as exc:
            sys.stderr.write(f"lobby-central: {exc}\n")
            return 2
        finally:
            db.dispose()
        sys.stdout.write(code + "\n")
        return 0
    if args.command == "kiosks":
        return _print_fleet(url, args.facility)
    if args.command == "audit-events":
        return _print_audit(args, url)
    if args.command == "cash":
        return _print_cash(args, url)
    if args.command == "staff-add":
        from central.identity.auth import add_staff_member
        from central.identity.models import StaffRole

        pin = sys.stdin.readline().strip()
        db = Database(url)
        try:
            staff_id = add_staff_member(db, SystemClock(), args.badge, args.name,
                                        StaffRole(args.role), pin, facility_id=args.facility)
        except ValueError as exc:
            sys.stderr.write(f"lobby-central: {exc}\n")
            return 2
        finally:
            db.dispose()
        log.info("staff member %s added (badge %s, %s at %s)", staff_id, args.badge, args.role,
                 args.facility)
        return 0
    if args.command == "simulate-calls":
        return _simulate_calls(args, url)
    if args.command == "renew":
        return _renew(args, url)
    if args.command == "reconcile":
        return _reconcile(args, url)
    if args.command == "charges":
        return _charges(args, url)
    if args.command == "serve":
        import uvicorn

        from central.app import create_app
        from central.money.gateway.choice import build_gateway
        from central.money.gateway.sandbox import crash_purposes_from_env

        try:
            mailer = _mailer(args, url)
            demo_clock = _demo_clock(args.demo_clock) if args.demo_clock else None
            clock: Clock = demo_clock or SystemClock()
            # The sandbox's crash hook (crash tests only, off unless
            # LOBBY_CENTRAL_TEST_CRASH_AFTER_APPROVAL is set) kills the process right after
            # an approval.
            gateway = build_gateway(Database(url), clock, args.gateway,
                                    crash_after_approval=crash_purposes_from_env())
            app = create_app(url, clock=clock, gateway=gateway, mailer=mailer,
                             limits=_limits(args), charge_tries=args.charge_tries,
                             scheduler_interval_seconds=max(0.0, args.scheduler_interval))
            timing = _reader_timing(args)
            if timing is not None:
                from central.money.gateway.reader_choice import build_reader_gateway

                if gateway.name != "sandbox":
                    raise ValueError("--simulated-reader-seconds is for the sandbox's "
                                     "simulated reader")
                services = app.state.services
                app.state.readers = build_reader_gateway(services.gateway, services.db,
                                                         services.clock, timing)
        except ValueError as exc:
            sys.stderr.write(f"lobby-central: {exc}\n")
            return 2
        if demo_clock is not None:
            log.warning("DEMO CLOCK: this server's time starts at %s and can be moved",
                        args.demo_clock)
        from central.identity.security import CHEAP_PIN_HASHES, cheap_pin_hashes

        if cheap_pin_hashes():
            log.warning("TESTS ONLY: %s=1, new PINs get argon2's cheapest hash; unset it "
                        "on any server families use", CHEAP_PIN_HASHES)
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
        return 0
    raise AssertionError(args.command)  # argparse's `required=True` rules this out


def _reader_add(args: argparse.Namespace, url: str) -> int:
    """Register a kiosk's card reader with the processor the server uses (docs/payments.md
    "The card reader")."""
    from central.kernel.problems import ProblemError
    from central.money.gateway.choice import build_gateway
    from central.money.gateway.reader_choice import ReadersUnsupported, build_reader_gateway
    from central.money.terminal import register_reader

    db = Database(url)
    clock = SystemClock()
    try:
        readers = build_reader_gateway(build_gateway(db, clock, args.gateway), db, clock)
        with db.transaction() as session:
            view = register_reader(session, readers, args.kiosk, None, args.reader,
                                   args.label, "cli", clock.now())
    except ProblemError as exc:
        sys.stderr.write(f"lobby-central: {exc.problem.title}: {exc.problem.detail or ''}\n")
        return 2
    except (ReadersUnsupported, ValueError) as exc:
        sys.stderr.write(f"lobby-central: {exc}\n")
        return 2
    finally:
        db.dispose()
    sys.stdout.write(f"kiosk {view.kiosk_id}: reader {view.reader_ref} ({view.label}) on "
                     f"{view.gateway}\n")
    return 0


def _revoke(args: argparse.Namespace, url: str) -> int:
    from central.identity.kiosks import revoke_client

    token = sys.stdin.readline().strip() if args.token_stdin else None
    if args.token_stdin and not token:
        sys.stderr.write("lobby-central: no token on stdin\n")
        return 2
    db = Database(url)
    try:
        revoked = revoke_client(db, SystemClock(), client_id=args.client, token=token)
    except LookupError as exc:
        sys.stderr.write(f"lobby-central: {exc}\n")
        return 2
    finally:
        db.dispose()
    sys.stdout.write(f"revoked {revoked.role.value} {revoked.id} ({revoked.name}, "
                     f"{revoked.facility_id}) at {revoked.revoked_at.isoformat()}\n")
    return 0


def _simulate_calls(args: argparse.Namespace, url: str) -> int:
    from central.calls.simulator import simulate_calls
    from central.kernel.facilities import CallKind, Destination
    from central.kernel.problems import ProblemError

    db = Database(url)
    try:
        for call in simulate_calls(
            db, SystemClock(), phone=args.phone, facility_id=args.facility, calls=args.calls,
            minutes=args.minutes, destination=Destination(args.destination),
            kind=CallKind(args.kind), seed=args.seed,
        ):
            sys.stdout.write(call.describe() + "\n")
    except ValueError as exc:
        sys.stderr.write(f"lobby-central: {exc}\n")
        return 2
    except ProblemError as exc:
        sys.stderr.write(f"lobby-central: {exc.problem.code}: {exc.problem.detail or ''}\n")
        return 2
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
