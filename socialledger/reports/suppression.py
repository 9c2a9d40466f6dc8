"""Small-number suppression for published reports, worked out from the report object alone.

The rule (docs/reports.md, docs/decisions/0011-publishing-snapshots-and-suppression.md):

1. Primary: a count (any measure not in £) greater than 0 and below the threshold is hidden and
   shown as "fewer than N": a headline figure, a trend year, a breakdown cell or a group
   (framework, member, supplier) cell, in either year.
2. Secondary, only where a hidden cell could be worked out from the others: wherever cells add
   up (a headline and one table of its parts; a derived measure and its components, in the
   headline, a group's row or a trend year), a sum with exactly one hidden cell would give it
   away as the shown total less the shown parts, so the smallest other non-zero cell of that
   sum is hidden too (shown as "suppressed"). Nothing else is hidden.
3. Rule 2 repeats until no sum has exactly one hidden cell.

£ figures are never primary-suppressed (they are organisations' money), but a group's £ per £1
of contract value is withheld wherever any of that group's counts is hidden, because the £ is
counts × published unit values and could be divided back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from socialledger.reports.report import AnnualReport

CURRENT, PREVIOUS = "current", "previous"


@dataclass(frozen=True)
class Suppression:
    """Which cells of a report are hidden, and why (primary: below threshold; else secondary)."""

    threshold: int
    primary: frozenset[tuple] = frozenset()
    secondary: frozenset[tuple] = frozenset()

    def hides(self, *key) -> bool:
        return key in self.primary or key in self.secondary

    def words(self, *key) -> str:
        """How a hidden cell is shown."""
        return f"fewer than {self.threshold}" if key in self.primary else "suppressed"

    def hides_group(self, by: str, reference: str) -> bool:
        """Whether any count of a framework, member or supplier is hidden."""
        return any(k[0] == "group" and k[1:3] == (by, reference) for k in self.hidden)

    @property
    def hidden(self) -> frozenset[tuple]:
        return self.primary | self.secondary


def suppress(report: AnnualReport, threshold: int) -> Suppression:
    """The cells to hide when the report is published with this threshold."""
    small = _small(threshold)
    primary: set[tuple] = set()
    counts = [line for line in report.measures if not line.is_money]
    for line in counts:
        for year, value in (
            (CURRENT, line.headline.value),
            (PREVIOUS, line.previous_headline.value),
        ):
            if small(value):
                primary.add(("headline", line.code, year))
        for figures in line.history:
            if small(figures.on(report.basis).value):
                primary.add(("trend", line.code, figures.year.label))
        for b in line.breakdowns:
            for row in b.rows:
                for year in (CURRENT, PREVIOUS):
                    if small(getattr(row, year)):
                        primary.add(("breakdown", line.code, b.dimension, row.label, year))
        for table in report.groups:
            for row in table.rows:
                for year in (CURRENT, PREVIOUS):
                    if small(getattr(row.cell(line.code), year)):
                        primary.add(("group", table.by, row.reference, line.code, year))
    secondary = _complementary(report, primary)
    return Suppression(threshold, frozenset(primary), frozenset(secondary - primary))


def _small(threshold: int):
    return lambda value: Decimal(0) < value < threshold


def _complementary(report: AnnualReport, primary: set[tuple]) -> set[tuple]:
    """Primary cells plus the fewest more that stop any one of them being worked out."""
    sums, sums_with = _sums(report)
    hidden = set(primary)
    while True:
        before = len(hidden)
        for cells in sums:
            if _hidden_in(cells, hidden) == 1 and (key := _next_to_hide(cells, hidden, sums_with)):
                hidden.add(key)
        if len(hidden) == before:
            return _needed(hidden, primary, sums_with)


def _sums(report: AnnualReport) -> tuple[list[list], dict[tuple, list[list]]]:
    """The report's sums, and for each cell the sums it is in."""
    sums = [cells for cells in sums_that_add_up(report) if len(cells) > 1]
    sums_with: dict[tuple, list[list]] = {}
    for cells in sums:
        for key, _ in cells:
            sums_with.setdefault(key, []).append(cells)
    return sums, sums_with


def showing_gives_one_away(report: AnnualReport, suppression: Suppression, key: tuple) -> bool:
    """Whether showing this hidden cell would let another hidden cell be worked out (the
    reason for every secondary cell)."""
    return gives_away(key, set(suppression.hidden), _sums(report)[1])


