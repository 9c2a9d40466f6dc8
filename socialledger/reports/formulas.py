"""Restatement notes for derived measures whose formula changed: each year worked out under the
formula version it was published with, beside the current version, as counted measures' notes
say which definition version each year was counted under.

A formula version applies from its first year on; a year before the current version's first year
was published under the version in force then (measures.models.FormulaVersion).
"""

from __future__ import annotations

from decimal import Decimal

from socialledger.lib.numbers import ZERO, format_quantity
from socialledger.lib.periods import FinancialYear
from socialledger.measures.models import FormulaVersion


def formula_notes(measures, years: list[FinancialYear], basis: str, history: dict) -> list[str]:
    """A note for each derived measure and year whose published formula is not the current."""
    derived = [m for m in measures if m.is_derived]
    if not derived:
        return []
    versions: dict[int, list[FormulaVersion]] = {}
    for version in FormulaVersion.objects.filter(measure__in=derived).order_by("version"):
        versions.setdefault(version.measure_id, []).append(version)
    names = {m.code: m.name.lower() for m in measures}
    ids = {m.code: m.pk for m in measures}
    notes = []
    for measure in derived:
        found = versions.get(measure.pk, [])
        if len(found) < 2:
            continue
        current = found[-1]
        for year in years:
            then = _in_force(found, year.start_year)
            if then is None or then == current:
                continue
            published = _worked_out(then, ids, year, basis, history)
            now = history.get((measure.pk, year.start_year, basis))
            notes.append(
                f"{measure.name}, {year.label}: published under formula version {then.version} "
                f"({_words(then, names)}) as {_amount(measure, published)}; under the current "
                f"version {current.version} ({_words(current, names)}, from "
                f"{_first(current)}: {current.reason}) it is "
                f"{_amount(measure, now.value if now else ZERO)}."
            )
    return notes


def _in_force(versions: list[FormulaVersion], start_year: int) -> FormulaVersion | None:
    applying = [v for v in versions if v.first_year <= start_year]
    return applying[-1] if applying else None


def _worked_out(version: FormulaVersion, ids, year, basis: str, history: dict) -> Decimal:
    total = ZERO
    for sign, code in version.formula:
        figure = history.get((ids.get(code), year.start_year, basis))
        total += figure.value * sign if figure else ZERO
    return total


def _words(version: FormulaVersion, names: dict[str, str]) -> str:
    text = " ".join(
        f"{'+' if sign > 0 else '−'} {names.get(code, code)}" for sign, code in version.formula
    )
    return text.removeprefix("+ ")


def _first(version: FormulaVersion) -> str:
    return FinancialYear(version.first_year).label


def _amount(measure, value: Decimal) -> str:
    return format_quantity(value, money=measure.is_money)
