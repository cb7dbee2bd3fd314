"""A kiosk process that reports which modules were loaded when its first screen was
painted, and which once its parts opened (``test_start.py`` runs it in a fresh process).

    python -m tests.kiosk.first_frame DATA_DIR CENTRAL_URL

Only the standard library is imported before ``start_gui``: what is in ``sys.modules`` at
the first paint is what the kiosk itself imported to paint it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

# Modules the first screen must not wait for: the store's SQLAlchemy, the HTTP client, the
# keyring, the workflow, the validators, speech, the printer, and the screens and keyboards
# not on show; and the rest of the window, built after the first frame: the request table,
# the domain's types, the journeys' map, the router, the screen table, Read aloud, the
# staff rules (docs/performance.md "The kiosk's first paint").
HEAVY = ("sqlalchemy", "requests", "urllib3", "keyring", "secretstorage", "kiosk.store",
         "kiosk.workflow", "services.central_client", "services.vault", "phonenumbers",
         "email_validator", "escpos", "PySide6.QtTextToSpeech", "ui.screens.register_name",
         "ui.screens.resident", "ui.widgets.keyboard", "kiosk.devices.card_reader",
         "kiosk.requests", "kiosk.domain", "domain", "kiosk.flows.catalog", "ui.router",
         "ui.screens.registry", "ui.read_aloud", "ui.speech", "kiosk.staff", "ui.messages")


def main(data_dir: Path, url: str) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from dataclasses import replace

    from PySide6.QtCore import QEvent, QObject

    from kiosk.app import start_gui
    from kiosk.config import load_settings

    settings = replace(load_settings(data_dir / "absent.toml", environ={}),
                       central_url=url, data_dir=str(data_dir), kiosk_name="first-frame")
    started = start_gui(settings)
    report: dict[str, object] = {}

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "at_paint" not in report:
                report["at_paint"] = sorted(set(HEAVY) & set(sys.modules))
                report["screen"] = started.window.current_screen_name()
                report["rest_built"] = started.window.fully_built
                report["opened_before_paint"] = started.kiosk is not None
            return False

    watcher = FirstPaint()
    started.window.installEventFilter(watcher)
    while "at_paint" not in report:
        started.app.processEvents()
    kiosk = started.wait_until_open()
    report["after_open"] = sorted(set(HEAVY) & set(sys.modules))
    report["rest_built_after_open"] = started.window.fully_built
    report["store_open"] = Path(kiosk.settings.database_path).exists()
    report["reader_open"] = kiosk.workflow.reader.opened
    started.window.close()
    started.close()
    sys.stdout.write(json.dumps(report) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), sys.argv[2]))
