"""Comparisons between two years: like-for-like figures, and rates per £1m of contract value
and per £1m of spend.

This module owns the like-for-like rule (it reads each contract's figures from the summary
tables, as `reports.queries` reads its figures) and the per-£1m normalisation of figures queries
has already summed.

Like-for-like: a contract is *in both years* when it has at least one entry counted on the
report's basis (verified, or reported) in each of the two years, for any measure. A measure's
like-for-like figures are its totals over only those contracts, so contracts that started,
ended or stopped reporting between the two years do not move the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, ExpressionWrapper, F, Sum

from socialledger.lib.numbers import round_half_up
from socialledger.reports.report import Figure, LikeForLike
from socialledger.reports.tally import QUANTITY, with_derived

ONE_MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class LikeForLikeSet:
    """The contracts with figures in both years, and each measure's totals over them."""

    contracts: frozenset[int] = field(default_factory=frozenset)
    lines: dict[int, LikeForLike] = field(default_factory=dict)


def like_for_like(scope, year, against, basis: str, measures) -> LikeForLikeSet:
    """Each measure's figures for both years over only the contracts with figures in both."""
    years = (year.start_year, against.start_year)
    rows = scope.contract_figures().filter(state=basis, financial_year__in=years).order_by()
    repeat_total, repeats = F(f"{scope.kind}_repeat_total"), F(f"{scope.kind}_repeats")
    both = (
        rows.filter(entries__gt=repeats)
        .values("contract_id")
        .annotate(years=Count("financial_year", distinct=True))
        .filter(years=2)
        .values("contract_id")
    )
    quantity = ExpressionWrapper(F("total") - repeat_total, output_field=QUANTITY)
    sums = (
        rows.filter(contract_id__in=both)
        .values_list("measure_id", "financial_year", "state")
        .annotate(value=Sum(quantity, output_field=QUANTITY), n=Sum(F("entries") - repeats))
    )
    totals = with_derived(
        {(m, y, state): Figure(value, n) for m, y, state, value, n in sums}, measures
    )
    lines = {
        measure.pk: LikeForLike(
            totals.get((measure.pk, against.start_year, basis), Figure()).value,
            totals.get((measure.pk, year.start_year, basis), Figure()).value,
        )
        for measure in measures
    }
    return LikeForLikeSet(frozenset(both.values_list("contract_id", flat=True)), lines)


def per_million(quantity: Decimal, pounds: Decimal) -> Decimal | None:
    """A figure per £1m of contract value (or of spend), exactly; None when there is none."""
    if not pounds:
        return None
    return quantity * ONE_MILLION / pounds


def per_million_shown(rate: Decimal | None) -> Decimal | None:
    """A rate per £1m (of contract value or of spend) as every output shows it: to one decimal
    place, half-up; None (no value, or no spend) stays None."""
    return None if rate is None else round_half_up(rate, 1)
