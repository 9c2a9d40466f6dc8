"""Money math for social value, with no Django in it: ranges, adjustments, discounting, re-basing.

A £ figure is worked out in one fixed order, and every step is kept so it can be shown:

    quantity × £ per unit × adjustments × years × deflator = figure

- `Band` holds a low, central and high value, because most sources give a range and one number
  would be falsely precise. Sums add low to low, central to central, high to high.
- `Adjustments` hold deadweight, attribution, displacement and leakage (each a share taken away),
  how many years the value lasts, its drop-off each year after the first, and the discount rate
  applied to later years (Green Book practice: year 0 is not discounted).
- `DeflatorSeries` re-bases £ from one financial year's prices to another's, with a GDP deflator.

Everything stays an exact `Decimal`; only the display rounds (lib/numbers.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from socialledger.lib.numbers import ZERO
from socialledger.lib.periods import FinancialYear

ONE = Decimal(1)


class PriceYearError(ValueError):
    """A figure cannot be re-based: the deflator series has no index for a year it needs."""


@dataclass(frozen=True)
class Band:
    """A £ figure as a range: low, central and high. Where a source gives one value, all three
    are that value and `is_range` is false."""

    low: Decimal = ZERO
    central: Decimal = ZERO
    high: Decimal = ZERO

    @classmethod
    def of(cls, central: Decimal, low: Decimal | None = None, high: Decimal | None = None) -> Band:
        return cls(central if low is None else low, central, central if high is None else high)

    @property
    def is_range(self) -> bool:
        return not (self.low == self.central == self.high)

    def __add__(self, other: Band) -> Band:
        return Band(self.low + other.low, self.central + other.central, self.high + other.high)

    def times(self, factor: Decimal) -> Band:
        """Every bound multiplied by the same (non-negative) factor."""
        return Band(self.low * factor, self.central * factor, self.high * factor)

    def rebased(self, to_index: Decimal, from_index: Decimal) -> Band:
        """Multiplied by to/from, multiplying first so the only inexact step is the division."""
        return Band(
            self.low * to_index / from_index,
            self.central * to_index / from_index,
            self.high * to_index / from_index,
        )


def total(bands) -> Band:
    """The sum of bands; an empty sum is a zero band."""
    result = Band()
    for band in bands:
        result = result + band
    return result


@dataclass(frozen=True)
class Adjustments:
    """What is taken off a gross value to leave the part the contract itself caused, and how
    long the value lasts. Shares are fractions of one (0.2 = 20%)."""

    deadweight: Decimal = ZERO
    attribution: Decimal = ZERO
    displacement: Decimal = ZERO
    leakage: Decimal = ZERO
    duration_years: int = 1
    drop_off: Decimal = ZERO
    discount_rate: Decimal = ZERO

    SHARES = ("deadweight", "attribution", "displacement", "leakage")

    def __post_init__(self) -> None:
        for name in (*self.SHARES, "drop_off", "discount_rate"):
            share = getattr(self, name)
            if not ZERO <= share < ONE:
                raise ValueError(f"{name} must be at least 0 and less than 1, not {share}")
        if self.duration_years < 1:
            raise ValueError("duration_years must be at least 1")

    @property
    def additionality(self) -> Decimal:
        """The share left after deadweight, attribution, displacement and leakage."""
        factor = ONE
        for name in self.SHARES:
            factor *= ONE - getattr(self, name)
        return factor

    def year_weights(self) -> tuple[Decimal, ...]:
        """Each year's weight: (1 − drop-off)^t ÷ (1 + rate)^t for t = 0 … duration − 1.

        The division is the one inexact step; it is done once per year, at 28 significant digits.
        """
        keep, grow = ONE - self.drop_off, ONE + self.discount_rate
        return tuple(keep**t / grow**t for t in range(self.duration_years))

    @property
    def years_factor(self) -> Decimal:
        """How many first-year values the whole duration is worth after drop-off and discounting."""
        return sum(self.year_weights(), ZERO)

    @property
    def any(self) -> bool:
        return self.additionality != ONE or self.duration_years != 1


@dataclass(frozen=True)
class UnitValue:
    """£ per unit of one measure in one value set, with where it comes from.

    `price_year` is the financial year (by its start) whose prices the value is in; None means
    face value: a £ counted in the money of the year it was given (donations)."""

    band: Band
    price_year: int | None
    adjustments: Adjustments = field(default_factory=Adjustments)
    source: str = ""
    source_url: str = ""
    licence: str = ""
    geography: str = "national"
    fiscal: Decimal | None = None
    economic: Decimal | None = None
    social: Decimal | None = None
    notes: str = ""

    @property
    def price_year_label(self) -> str:
        if self.price_year is None:
            return "face value, in the money of the year given"
        return f"{FinancialYear(self.price_year).label} prices"


@dataclass(frozen=True)
class DeflatorSeries:
    """GDP deflator index by financial year (by its start year), with where it comes from."""

    indices: dict[int, Decimal]
    source: str = ""

    def index(self, start_year: int) -> Decimal:
        try:
            return self.indices[start_year]
        except KeyError:
            first, last = min(self.indices), max(self.indices)
            raise PriceYearError(
                f"The GDP deflator series has no index for {FinancialYear(start_year).label} "
                f"(it covers {FinancialYear(first).label} to {FinancialYear(last).label})."
            ) from None

    @property
    def latest(self) -> int:
        return max(self.indices)


@dataclass(frozen=True)
class Rebasing:
    """One re-basing step: from one financial year's prices to another's."""

    from_year: int
    to_year: int
    from_index: Decimal
    to_index: Decimal

    @property
    def factor(self) -> Decimal:
        return self.to_index / self.from_index

    def apply(self, band: Band) -> Band:
        return band.rebased(self.to_index, self.from_index)

    def __str__(self) -> str:
        return (
            f"× {self.to_index} ÷ {self.from_index} (GDP deflator, "
            f"{FinancialYear(self.to_year).label} ÷ {FinancialYear(self.from_year).label})"
        )


def rebasing(series: DeflatorSeries, from_year: int, to_year: int) -> Rebasing:
    """The step that moves £ in `from_year` prices into `to_year` prices."""
    return Rebasing(from_year, to_year, series.index(from_year), series.index(to_year))


@dataclass(frozen=True)
class Working:
    """How one £ figure was made, step by step; every door (page, JSON, CLI) shows this object.

    gross = quantity × £ per unit × years it lasts (before any adjustment)
    net   = quantity × £ per unit × additionality × years factor (drop-off and discounting)
    nominal = net re-based from the value's price year to the prices of the year delivered
    real    = net re-based to the chosen price year, so years compare in real terms
    """

    quantity: Decimal
    unit: UnitValue
    year: int
    price_year: int
    gross: Band
    net: Band
    to_nominal: Rebasing | None
    to_real: Rebasing | None
    nominal_gross: Band | None
    nominal: Band | None
    real_gross: Band | None
    real: Band | None
    problem: str = ""

    @property
    def available(self) -> bool:
        return not self.problem


def work_out(
    quantity: Decimal, unit: UnitValue, year: int, price_year: int, series: DeflatorSeries
) -> Working:
    """The £ for a quantity delivered in `year`, in that year's prices and in `price_year`'s.

    A step the deflator series cannot make (a year it does not cover yet) leaves that figure
    out and says why, rather than guessing an index.
    """
    adjustments = unit.adjustments
    per_unit = unit.band.times(quantity)
    gross = per_unit.times(Decimal(adjustments.duration_years))
    net = per_unit.times(adjustments.additionality).times(adjustments.years_factor)
    base = year if unit.price_year is None else unit.price_year
    problems = []
    to_nominal = to_real = None
    nominal_gross = nominal = real_gross = real = None
    try:
        to_nominal = rebasing(series, base, year) if base != year else None
        nominal_gross = to_nominal.apply(gross) if to_nominal else gross
        nominal = to_nominal.apply(net) if to_nominal else net
    except PriceYearError as error:
        problems.append(str(error))
    try:
        to_real = rebasing(series, year, price_year) if year != price_year else None
    except PriceYearError as error:
        problems.append(str(error))
    if nominal is not None and not (to_real is None and year != price_year):
        real_gross = to_real.apply(nominal_gross) if to_real else nominal_gross
        real = to_real.apply(nominal) if to_real else nominal
    return Working(
        quantity,
        unit,
        year,
        price_year,
        gross,
        net,
        to_nominal,
        to_real,
        nominal_gross,
        nominal,
        real_gross,
        real,
        " ".join(dict.fromkeys(problems)),
    )
