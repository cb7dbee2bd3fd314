"""``lobby-central``: migrate, seed, serve, issue kiosk enrollment codes, add staff."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from platformdirs import user_data_dir

from central.clock import SystemClock
from central.db import Database

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
    code = sub.add_parser("kiosk-code", parents=[common], help="print a one-time enrollment code")
    code.add_argument("--facility", required=True, help="facility ID, e.g. harbor-county-jail")
    staff = sub.add_parser("staff-add", parents=[common],
                           help="add a staff member; the PIN is read from stdin")
    staff.add_argument("--badge", required=True, help="badge id")
    staff.add_argument("--name", required=True)
    staff.add_argument("--role", required=True, choices=["clerk", "supervisor"])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    url: str = args.db or default_database_url()
    if args.command == "migrate":
        from central.migrate import upgrade

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
    if args.command == "kiosk-code":
        from central.api.kiosks import issue_enrollment_code

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
    if args.command == "staff-add":
        from central.auth import add_staff_member
        from central.models_auth import StaffRole

        pin = sys.stdin.readline().strip()
        db = Database(url)
        try:
            staff_id = add_staff_member(db, SystemClock(), args.badge, args.name,
                                        StaffRole(args.role), pin)
        except ValueError as exc:
            sys.stderr.write(f"lobby-central: {exc}\n")
            return 2
        finally:
            db.dispose()
        log.info("staff member %s added (badge %s, %s)", staff_id, args.badge, args.role)
        return 0
    if args.command == "serve":
        import uvicorn

        from central.app import create_app

        uvicorn.run(create_app(url), host=args.host, port=args.port, log_level="info")
        return 0
    raise AssertionError(args.command)  # argparse's `required=True` rules this out


if __name__ == "__main__":
    raise SystemExit(main())
