"""Reading the shipped data files: the open default value set and the GDP deflator series."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from socialledger.lib.periods import FinancialYear
from socialledger.lib.valuation import DeflatorSeries

DATA = Path(__file__).resolve().parent / "data"
OPEN_VALUES_FILE = DATA / "open-values.toml"
DEFLATOR_FILE = DATA / "gdp-deflator.toml"


class DataFileError(ValueError):
    """A shipped data file contradicts itself; the message names the entry and the problem."""


@dataclass(frozen=True)
class ValueSpec:
    """One row of a value set as read from a file, before it is checked against the ledger."""

    measure: str
    fields: dict[str, str]


@dataclass(frozen=True)
class ValueSetSpec:
    code: str
    name: str
    version: int
    description: str
    values: tuple[ValueSpec, ...]
    unvalued: dict[str, str]


def read_open_values(path: Path = OPEN_VALUES_FILE) -> ValueSetSpec:
    """The open default value set as plain text fields, checked by the same rules as an import."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    values = tuple(
        ValueSpec(raw["measure"], {k: " ".join(str(v).split()) for k, v in raw.items()})
        for raw in data.get("value", [])
    )
    return ValueSetSpec(
        code=data["code"],
        name=data["name"],
        version=int(data["version"]),
        description=" ".join(data.get("description", "").split()),
        values=values,
        unvalued={code: " ".join(text.split()) for code, text in data.get("unvalued", {}).items()},
    )


@lru_cache(maxsize=1)
def deflator_series(path: Path = DEFLATOR_FILE) -> DeflatorSeries:
    """The shipped GDP deflator series, by financial year start."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    indices = {}
    for label, text in data["index"].items():
        index = Decimal(text)
        if index <= 0:
            raise DataFileError(f"{label}: a deflator index must be positive, not {text}.")
        indices[FinancialYear.parse(label).start_year] = index
    source = f"{data['release']}, {data['base']} ({data['licence']}): {data['source_url']}"
    return DeflatorSeries(indices, source)
