"""The contracts' carbon in tonnes of CO2e: the year's emissions against the baseline and the
commitment of their carbon reduction plans. Kept apart from every count and never given a £
value: no measure, summary or value set reads it. One source for every format."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from socialledger.lib.numbers import ZERO, normalise

HEADING = "Carbon"
APART_WORDS = (
    "Tonnes of carbon dioxide equivalent (CO2e), as the suppliers' carbon reduction plans count "
    "them. Carbon is reported apart: it is never valued in pounds nor added to social value."
)


@dataclass(frozen=True)
class CarbonLine:
    """One contract's emissions this year beside its plan."""

    contract: str
    scope_1: Decimal
    scope_2: Decimal
    scope_3: Decimal
    total: Decimal
    baseline: Decimal
    baseline_year: str
    commitment: Decimal
    commitment_year: str


@dataclass(frozen=True)
class Carbon:
    """The year's emissions of the scope's contracts; empty when none were recorded."""

    lines: tuple[CarbonLine, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), ZERO)

    @property
    def baseline(self) -> Decimal:
        return sum((line.baseline for line in self.lines), ZERO)

    @property
    def commitment(self) -> Decimal:
        return sum((line.commitment for line in self.lines), ZERO)


def carbon_section(scope, year) -> Carbon:
    """Each contract in the scope with emissions recorded for the year."""
    from socialledger.contracts.models import Emissions

    emissions = (
        Emissions.objects.filter(contract__in=scope.contracts())
        .for_year(year.start_year)
        .select_related("contract__supplier")
        .order_by("contract__reference")
    )
    label = scope.provider.financial_year
    return Carbon(
        lines=tuple(
            CarbonLine(
                contract=e.contract.reference,
                scope_1=e.scope_1,
                scope_2=e.scope_2,
                scope_3=normalise(sum(e.scope_3_tonnes().values(), ZERO)),
                total=normalise(e.total),
                baseline=e.baseline,
                baseline_year=label(e.baseline_year).label,
                commitment=e.commitment,
                commitment_year=label(e.commitment_year).label,
            )
            for e in emissions
        )
    )


def tonnes(value: Decimal) -> str:
    return f"{number(value)} tCO2e"


def number(value: Decimal) -> str:
    """Tonnes to two places, as every format prints them: "1,134.95"."""
    return f"{value:,.2f}"


def table_rows(carbon: Carbon) -> list[list[str]]:
    """Each contract's row as the page and the PDF print it."""
    return [
        [
            line.contract,
            number(line.scope_1),
            number(line.scope_2),
            number(line.scope_3),
            number(line.total),
            f"{number(line.baseline)} in {line.baseline_year}",
            f"{number(line.commitment)} by {line.commitment_year}",
        ]
        for line in carbon.lines
    ]


def sentence(line: CarbonLine) -> str:
    """ "DEC-001: 120.50 tCO2e (scope 1 …); baseline 150.00 tCO2e in 2022-23, commitment …" """
    return (
        f"{line.contract}: {tonnes(line.total)} (scope 1 {number(line.scope_1)}, scope 2 "
        f"{number(line.scope_2)}, scope 3 {number(line.scope_3)}); baseline "
        f"{tonnes(line.baseline)} in {line.baseline_year}; commitment "
        f"{tonnes(line.commitment)} by {line.commitment_year}"
    )


def carbon_data(carbon: Carbon) -> dict:
    """The section as plain data (Decimals as exact strings, tonnes of CO2e)."""
    return {
        "unit": "tCO2e",
        "total": str(carbon.total),
        "baseline": str(carbon.baseline),
        "commitment": str(carbon.commitment),
        "contracts": [
            {
                "contract": line.contract,
                "scope_1": str(line.scope_1),
                "scope_2": str(line.scope_2),
                "scope_3": str(line.scope_3),
                "total": str(line.total),
                "baseline": str(line.baseline),
                "baseline_year": line.baseline_year,
                "commitment": str(line.commitment),
                "commitment_year": line.commitment_year,
            }
            for line in carbon.lines
        ],
    }


def text_lines(carbon: Carbon) -> list[str]:
    if not carbon.lines:
        return []
    parts = ["", f"{HEADING}: {tonnes(carbon.total)} this year, against a baseline of "]
    parts[-1] += f"{tonnes(carbon.baseline)}:"
    parts += [f"  {sentence(line)}." for line in carbon.lines]
    return [*parts, f"  {APART_WORDS}"]


def markdown_lines(carbon: Carbon) -> list[str]:
    if not carbon.lines:
        return []
    parts = ["", f"## {HEADING}", "", f"{tonnes(carbon.total)} this year.", ""]
    parts += [f"- {sentence(line)}." for line in carbon.lines]
    return [*parts, "", APART_WORDS]


def csv_rows(carbon: Carbon, year: str):
    """CSV rows (as the report's long table): each contract's tonnes by scope, its baseline and
    its commitment, in tCO2e."""
    for line in carbon.lines:
        head = ["carbon", line.contract, "Emissions", "tCO2e", year, ""]
        for split, value in (
            ("scope 1", line.scope_1),
            ("scope 2", line.scope_2),
            ("scope 3", line.scope_3),
            ("total", line.total),
            (f"baseline {line.baseline_year}", line.baseline),
            (f"commitment {line.commitment_year}", line.commitment),
        ):
            yield [*head, "scope", split, value, ""]
