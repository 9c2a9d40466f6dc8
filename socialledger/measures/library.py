"""Reading the shipped measure library (data/library.toml) into checked, plain records."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

LIBRARY_FILE = Path(__file__).resolve().parent / "data" / "library.toml"
_TERM = re.compile(r"([+-])\s*([a-z0-9-]+)")


class LibraryError(ValueError):
    """The library file contradicts itself; the message names the measure and the problem."""


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: str
    closed: bool
    description: str
    values: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    name: str
    unit: str
    aggregation: str
    version: int
    definition: str
    reason: str
    breakdowns: tuple[str, ...]
    formula: tuple[tuple[int, str], ...]
    needs_description: bool
    whole_numbers: bool
    narrative_one: str
    narrative_many: str
    # A changed formula's reason and first financial year ("2025-26"): a new formula version.
    formula_reason: str = ""
    formula_from: str = ""


@dataclass(frozen=True)
class Library:
    dimensions: tuple[DimensionSpec, ...]
    measures: tuple[MeasureSpec, ...]


def read_library(path: Path = LIBRARY_FILE) -> Library:
    """Parse and check the library file; raises LibraryError naming what is wrong."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    dimensions = tuple(_dimension(raw) for raw in data.get("dimension", []))
    measures = tuple(_measure(raw) for raw in data.get("measure", []))
    _check(dimensions, measures)
    return Library(dimensions, measures)


def parse_formula(text: str) -> tuple[tuple[int, str], ...]:
    """Turn "jobs-created + jobs-sustained" into ((1, "jobs-created"), (1, "jobs-sustained"))."""
    normalised = text.strip()
    if not normalised.startswith(("+", "-")):
        normalised = "+ " + normalised
    terms = _TERM.findall(normalised)
    rebuilt = " ".join(f"{sign} {code}" for sign, code in terms)
    if not terms or rebuilt.replace(" ", "") != normalised.replace(" ", ""):
        raise LibraryError(f'"{text}" is not a formula of measure codes joined by + and -.')
    return tuple((1 if sign == "+" else -1, code) for sign, code in terms)


def _dimension(raw: dict) -> DimensionSpec:
    return DimensionSpec(
        code=raw["code"],
        name=raw["name"],
        closed=bool(raw.get("closed", True)),
        description=raw.get("description", ""),
        values=tuple((value["code"], value["label"]) for value in raw.get("values", [])),
    )


def _measure(raw: dict) -> MeasureSpec:
    narrative = raw.get("narrative", {})
    return MeasureSpec(
        code=raw["code"],
        name=raw["name"],
        unit=raw["unit"],
        aggregation=raw.get("aggregation", "sum"),
        version=int(raw.get("version", 1)),
        definition=" ".join(raw["definition"].split()),
        reason=raw.get("reason", ""),
        breakdowns=tuple(raw.get("breakdowns", [])),
        formula=parse_formula(raw["formula"]) if "formula" in raw else (),
        needs_description=bool(raw.get("needs_description", False)),
        whole_numbers=bool(raw.get("whole_numbers", raw["unit"] in {"people", "events"})),
        narrative_one=narrative.get("one", f"{{n}} {raw['name'].lower()}"),
        narrative_many=narrative.get("many", f"{{n}} {raw['name'].lower()}"),
        formula_reason=raw.get("formula_reason", ""),
        formula_from=raw.get("formula_from", ""),
    )


def _check(dimensions: tuple[DimensionSpec, ...], measures: tuple[MeasureSpec, ...]) -> None:
    dimension_codes = {dimension.code for dimension in dimensions}
    by_code = {measure.code: measure for measure in measures}
    if len(by_code) != len(measures):
        raise LibraryError("Two measures share a code.")
    for measure in measures:
        unknown = set(measure.breakdowns) - dimension_codes
        if unknown:
            raise LibraryError(f"{measure.code}: unknown breakdowns {sorted(unknown)}.")
        for _sign, code in measure.formula:
            component = by_code.get(code)
            if component is None or component.formula:
                raise LibraryError(f"{measure.code}: {code} is not a counted measure.")
            if component.unit != measure.unit:
                raise LibraryError(
                    f"{measure.code}: {code} is in {component.unit}, not {measure.unit}."
                )