def gives_away(key: tuple, hidden: set[tuple], sums_with: dict) -> bool:
    """Whether showing this hidden cell would leave a sum with exactly one hidden cell."""
    shown = hidden - {key}
    return any(_hidden_in(cells, shown) == 1 for cells in sums_with.get(key, ()))


def _needed(hidden: set[tuple], primary: set[tuple], sums_with: dict) -> set[tuple]:
    """Shows again any secondary cell a later choice made unnecessary, largest first."""
    for key in sorted(hidden - primary, key=lambda k: -_value_of(k, sums_with)):
        if not gives_away(key, hidden, sums_with):
            hidden.discard(key)
    return hidden


def _value_of(key: tuple, sums_with: dict) -> Decimal:
    return next(value for other, value in sums_with[key][0] if other == key)


def _hidden_in(cells: list[tuple[tuple, Decimal]], hidden: set[tuple]) -> int:
    return sum(1 for key, _ in cells if key in hidden)


def _next_to_hide(cells, hidden: set[tuple], sums_with: dict) -> tuple | None:
    """The shown non-zero cell of a sum to hide with its one hidden cell: the one that leaves
    the fewest other sums with a single hidden cell (so the fewest further cells go), then the
    smallest. None when every shown cell is 0: then the hidden one is 0 too, and not small."""
    shown = [(value, key) for key, value in cells if key not in hidden and value]

    def cost(candidate) -> tuple:
        value, key = candidate
        opened = sum(1 for other in sums_with[key] if _hidden_in(other, hidden) == 0)
        return (opened, value, key)

    return min(shown, key=cost)[1] if shown else None


def sums_that_add_up(report: AnnualReport) -> Iterator[list[tuple[tuple, Decimal]]]:
    """Every set of shown cells where one equals a sum of the others: a count's headline and
    each table of its parts (breakdown rows, frameworks, members, suppliers), and a derived
    measure with its components (headline, each group row and each year of its trend)."""
    counts = [line for line in report.measures if not line.is_money]
    for line in counts:
        for year in (CURRENT, PREVIOUS):
            headline = [(("headline", line.code, year), _headline(line, year))]
            for b in line.breakdowns:
                yield headline + [
                    (("breakdown", line.code, b.dimension, r.label, year), getattr(r, year))
                    for r in b.rows
                ]
            for t in report.groups:
                yield headline + [_group_cell(t, r, line.code, year) for r in t.rows]
    for line in counts:
        if line.is_derived:
            yield from _derived(report, line)


def _derived(report: AnnualReport, line) -> Iterator[list[tuple[tuple, Decimal]]]:
    """A derived measure and its components, wherever both are shown side by side."""
    by_code = {m.code: m for m in report.measures}
    lines = [line, *(by_code[c.code] for c in line.components if c.code in by_code)]
    for year in (CURRENT, PREVIOUS):
        yield [(("headline", m.code, year), _headline(m, year)) for m in lines]
        for table in report.groups:
            for row in table.rows:
                yield [_group_cell(table, row, m.code, year) for m in lines]
    for index, figures in enumerate(line.history):
        label = figures.year.label
        yield [
            (("trend", m.code, label), m.history[index].on(report.basis).value)
            for m in lines
            if index < len(m.history) and m.history[index].year.label == label
        ]


def _group_cell(table, row, code: str, year: str) -> tuple[tuple, Decimal]:
    return ("group", table.by, row.reference, code, year), getattr(row.cell(code), year)


def _headline(line, year: str) -> Decimal:
    return (line.headline if year == CURRENT else line.previous_headline).value


def cell_words(report: AnnualReport, key: tuple) -> str:
    """A hidden cell named in words, for the list a publisher reads before publishing."""
    names = {line.code: line.name for line in report.measures}
    years = {CURRENT: report.year.label, PREVIOUS: report.previous_year.label}
    kind = key[0]
    if kind == "headline":
        return f"{names[key[1]]}, {years[key[2]]}: the headline figure"
    if kind == "trend":
        return f"{names[key[1]]}, {key[2]}: the trend's figure"
    if kind == "breakdown":
        _, code, dimension, label, year = key
        return f"{names[code]}, {years[year]}: {label} ({dimension.replace('_', ' ')})"
    _, by, reference, code, year = key
    return f"{names[code]}, {years[year]}: {by} {reference}"
