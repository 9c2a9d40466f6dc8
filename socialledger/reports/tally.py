"""Grouped sums of entries: the one way entries become figures, used by every read model.

`tally` sums counted entries grouped by any fields, for both states (reported and verified),
treating stock measures as stocks and counting each person once; `with_derived` adds derived
measures from their components. `summed` answers the same for a whole scope from the summary
tables (reports/summaries.py keeps them equal to `tally` of the entries), and `on_contracts`
for a chosen set of contracts. Only `reports.queries`, `reports.comparisons` and
`reports.drilldown` call these: they are the modules that aggregate entries (DESIGN.md §4,
principle 2).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, QuerySet, Sum

from socialledger.lib.fields import ScaledDecimalField
from socialledger.measures.models import Measure
from socialledger.reports.models import GroupFigure, RepeatedPerson, ScopeFigure
from socialledger.reports.report import Figure
from socialledger.returns.models import STATUSES_COUNTED_AS, Entry, State


def tally(entries: QuerySet, fields: list[str], measures: list[Measure]) -> dict[tuple, Figure]:
    """Sum entries grouped by `fields` (the first being the measure), for each state.

    Stock measures are not summed across periods: within each group, each contract contributes
    only its latest period.
    """
    counted = entries.filter(submission__status__in=STATUSES_COUNTED_AS[State.REPORTED])
    stock_ids = [m.pk for m in measures if not m.is_derived and not m.sums_across_years]
    totals = _sum_by_state(counted.exclude(measure_id__in=stock_ids), fields)
    _count_each_person_once(totals, entries.exclude(measure_id__in=stock_ids), fields)
    if stock_ids:
        detailed = [*fields, "contract_id", "period_end"]
        stock = _sum_by_state(counted.filter(measure_id__in=stock_ids), detailed)
        totals.update(_latest_period_per_contract(stock, len(fields)))
    return totals


def _count_each_person_once(totals: dict, entries: QuerySet, fields: list[str]) -> None:
    """Take out repeats: an entry for a person (by pseudonymous key) already counted for the same
    measure and year, in this report and state, on another entry. The earliest entry counts."""
    for state, statuses in STATUSES_COUNTED_AS.items():
        in_state = entries.filter(submission__status__in=statuses)
        earlier = in_state.filter(
            measure=OuterRef("measure"),
            financial_year=OuterRef("financial_year"),
            person_key=OuterRef("person_key"),
            pk__lt=OuterRef("pk"),
        )
        repeats = in_state.exclude(person_key="").filter(Exists(earlier))
        rows = repeats.values(*fields).annotate(total=Sum("quantity"), n=Count("id")).order_by()
        for row in rows:
            key = (*(row[field] for field in fields), state)
            totals[key] = totals.get(key, Figure()) - Figure(row["total"], row["n"])


def _sum_by_state(entries: QuerySet, fields: list[str]) -> dict[tuple, Figure]:
    rows = entries.values(*fields, "submission__status").annotate(
        total=Sum("quantity"), n=Count("id")
    )
    totals: dict[tuple, Figure] = defaultdict(Figure)
    for row in rows.order_by():
        key = tuple(row[field] for field in fields)
        for state, statuses in STATUSES_COUNTED_AS.items():
            if row["submission__status"] in statuses:
                totals[(*key, state)] += Figure(row["total"], row["n"])
    return dict(totals)


def _latest_period_per_contract(stock: dict[tuple, Figure], width: int) -> dict[tuple, Figure]:
    latest: dict[tuple, Any] = {}
    for *group, contract, period_end, state in stock:
        slot = (*group[:width], contract, state)
        latest[slot] = max(latest.get(slot, period_end), period_end)
    totals: dict[tuple, Figure] = defaultdict(Figure)
    for (*group, contract, period_end, state), figure in stock.items():
        if latest[(*group[:width], contract, state)] == period_end:
            totals[(*group[:width], state)] += figure
    return dict(totals)


def with_derived(tally: dict[tuple, Figure], measures: list[Measure]) -> dict[tuple, Figure]:
    """Add each derived measure, computed from its components under the same grouping."""
    combined = dict(tally)
    for measure in measures:
        if not measure.is_derived:
            continue
        signs = {part.component_id: part.coefficient for part in measure.components.all()}
        for (measure_id, *rest), figure in tally.items():
            if measure_id in signs:
                key = (measure.pk, *rest)
                combined[key] = combined.get(key, Figure()) + figure.scaled(signs[measure_id])
    return combined


# --- From the summary tables --------------------------------------------------------------------


def _net(total: str, repeats: str):
    """A summary row's figure less its repeated people: (quantity, entries) expressions."""
    quantity = ExpressionWrapper(F(total) - F("repeat_total"), output_field=QUANTITY)
    return quantity, F(repeats) - F("repeats")


