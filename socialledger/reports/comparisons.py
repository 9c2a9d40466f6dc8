"""Comparisons between two years: like-for-like figures, and rates per £1m of contract value.

This module owns the like-for-like rule (it aggregates entries through `reports.tally`, as
`reports.queries` does) and the per-£1m normalisation of figures queries has already summed.

Like-for-like: a contract is *in both years* when it has at least one entry counted on the
report's basis (verified, or reported) in each of the two years, for any measure. A measure's
like-for-like figures are its totals over only those contracts, so contracts that started,
ended or stopped reporting between the two years do not move the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from socialledger.lib.numbers import ZERO
from socialledger.reports.report import LikeForLike
from socialledger.reports.tally import tally, with_derived

ONE_MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class LikeForLikeSet:
    """The contracts with figures in both years, and each measure's totals over them."""

    contracts: frozenset[int] = field(default_factory=frozenset)
    lines: dict[int, LikeForLike] = field(default_factory=dict)


def like_for_like(scope, year, against, basis: str, measures) -> LikeForLikeSet:
    """Each measure's figures for both years over only the contracts with figures in both."""
    entries = scope.entries().in_years(year.start_year, against.start_year)
    counted = tally(entries, ["measure_id", "financial_year", "contract_id"], measures)
    years_by_contract: dict[int, set[int]] = {}
    for (_measure, start_year, contract, state), figure in counted.items():
        if state == basis and figure.recorded:
            years_by_contract.setdefault(contract, set()).add(start_year)
    both = frozenset(
        contract
        for contract, years in years_by_contract.items()
        if {year.start_year, against.start_year} <= years
    )
    sums = with_derived(counted, measures)
    lines = {}
    for measure in measures:
        current = previous = ZERO
        for (measure_id, start_year, contract, state), figure in sums.items():
            if measure_id != measure.pk or state != basis or contract not in both:
                continue
            if start_year == year.start_year:
                current += figure.value
            else:
                previous += figure.value
        lines[measure.pk] = LikeForLike(previous, current)
    return LikeForLikeSet(both, lines)


def per_million(quantity: Decimal, contract_value: Decimal) -> Decimal | None:
    """A figure per £1m of contract value, exactly; None when there is no contract value."""
    if not contract_value:
        return None
    return quantity * ONE_MILLION / contract_value
