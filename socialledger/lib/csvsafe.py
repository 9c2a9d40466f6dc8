"""Cells that a spreadsheet would run as formulas are neutralised before they leave the product."""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def safe_cell(value: object) -> object:
    """Prefix text that starts like a formula with an apostrophe; numbers pass through."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if _NUMBER.match(value):
        return value
    return "'" + value