QUANTITY = ScaledDecimalField(places=4)


def summed(
    scope, *, years=None, up_to: int | None = None, by: str | None = None
) -> dict[tuple, Figure]:
    """A scope's figures keyed as `tally` keys them: (measure, year, state) when `by` is None,
    else (measure, year, breakdown key or group id, state), with `by` "breakdown_key" or a group
    kind (framework, member, supplier, contract). Equal to `tally` of the scope's entries."""
    if by is None or by == "breakdown_key":
        rows = scope.summaries(ScopeFigure)
    else:
        rows = scope.summaries(GroupFigure).filter(group_kind=by)
    if years is not None:
        rows = rows.filter(financial_year__in=years)
    if up_to is not None:
        rows = rows.filter(financial_year__lte=up_to)
    if by is None:
        quantity, entries = _net("whole_total", "whole_entries")
        found = rows.values_list("measure_id", "financial_year", "state").annotate(
            value=Sum(quantity, output_field=QUANTITY), n=Sum(entries)
        )
    else:
        quantity, entries = _net("total", "entries")
        column = "breakdown_key" if by == "breakdown_key" else "group_id"
        found = rows.values_list("measure_id", "financial_year", column, "state").annotate(
            value=quantity, n=entries
        )
    return {tuple(key): Figure(value, n) for *key, value, n in found.order_by()}


def on_contracts(provider, contract_ids, year: int) -> dict[tuple, Figure]:
    """Figures per (measure, contract, state) in one year over just these contracts, each person
    counted once among them: `tally` of those contracts' entries by measure and contract.

    Each contract's own sums come from the summary tables; a person can only be counted twice
    among the contracts if they were counted twice in the whole provider, so only those people's
    entries are read to take out the repeats.
    """
    rows = GroupFigure.objects.filter(
        scope_kind="contract",
        scope_id__in=contract_ids,
        group_kind="contract",
        financial_year=year,
    ).values_list("measure_id", "group_id", "state", "total", "entries")
    totals = {(m, c, state): Figure(total, n) for m, c, state, total, n in rows.order_by()}
    repeated = RepeatedPerson.objects.filter(
        provider=provider, financial_year=year, contract_id__in=contract_ids
    ).values("person_key")
    people = (
        Entry.objects.filter(
            contract_id__in=contract_ids,
            financial_year=year,
            person_key__in=repeated,
            submission__status__in=STATUSES_COUNTED_AS[State.REPORTED],
        )
        .exclude(measure__aggregation=Measure.Aggregation.STOCK)
        .values_list("measure_id", "contract_id", "person_key", "quantity", "submission__status")
        .order_by("pk")
    )
    seen = set()
    for measure_id, contract_id, person_key, quantity, status in people:
        for state, statuses in STATUSES_COUNTED_AS.items():
            if status not in statuses:
                continue
            if (measure_id, person_key, state) in seen:
                key = (measure_id, contract_id, state)
                totals[key] = totals[key] - Figure(quantity, 1)
            seen.add((measure_id, person_key, state))
    return totals
