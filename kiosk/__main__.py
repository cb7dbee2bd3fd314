"""``lobby-kiosk`` / ``python -m kiosk``: start the kiosk, the demo, or the screen tour."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from kiosk.config import ConfigError, load_settings

NO_DISPLAY = (
    "lobby-kiosk: no display found. Run it on a desktop session, or on a virtual screen: "
    "xvfb-run -a make demo\n"
)

OFFLINE_HINT = (
    "To see a sign-up wait offline and sync (README, \"Trying offline\"): start a sign-up,\n"
    "then kill -USR1 {pid} takes the demo server down; finish it (\"Waiting to be sent: 1\")\n"
    "and kill -USR2 {pid} brings the server back with its data: the kiosk sends it.\n"
)


def has_display(environ: os._Environ[str] | dict[str, str] = os.environ) -> bool:
    if not sys.platform.startswith("linux"):
        return True
    if environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lobby-kiosk", description=__doc__)
    parser.add_argument("--config", type=Path, help="TOML settings file (default: per-user)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start an embedded central API with demo data and run the kiosk against it",
    )
    parser.add_argument(
        "--tour", type=Path, metavar="DIR",
        help="render every screen in English and Spanish to DIR/<screen>-<lang>.png and exit",
    )
    parser.add_argument(
        "--demo-pictures", type=Path, default=Path("demo-pictures"), metavar="DIR",
        help="with --demo and no display: where the picture of each step goes",
    )
    parser.add_argument("--fullscreen", action="store_true",
                        help="kiosk mode: the whole display, no frame, locked (ui/lockdown.py)")
    parser.add_argument(
        "--self-check", action="store_true",
        help="check settings, database, keyring, enrollment and the central API; "
        "print one line each and exit 0, or 1 naming what failed",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if args.tour is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from kiosk.tour import run_tour

        return run_tour(args.tour)
    if args.self_check:
        from kiosk.selfcheck import self_check

        return self_check(args.config)
    off_screen = os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen")
    headless = bool(args.demo) and (off_screen or not has_display())
    if headless:
        # No screen to show a window on: the demo plays a family's visit off screen and
        # writes a picture of each step instead.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif not has_display():
        sys.stderr.write(NO_DISPLAY)
        return 2
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        sys.stderr.write(f"lobby-kiosk: {exc}\n")
        return 2

    from kiosk.app import run_gui

    if not args.demo:
        return run_gui(settings, fullscreen=args.fullscreen)

    from kiosk.credentials import PENDING_TOKEN_ENTRY, TOKEN_ENTRY
    from kiosk.demo import DEMO_KIOSK_NAME, DemoCentral, DemoError
    from services.vault import open_vault

    demo = DemoCentral()
    try:
        demo.start()
    except DemoError as exc:
        sys.stderr.write(f"lobby-kiosk: demo could not start: {exc}\n")
        demo.stop()
        return 1
    # The demo family pays on the sandbox's simulated card reader, registered to the
    # kiosk as soon as it has enrolled (docs/devices.md "The card reader").
    demo.register_reader_when_enrolled(DEMO_KIOSK_NAME)
    try:
        settings = replace(
            settings,
            central_url=demo.url,
            enrollment_code=demo.enrollment_code,
            data_dir=str(demo.folder / "kiosk-data"),
            kiosk_name=DEMO_KIOSK_NAME,
            # Sign-ups that waited while the server was down go soon after it is back.
            sync_interval_seconds=min(settings.sync_interval_seconds, 5),
            # Cash on an NV200 simulator of its own, on a pty: no set-up (docs/devices.md).
            bill_acceptor=settings.bill_acceptor or "simulator",
        )
        # Each demo has a fresh server, so it keeps its token apart from a real kiosk's.
        vault = open_vault("lobby-kiosk-demo")
        for entry in (TOKEN_ENTRY, PENDING_TOKEN_ENTRY):
            vault.delete(entry)
        if not headless:
            sys.stdout.write(OFFLINE_HINT.format(pid=demo.guard_pid))
            sys.stdout.flush()
        if headless:
            from kiosk.app import run_headless_demo

            return run_headless_demo(settings, vault, args.demo_pictures.resolve())
        return run_gui(settings, fullscreen=args.fullscreen, vault=vault, demo=True)
    finally:
        demo.stop()


if __name__ == "__main__":
    raise SystemExit(main())
