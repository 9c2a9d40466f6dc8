"""Small-number suppression for published reports, worked out from the report object alone.

The rule (docs/reports.md, docs/decisions/0011-publishing-snapshots-and-suppression.md):

1. Primary: a count (any measure not in £) greater than 0 and below the threshold is hidden and
   shown as "fewer than N": a headline figure, a breakdown cell or a group (framework, member,
   supplier) cell, in either year.
2. Complementary: a table's column adds up to a figure that is shown, so a column with exactly
   one hidden cell would give it away; the smallest other non-zero cell in that column is hidden
   too (shown as "suppressed"). A hidden headline hides its whole column.
3. Derived measures: a group cell of a derived measure is hidden with any of its components in
   that row, and the components with it, since each is the others' difference.
4. Rules 2 and 3 repeat until nothing changes.

£ figures are never primary-suppressed (they are organisations' money), but a group's £ per £1
of contract value is withheld wherever any of that group's counts is hidden, because the £ is
counts × published unit values and could be divided back.
"""

from __future__ import annotations

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
    secondary = _complementary(report, counts, primary)
    return Suppression(threshold, frozenset(primary), frozenset(secondary - primary))


def _small(threshold: int):
    return lambda value: Decimal(0) < value < threshold


def _complementary(report: AnnualReport, counts, primary: set[tuple]) -> set[tuple]:
    hidden = set(primary)
    while True:
        before = len(hidden)
        for line in counts:
            for year in (CURRENT, PREVIOUS):
                _columns(report, line, year, hidden)
        _derived(report, hidden)
        if len(hidden) == before:
            return hidden


def _columns(report, line, year: str, hidden: set[tuple]) -> None:
    headline_hidden = ("headline", line.code, year) in hidden
    columns = [
        [(("breakdown", line.code, b.dimension, r.label, year), getattr(r, year)) for r in b.rows]
        for b in line.breakdowns
    ]
    columns += [
        [
            (("group", t.by, r.reference, line.code, year), getattr(r.cell(line.code), year))
            for r in t.rows
        ]
        for t in report.groups
    ]
    for column in columns:
        if headline_hidden:
            hidden.update(key for key, value in column if value)
            continue
        if sum(1 for key, _ in column if key in hidden) == 1:
            shown = [(value, key) for key, value in column if key not in hidden and value]
            if shown:
                hidden.add(min(shown)[1])


def _derived(report, hidden: set[tuple]) -> None:
    for line in report.measures:
        if not line.is_derived:
            continue
        codes = [line.code, *(c.code for c in line.components)]
        for table in report.groups:
            for row in table.rows:
                for year in (CURRENT, PREVIOUS):
                    keys = [("group", table.by, row.reference, code, year) for code in codes]
                    if any(key in hidden for key in keys):
                        hidden.update(k for k in keys if getattr(row.cell(k[3]), year))


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
