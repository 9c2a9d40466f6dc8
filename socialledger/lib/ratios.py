"""Ratios of two quantities (spend with SMEs over all spend, people paid a real living wage over
everyone working on a contract): numerators and denominators are added separately and divided
only at the end, never averaged as percentages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from socialledger.lib.numbers import ZERO, round_half_up


@dataclass(frozen=True)
class Ratio:
    numerator: Decimal = ZERO
    denominator: Decimal = ZERO

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.numerator + other.numerator, self.denominator + other.denominator)

    @property
    def percent(self) -> Decimal | None:
        """The ratio as a percentage to one place, half up; none with nothing to divide by."""
        if not self.denominator:
            return None
        return round_half_up(self.numerator * 100 / self.denominator, 1)


def added(ratios: Iterable[Ratio]) -> Ratio:
    """Many ratios as one: the sum of the numerators over the sum of the denominators."""
    return sum(ratios, Ratio())
