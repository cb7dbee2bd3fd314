"""docs/billing-rules.md states all fifteen rules, and every test it names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "billing-rules.md"


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_the_fifteen_rules_are_written_down_each_with_a_test() -> None:
    text = DOC.read_text(encoding="utf-8")
    rules = re.split(r"^(\d+)\. ", text.split("## Money that moves")[0], flags=re.MULTILINE)
    numbers = [int(n) for n in rules[1::2]]
    assert numbers == list(range(1, 16))
    for number, body in zip(numbers, rules[2::2], strict=True):
        assert "::test_" in body, f"rule {number} names no test"


def test_every_named_test_exists() -> None:
    named = re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", DOC.read_text(encoding="utf-8"))
    assert len(named) > 40
    missing = [f"{file}::{name}" for file, name in named
               if not (ROOT / file).exists() or name not in _tests_in(ROOT / file)]
    assert missing == []


# The product brief outside the repository; spelled in two parts so this file is no citation.
OUTSIDE_DOCUMENT = "DESIGN" + ".md"


def test_the_code_cites_the_rules_of_the_repository() -> None:
    offenders = [str(path.relative_to(ROOT))
                 for folder in ("central", "tests", "docs")
                 for path in (ROOT / folder).rglob("*")
                 if path.suffix in {".py", ".json", ".md"} and path != Path(__file__)
                 and OUTSIDE_DOCUMENT in path.read_text(encoding="utf-8")]
    assert offenders == []
