"""Plain-English sentences about a report, in the style of a published social value summary.

Falls are stated as plainly as rises, every measure gets its sentence, and a year with no figure
on record is said to have none rather than shown as zero.
"""

from __future__ import annotations

from decimal import Decimal

from socialledger.lib.numbers import format_percent, format_quantity
from socialledger.reports.report import AnnualReport, MeasureLine


def amount(line: MeasureLine, value: Decimal) -> str:
    """A figure in the measure's unit, e.g. "1,318" or "£803,741"."""
    return format_quantity(value, money=line.is_money)


def narrative(report: AnnualReport) -> list[str]:
    """A sentence for every measure in the report, in library order."""
    lines = {line.code: line for line in report.measures}
    return [sentence(line, lines) for line in report.measures]


def sentence(line: MeasureLine, lines: dict[str, MeasureLine]) -> str:
    """One sentence on a measure: this year's figure, and how it moved from the year before."""
    current, previous = line.headline, line.previous_headline
    this_year, last_year = line.current.year.label, line.previous.year.label
    if not current.recorded and line.provisional:
        had = f"; {last_year} had {amount(line, previous.value)}" if previous.recorded else ""
        return f"No figure for {line.name.lower()} yet for {this_year}, a year in progress{had}."
    if not current.recorded:
        if previous.recorded:
            return (
                f"No figure for {line.name.lower()} is on record for {this_year}; "
                f"{last_year} had {amount(line, previous.value)}."
            )
        return f"No figure for {line.name.lower()} is on record for {this_year} or {last_year}."
    said = line.narrative_one if current.value == 1 else line.narrative_many
    opening = said.format(n=amount(line, current.value)) + f" in {this_year}"
    return _capitalise(opening + _comparison(line) + ".") + _parts(line, lines) + _unverified(line)


def _comparison(line: MeasureLine) -> str:
    previous, last_year = line.previous_headline, line.previous.year.label
    if line.missing_parts:
        return f" so far; it is incomplete ({line.change_words.removeprefix('incomplete: ')})"
    if not previous.recorded:
        return f"; there is no figure on record for {last_year} to compare with"
    if line.lead_with_like_for_like:
        return _like_for_like(line)
    change = line.change
    if change.direction == "same":
        return f", the same as in {last_year}"
    if change.direction == "new":
        return f", up from none in {last_year}"
    before = amount(line, previous.value)
    return f", {change.direction} {format_percent(change.percent)} from {before} in {last_year}"


def _like_for_like(line: MeasureLine) -> str:
    """A year in progress is compared on the same contracts both years, provisionally."""
    change, last_year = line.headline_change, line.previous.year.label
    where = "on the contracts reporting in both years"
    if change.direction == "same":
        return f" so far, provisionally the same as in {last_year} {where}"
    if change.direction == "new":
        return f" so far, provisionally up from none in {last_year} {where}"
    before = amount(line, line.like_for_like.previous)
    return (
        f" so far, provisionally {change.direction} {format_percent(change.percent)} from "
        f"{before} in {last_year} {where}"
    )


def _part(line: MeasureLine, part: MeasureLine) -> str:
    if not part.headline.recorded:
        return f"{part.name.lower()} ({'no figure yet' if part.provisional else 'none on record'})"
    return f"{part.name.lower()} ({amount(line, part.headline.value)})"


def _parts(line: MeasureLine, lines: dict[str, MeasureLine]) -> str:
    """Name a derived measure's components and their figures, so its total can be checked."""
    if not line.components:
        return ""
    named = [(c.sign, _part(line, lines[c.code])) for c in line.components]
    if all(sign > 0 for sign, _ in named):
        return " It is the sum of " + " and ".join(text for _, text in named) + "."
    formula = named[0][1] + "".join(
        f" {'plus' if sign > 0 else 'less'} {text}" for sign, text in named[1:]
    )
    return f" It is {formula}."


def _unverified(line: MeasureLine) -> str:
    if line.basis != "verified" or line.unverified <= 0:
        return ""
    return (
        f" A further {amount(line, line.unverified)} reported for {line.current.year.label} "
        "is not yet verified."
    )


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
