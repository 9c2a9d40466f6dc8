"""Cells that a spreadsheet would run as formulas are neutralised before they leave the product,
and restored when a file comes back in, so that an exported file imports unchanged."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# Text that starts like a formula, after any apostrophes already in front of it.
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")


def safe_cell(value: object) -> object:
    """Prefix text that starts like a formula with an apostrophe; numbers pass through.

    Text that already starts with apostrophes before a formula sign gets one more, so that
    restore_cell gives back exactly what was there.
    """
    if not isinstance(value, str) or _NUMBER.match(value):
        return value
    if value.startswith(_FORMULA_START) or _NEUTRALISED.match(value):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """Undo safe_cell: drop the one apostrophe put before text that starts like a formula."""
    return value[1:] if _NEUTRALISED.match(value) else value


class _Echo:
    """A file-like object that hands back what csv.writer writes to it."""

    def write(self, text: str) -> str:
        return text


def safe_csv_lines(rows: Iterable[Sequence]) -> Iterator[str]:
    """Rows as CSV text, one line at a time (for streaming), every cell neutralised."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])
