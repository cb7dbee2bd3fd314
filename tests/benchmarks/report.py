"""One row of ``bench-results.json`` and the table line printed for it.

Every benchmark reports a figure as the median of several runs next to a floor measured in
the same run (interleaved with it), so a slow machine moves both and the ratio stays
meaningful. A miss is recorded with ``"ok": false``; it never fails a build. The README's
"Benchmarks" section says how to read the file.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

Direction = Literal["<=", ">="]


def row(name: str, values: Sequence[float], floor: float, unit: str, goal: float,
        direction: Direction = "<=", note: str = "") -> dict[str, object]:
    """The median of ``values`` against ``floor``: ``ratio`` is median / floor, and the goal
    is met when the ratio is on the right side of ``goal``."""
    median = statistics.median(values)
    ratio = median / floor if floor else float("inf")
    ok = ratio <= goal if direction == "<=" else ratio >= goal
    result: dict[str, object] = {
        "name": name,
        "value": round(median, 3),
        "unit": unit,
        "floor": round(floor, 3),
        "ratio": round(ratio, 3),
        "goal": f"ratio {direction} {goal:g}",
        "ok": ok,
        "runs": len(values),
        "spread": round(max(values) - min(values), 3),
    }
    if note:
        result["note"] = note
    return result


def skipped(name: str, unit: str, goal: str, reason: str) -> dict[str, object]:
    """A benchmark that could not run here (no PostgreSQL, say), with the reason."""
    return {"name": name, "value": None, "unit": unit, "floor": None, "ratio": None,
            "goal": goal, "ok": None, "runs": 0, "spread": None, "skipped": reason}


def publish(rows: Sequence[dict[str, object]], json_path: Path | None) -> None:
    """Print one table line per row and append the rows to ``json_path`` (a JSON list)."""
    for r in rows:
        if r.get("skipped"):
            sys.stdout.write(f"{r['name']:<26} skipped: {r['skipped']}\n")
            continue
        sys.stdout.write(
            f"{r['name']:<26} {r['value']:>10} {r['unit']:<5} floor {r['floor']:>9}  "
            f"ratio {r['ratio']:>7}  goal {r['goal']:<11} {'ok' if r['ok'] else 'MISSED'}"
            f"  (runs {r['runs']}, spread {r['spread']})\n"
        )
    if json_path is not None:
        existing = json.loads(json_path.read_text()) if json_path.exists() else []
        json_path.write_text(json.dumps([*existing, *rows], indent=2), encoding="utf-8")
