"""Prints central/kernel/unicode_classes.py from this Python's Unicode database:
`python scripts/unicode_classes.py > central/kernel/unicode_classes.py`."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable

NON_PRINTING = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
# What free text may not hold (surrogates aside: no JSON text in UTF-8 carries one).
TEXT_REFUSED = {"Cc", "Cf", "Zl", "Zp"}
NAME_PUNCTUATION = "'’-‐. "
Ranges = list[tuple[int, int]]


def ranges(keep: Callable[[str], bool]) -> Ranges:
    """The runs of code points whose character ``keep`` accepts."""
    out: Ranges = []
    start: int | None = None
    for point in range(0x110000):
        if keep(chr(point)):
            if start is None:
                start = point
        elif start is not None:
            out.append((start, point - 1))
            start = None
    if start is not None:
        out.append((start, 0x10FFFF))
    return out


def fmt(name: str, runs: Ranges, doc: str) -> str:
    lines = [f"# {doc}", f"{name}: tuple[tuple[int, int], ...] = ("]
    row = "   "
    for a, b in runs:
        item = f" (0x{a:X}, 0x{b:X}),"
        if len(row) + len(item) > 99:
            lines.append(row)
            row = "   "
        row += item
    if row.strip():
        lines.append(row)
    lines.append(")")
    return "\n".join(lines)


def main() -> None:
    cat = unicodedata.category
    def name_refused(c: str) -> bool:
        return (cat(c)[0] in "NSPZ" or cat(c) in TEXT_REFUSED) and c not in NAME_PUNCTUATION

    text_refused = ranges(lambda c: cat(c) in TEXT_REFUSED)
    blank = ranges(lambda c: cat(c) in TEXT_REFUSED or c.isspace())
    names_refused = ranges(name_refused)
    not_letters = ranges(lambda c: name_refused(c) or cat(c)[0] == "M" or c in NAME_PUNCTUATION)
    sys.stdout.write(f'''\
"""Unicode character classes for the text rules of request bodies, as code point ranges.

Generated from Unicode {unicodedata.unidata_version} (this Python's ``unicodedata``) by
``python scripts/unicode_classes.py > central/kernel/unicode_classes.py``.
``tests/central/test_contract_text_rules.py`` fails when they no longer match the Unicode
database of the Python that runs the server. They are data, not computed at import, because
scanning 1.1 million code points costs every process a sixth of a second at start.

Each is a set of characters a rule refuses, small enough that a negated class of it is cheap
for the fuzzer to draw from (Hypothesis enumerates every code point of a class).
"""

from __future__ import annotations

UNICODE_VERSION = "{unicodedata.unidata_version}"
# What prints nothing: controls, format characters (zero-width, bidi overrides), surrogates,
# private use, unassigned, and line/paragraph separators (``non_printing``, for letters).
NON_PRINTING = frozenset({{"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}})
# What free text in a request may not hold: controls, format characters, line and paragraph
# separators (surrogates cannot reach us in JSON's UTF-8).
TEXT_REFUSED_CATEGORIES = frozenset({{"Cc", "Cf", "Zl", "Zp"}})
# The punctuation a name may hold beside letters and marks, and the space.
NAME_PUNCTUATION = frozenset("{NAME_PUNCTUATION}")

{fmt("TEXT_REFUSED", text_refused, "Characters of TEXT_REFUSED_CATEGORIES.")}

{fmt("BLANK", blank, "TEXT_REFUSED and white space (str.isspace).")}

{fmt("NAME_REFUSED", names_refused, "In a name: N, S, P, Z but NAME_PUNCTUATION; TEXT_REFUSED.")}

{fmt("NOT_LETTERS", not_letters, "No letter of a name: NAME_REFUSED, marks (M), NAME_PUNCTUATION.")}
''')


if __name__ == "__main__":
    main()
