"""Exact arithmetic for quantities and money, and the one way a change is worded.

Every figure is a `Decimal` from input to output. Percent change is computed exactly and only
rounded for display: half-up (ties away from zero), to a whole percent, or to one decimal place
when the change is under 10%. Rises and falls use the same rule, so a fall is never shown smaller
than it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
HUNDRED = Decimal(100)
ONE_DECIMAL_BELOW = Decimal(10)

_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_GROUPED_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_decimal(text: str) -> Decimal:
    """Read a number typed by a person: "1318", "1,318", "803741.50", "£803,741".

    Refuses anything else (words, exponents, "NaN", misplaced commas) with a ValueError whose
    message says what was expected.
    """
    cleaned = str(text).strip().replace("£", "", 1).strip()
    if _GROUPED_NUMBER.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _PLAIN_NUMBER.match(cleaned):
        raise ValueError(f'"{text}" is not a number; write digits such as 1318 or 1,318.50')
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the pattern above admits only digits
        raise ValueError(f'"{text}" is not a number') from error


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    """Round ties away from zero, the same way for rises and falls."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def normalise(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (1300, not 1.3E+3)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def percent_change(old: Decimal, new: Decimal) -> Decimal | None:
    """Exact change from old to new in percent; None when there is no base to compare with."""
    if old == ZERO:
        return None
    return (new - old) * HUNDRED / abs(old)


def format_percent(percent: Decimal) -> str:
    """A percentage magnitude for display: whole percent, or one decimal under 10%."""
    magnitude = abs(percent)
    places = 1 if magnitude < ONE_DECIMAL_BELOW else 0
    rounded = round_half_up(magnitude, places)
    if rounded == ZERO and magnitude != ZERO:
        return "less than 0.1%"
    return f"{rounded:,}%"


def format_quantity(value: Decimal, *, money: bool = False) -> str:
    """A figure with thousands separators: "1,318", "12.5", "£803,741" or "£1,234.50"."""
    if money:
        sign = "-" if value < 0 else ""
        whole = value == value.to_integral_value()
        body = f"{abs(value):,.0f}" if whole else f"{round_half_up(abs(value), 2):,.2f}"
        return f"{sign}£{body}"
    return f"{normalise(value):,}"


@dataclass(frozen=True)
class Change:
    """How a figure moved between two years, exactly, with the words to say so."""

    old: Decimal
    new: Decimal

    @property
    def absolute(self) -> Decimal:
        return self.new - self.old

    @property
    def percent(self) -> Decimal | None:
        return percent_change(self.old, self.new)

    @property
    def direction(self) -> str:
        """One of "up", "down", "same" or "new" (a rise from zero, which has no percentage)."""
        if self.new == self.old:
            return "same"
        if self.old == ZERO:
            return "new" if self.new > ZERO else "down"
        return "up" if self.new > self.old else "down"

    @property
    def percent_label(self) -> str:
        """ "+27%", "-28%", "0%", "new" or "n/a"; the sign is never dropped from a fall."""
        percent = self.percent
        if percent is None:
            return "new" if self.direction == "new" else "n/a"
        if percent == ZERO:
            return "0%"
        sign = "+" if percent > ZERO else "-"
        return f"{sign}{format_percent(percent)}"


def format_estimate(value: Decimal) -> str:
    """An estimated £ to three significant figures, rounded half-up: "£3.33m", "£497k", "£912".

    Estimates are shown no more precisely than they are known; the working shows them exactly.
    """
    magnitude = abs(value)
    sign = "-" if value < 0 else ""
    for size, suffix in ((Decimal(10**9), "bn"), (Decimal(10**6), "m"), (Decimal(10**3), "k")):
        if magnitude >= size:
            return f"{sign}£{_three_figures(magnitude / size)}{suffix}"
    return f"{sign}£{_three_figures(magnitude)}"


def format_pence(value: Decimal) -> str:
    """A small £ amount in pence to one decimal place, rounded half-up: "5.3p"."""
    return f"{round_half_up(value * HUNDRED, 1)}p"


def _three_figures(value: Decimal) -> str:
    if value == ZERO:
        return "0"
    places = max(0, 2 - value.adjusted())
    rounded = round_half_up(value, places)
    if rounded >= 1000 and places == 0:  # 999.6k rounds up to the next unit's 1,000
        return f"{rounded:,}"
    return f"{normalise(rounded)}" if places else f"{rounded:,}"
