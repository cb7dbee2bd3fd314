"""The bundle's entry point: the same ``main`` as ``lobby-kiosk`` and ``python -m kiosk``."""

from kiosk.__main__ import main

raise SystemExit(main())
