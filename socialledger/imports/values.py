"""The value-set format: one CSV (or XLSX) row per measure, with £ per unit and where it comes from.

`plan_values` checks every row and returns the rows ready to store, or raises ImportRefused listing
every problem with its row, column, value and what was expected. Nothing here writes; the shipped
open set is checked by these same rules before it is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from socialledger.imports.reading import ImportRefused, Problem, Table
from socialledger.lib.numbers import parse_decimal
from socialledger.lib.periods import FinancialYear, PeriodError
from socialledger.lib.valuation import DeflatorSeries
from socialledger.measures.models import Measure

REQUIRED = ("measure", "central", "source", "licence")
OPTIONAL = (
    "low",
    "high",
    "fiscal",
    "economic",
    "social",
    "price_year",
    "geography",
    "source_url",
    "notes",
    "retrieved",
    "checked",
    "deadweight",
    "attribution",
    "displacement",
    "leakage",
    "drop_off",
    "duration_years",
    "discount_rate",
)
SHARES = ("deadweight", "attribution", "displacement", "leakage", "drop_off", "discount_rate")
GEOGRAPHIES = ("local", "national")
MAX_DURATION = 50


def is_value_set_table(table: Table) -> bool:
    """A table with `central` and `licence` columns is a value set, not figures."""
    return {"central", "licence"} <= set(table.columns)


@dataclass(frozen=True)
class PlannedValue:
    """A row that passed every check: the measure and the fields to store."""

    number: int
    measure: Measure
    fields: dict


def plan_values(provider, table: Table, series: DeflatorSeries) -> list[PlannedValue]:
    """Check every row; return them all, or raise ImportRefused with every problem found."""
    problems = [Problem(1, name, "", "this column is required") for name in REQUIRED]
    problems = [p for p in problems if p.column not in table.columns]
    known = set(REQUIRED + OPTIONAL)
    problems += [
        Problem(1, name, "", f"not a value-set column; use: {', '.join(REQUIRED + OPTIONAL)}")
        for name in table.columns
        if name and name not in known
    ]
    if problems:
        raise ImportRefused(problems)
    if not table.rows:
        raise ImportRefused([Problem(0, "", "", "the file has a header but no values")])
    checker = _ValueChecker(provider, series)
    planned = [checker.check(number, values) for number, values in table.rows]
    if checker.problems:
        raise ImportRefused(checker.problems)
    return [row for row in planned if row is not None]


class _ValueChecker:
    """Checks value rows one by one, collecting problems rather than stopping at the first."""

    def __init__(self, provider, series: DeflatorSeries) -> None:
        self.series = series
        measures = list(Measure.objects.available_to(provider))
        self.measures = {m.code.lower(): m for m in measures} | {
            m.name.lower(): m for m in measures
        }
        self.seen: dict[int, int] = {}
        self.problems: list[Problem] = []

    def check(self, number: int, values: dict[str, str]) -> PlannedValue | None:
        found: list[Problem] = []
        measure = self._measure(number, values, found)
        band = self._band(number, values, found)
        fields = {
            "low": band[0],
            "central": band[1],
            "high": band[2],
            **self._split(number, values, band[1], found),
            "price_year": self._price_year(number, values, measure, found),
            "geography": self._geography(number, values, found),
            **{name: self._share(number, values, name, found) for name in SHARES},
            "duration_years": self._duration(number, values, found),
            "source": values.get("source", ""),
            "source_url": values.get("source_url", ""),
            "licence": values.get("licence", ""),
            "notes": _notes(values),
        }
        for name in ("source", "licence"):
            if not values.get(name):
                found.append(
                    Problem(
                        number,
                        name,
                        "",
                        "say where the value comes from"
                        if name == "source"
                        else "give the value's licence",
                    )
                )
        self.problems += found
        return None if found else PlannedValue(number, measure, fields)

    def _measure(self, number: int, values: dict[str, str], found: list[Problem]):
        text = values.get("measure", "")
        measure = self.measures.get(text.lower())
        if measure is None:
            found.append(Problem(number, "measure", text, "a measure code such as jobs-created"))
        elif measure.is_derived:
            found.append(
                Problem(
                    number,
                    "measure",
                    text,
                    "a counted measure; a derived total is valued "
                    "through its components, so valuing it too would count twice",
                )
            )
        elif measure.pk in self.seen:
            found.append(
                Problem(
                    number,
                    "measure",
                    text,
                    f"one row per measure; row {self.seen[measure.pk]} already values it",
                )
            )
        else:
            self.seen[measure.pk] = number
            return measure
        return None

    def _band(self, number, values, found) -> tuple:
        central = _amount(number, values, "central", found, required=True)
        low = _amount(number, values, "low", found) if values.get("low") else central
        high = _amount(number, values, "high", found) if values.get("high") else central
        if None not in (low, central, high) and not low <= central <= high:
            found.append(
                Problem(number, "low", f"{low} / {central} / {high}", "low ≤ central ≤ high")
            )
        return low, central, high

    def _split(self, number, values, central, found) -> dict:
        split = {
            name: _amount(number, values, name, found) if values.get(name) else None
            for name in ("fiscal", "economic", "social")
        }
        given = [v for v in split.values() if v is not None]
        if central is not None and given:
            parts = sum(given, Decimal(0))
            if parts > central or (len(given) == 3 and parts != central):
                found.append(
                    Problem(
                        number,
                        "fiscal",
                        str(parts),
                        f"fiscal + economic + social "
                        f"adding up to the central value {central} (or less, if one is blank)",
                    )
                )
        return split

    def _price_year(self, number, values, measure, found) -> int | None:
        text = values.get("price_year", "")
        if not text:
            if measure is not None and not measure.is_money:
                found.append(
                    Problem(
                        number,
                        "price_year",
                        "",
                        "the financial year of the value's prices, "
                        "e.g. 2019-20 (only a £ measure may be valued at face value)",
                    )
                )
            return None
        try:
            start = FinancialYear.parse(text).start_year
        except PeriodError as error:
            found.append(Problem(number, "price_year", text, str(error)))
            return None
        if start not in self.series.indices:
            first, last = min(self.series.indices), max(self.series.indices)
            found.append(
                Problem(
                    number,
                    "price_year",
                    text,
                    f"a year the GDP deflator covers: "
                    f"{FinancialYear(first).label} to {FinancialYear(last).label}",
                )
            )
        return start

    def _geography(self, number, values, found) -> str:
        text = values.get("geography", "").lower() or "national"
        if text not in GEOGRAPHIES:
            found.append(Problem(number, "geography", text, "local or national"))
        return text

    def _share(self, number, values, name, found) -> Decimal:
        text = values.get(name, "")
        if not text:
            return Decimal(0)
        try:
            share = _parse_share(text)
        except ValueError:
            found.append(Problem(number, name, text, "a share from 0 to under 1, e.g. 0.2 or 20%"))
            return Decimal(0)
        return share

    def _duration(self, number, values, found) -> int:
        text = values.get("duration_years", "") or "1"
        if not text.isdigit() or not 1 <= int(text) <= MAX_DURATION:
            found.append(
                Problem(number, "duration_years", text, f"whole years from 1 to {MAX_DURATION}")
            )
            return 1
        return int(text)


def _amount(number, values, name, found, *, required=False) -> Decimal | None:
    text = values.get(name, "")
    try:
        amount = parse_decimal(text)
    except ValueError:
        expected = "£ per unit, e.g. 5980 or 5,980.50" if required else "a number, or blank"
        found.append(Problem(number, name, text, expected))
        return None
    if amount < 0 or amount != round(amount, 4):
        found.append(Problem(number, name, text, "not negative, at most 4 decimal places"))
        return None
    return amount


def _parse_share(text: str) -> Decimal:
    """ "20%" or "0.2" as the fraction 0.2; refuses anything outside 0 to under 1."""
    percent = text.strip().endswith("%")
    share = parse_decimal(text.strip().removesuffix("%"))
    if percent:
        share = share / 100
    if not Decimal(0) <= share < 1 or share != round(share, 4):
        raise ValueError(text)
    return share


def _notes(values: dict[str, str]) -> str:
    parts = [values.get("notes", "")]
    if values.get("checked"):
        parts.append(f"Checked: {values['checked']}")
    if values.get("retrieved"):
        parts.append(f"Retrieved: {values['retrieved']}")
    return " ".join(part for part in parts if part)
