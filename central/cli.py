"""``lobby-central``: migrate, seed, serve, issue kiosk enrollment codes and call-platform
tokens, revoke them, add staff."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir

from central.clock import Clock, DemoClock, SystemClock
from central.db.engine import Database
from central.identity.limits import Limits

if TYPE_CHECKING:
    from central.mail.mailer import Mailer

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
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", parents=[common], help="create or upgrade the schema")
    sub.add_parser("seed-demo", parents=[common], help="load the demo facilities")
    serve = sub.add_parser("serve", parents=[common], help="run the HTTP API")
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
    _mail_options(serve)
    renew = sub.add_parser("renew", parents=[common],
                           help="run subscription renewals once, as of a given time")
    renew.add_argument("--as-of", required=True, metavar="ISO_TIME",
                       help="the time to renew as of, with its offset, e.g. "
                       "2026-02-15T06:00:00Z")
    renew.add_argument("--limit", type=int, default=None,
                       help="most subscriptions to process (default: every one due)")
    _mail_options(renew, "deliver queued e-mail after the run (by default it waits for the "
                  "server's scheduler)")
    reconcile = sub.add_parser(
        "reconcile", parents=[common],
        help="settle card charges a crash left pending (apply their effect or refund), once")
    reconcile.add_argument("--older-than", type=float, default=180.0, metavar="SECONDS",
                           help="only charges pending at least this long (default 180)")
    code = sub.add_parser("kiosk-code", parents=[common], help="print a one-time enrollment code")
    code.add_argument("--facility", required=True, help="facility ID, e.g. harbor-county-jail")
    platform = sub.add_parser(
        "platform-token", parents=[common],
        help="print a new bearer token for a facility's call platform (shown once)",
    )
    platform.add_argument("--facility", required=True, help="facility ID")
    platform.add_argument("--name", default="call platform", help="a name for the client")
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
    from central.clock import ManualClock
    from central.mail.outbox import deliver_pending
    from central.money.gateway.sandbox import SandboxGateway
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
        report = run_renewals(db, SandboxGateway(db, clock), clock, worker_id=worker_name(),
                              limit=args.limit)
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
                     f"{'outbox':>6}  {'printer':<16} {'keyring':<11} service\n")
    for entry in entries:
        beat = entry.reported_at.strftime("%Y-%m-%d %H:%M") if entry.reported_at else "never"
        flag = " QUIET" if entry.quiet else ""
        service = "in service" if entry.in_service else (
            f"OUT: {entry.out_of_service_reason}")
        sys.stdout.write(
            f"{entry.name[:24]:<24} {entry.facility_id[:24]:<24} {beat + flag:<20} "
            f"{entry.outbox_depth if entry.outbox_depth is not None else '-':>6}  "
            f"{entry.printer or '-':<16} {entry.keyring or '-':<11} {service}\n")
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


def _reconcile(args: argparse.Namespace, url: str) -> int:
    from datetime import timedelta

    from central.money.gateway.sandbox import SandboxGateway
    from central.money.reconciler import reconcile

    clock = SystemClock()
    db = Database(url)
    try:
        report = reconcile(db, SandboxGateway(db, clock), clock,
                           older_than=timedelta(seconds=max(0.0, args.older_than)))
    finally:
        db.dispose()
    sys.stdout.write(report.summary() + "\n")
    return 1 if report.failed else 0


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
        from central.seed import seed_demo

        db = Database(url)
        try:
            log.info("demo data %s", "loaded" if seed_demo(db) else "already present")
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
    if args.command == "serve":
        import uvicorn

        from central.app import create_app
        from central.money.gateway.sandbox import SandboxGateway, crash_purposes_from_env

        try:
            mailer = _mailer(args, url)
            demo_clock = _demo_clock(args.demo_clock) if args.demo_clock else None
            clock: Clock = demo_clock or SystemClock()
            # The sandbox stands in for the card processor; its crash hook (crash tests
            # only, off unless LOBBY_CENTRAL_TEST_CRASH_AFTER_APPROVAL is set) kills the
            # process right after an approval.
            gateway = SandboxGateway(Database(url), clock, crash_purposes_from_env())
            app = create_app(url, clock=clock, gateway=gateway, mailer=mailer,
                             limits=_limits(args),
                             scheduler_interval_seconds=max(0.0, args.scheduler_interval))
        except ValueError as exc:
            sys.stderr.write(f"lobby-central: {exc}\n")
            return 2
        if demo_clock is not None:
            log.warning("DEMO CLOCK: this server's time starts at %s and can be moved",
                        args.demo_clock)
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
        return 0
    raise AssertionError(args.command)  # argparse's `required=True` rules this out


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
    from central.calls.models import CallKind, Destination
    from central.calls.simulator import simulate_calls
    from central.problems import ProblemError

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
