"""Grouped sums of entries: the one way entries become figures, used by every read model.

`tally` sums counted entries grouped by any fields, for both states (reported and verified),
treating stock measures as stocks and counting each person once; `with_derived` adds derived
measures from their components. `summed`, `grouped` and `split` answer the same for a scope
from the summary tables (reports/summaries.py keeps them equal to `tally` of the entries), and
`figures_on_contracts` for a chosen set of contracts; `tally_split` splits a tally further (by
evidence strength). Only `reports.queries`, `reports.comparisons`, `reports.drilldown` and
`reports.strength` call these: they are the modules that aggregate
entries (DESIGN.md §4, principle 2).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, QuerySet, Sum

from socialledger.lib.fields import ScaledDecimalField
from socialledger.measures.models import Measure
from socialledger.reports.models import ContractFigure, GroupFigure, RepeatedPerson, ScopeFigure
from socialledger.reports.report import Figure
from socialledger.reports.summaries import parse_key
from socialledger.returns.models import STATUSES_COUNTED_AS, Entry, State


def tally(
    entries: QuerySet, fields: list[str], measures: list[Measure], *, known_repeats: bool = False
) -> dict[tuple, Figure]:
    """Sum entries grouped by `fields` (the first being the measure), for each state.

    Stock measures are not summed across periods: within each group, each contract contributes
    only its latest period. Each person counts once per measure, year and state: with
    `known_repeats`, only the people the summary tables list as counted twice are looked at
    (the same result, without comparing every entry with every other).
    """
    counted = entries.filter(submission__status__in=STATUSES_COUNTED_AS[State.REPORTED])
    stock_ids = [m.pk for m in measures if not m.is_derived and not m.sums_across_years]
    totals = _sum_by_state(counted.exclude(measure_id__in=stock_ids), fields)
    once = _take_out_known_repeats if known_repeats else _count_each_person_once
    once(totals, entries.exclude(measure_id__in=stock_ids), fields)
    if stock_ids:
        detailed = [*fields, "contract_id", "period_end"]
        stock = _sum_by_state(counted.filter(measure_id__in=stock_ids), detailed)
        totals.update(_latest_period_per_contract(stock, len(fields)))
    return totals


def tally_split(
    entries: QuerySet, fields: list[str], by: str, measures: list[Measure]
) -> dict[tuple, Figure]:
    """`tally` by `fields`, each group split further by `by` (an annotated field, such as the
    evidence strength): keys are (*fields, split value, state), and a group's parts add up to
    its `tally` figure. A stock's latest period per contract is chosen before splitting, so a
    contract's earlier periods never count in a part they were not counted in the whole."""
    stock_ids = [m.pk for m in measures if not m.is_derived and not m.sums_across_years]
    flows = entries.exclude(measure_id__in=stock_ids)
    totals = tally(flows, [*fields, by], measures, known_repeats=True)
    if not stock_ids:
        return totals
    counted = entries.filter(
        measure_id__in=stock_ids, submission__status__in=STATUSES_COUNTED_AS[State.REPORTED]
    )
    detailed = _sum_by_state(counted, [*fields, "contract_id", "period_end", by])
    latest: dict[tuple, Any] = {}
    for *group, contract, period_end, _part, state in detailed:
        slot = (*group, contract, state)
        latest[slot] = max(latest.get(slot, period_end), period_end)
    for (*group, contract, period_end, part, state), figure in detailed.items():
        if latest[(*group, contract, state)] == period_end:
            key = (*group, part, state)
            totals[key] = totals.get(key, Figure()) + figure
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

QUANTITY = ScaledDecimalField(places=4)
ROLLED_UP = ("provider", "framework")  # scopes with rows of their own (reports/summaries.py)


def _net(total: str, entries: str, repeats: str = ""):
    """A summary row's (quantity, entries) less its repeated people, as expressions."""
    repeat_total, repeats = (
        (f"{repeats}_repeat_total", f"{repeats}_repeats")
        if repeats
        else (
            "repeat_total",
            "repeats",
        )
    )
    quantity = ExpressionWrapper(F(total) - F(repeat_total), output_field=QUANTITY)
    return quantity, F(entries) - F(repeats)


def _figures(rows) -> dict[tuple, Figure]:
    return {tuple(key): Figure(value, n) for *key, value, n in rows.order_by()}


def _contract_rows(scope, *, years=None, up_to=None):
    rows = scope.contract_figures()
    if years is not None:
        rows = rows.filter(financial_year__in=years)
    if up_to is not None:
        rows = rows.filter(financial_year__lte=up_to)
    return rows


def summed(scope, *, years=None, up_to: int | None = None) -> dict[tuple, Figure]:
    """A scope's figures by (measure, year, state): `tally` of its entries by measure and year."""
    if scope.kind in ROLLED_UP:
        rows = scope.summaries(ScopeFigure).filter(dimension="")
        if years is not None:
            rows = rows.filter(financial_year__in=years)
        if up_to is not None:
            rows = rows.filter(financial_year__lte=up_to)
        quantity, entries = _net("total", "entries")
        return _figures(
            rows.values_list("measure_id", "financial_year", "state", quantity, entries)
        )
    quantity, entries = _net("total", "entries", scope.kind)
    rows = _contract_rows(scope, years=years, up_to=up_to)
    return _figures(
        rows.values_list("measure_id", "financial_year", "state").annotate(
            value=Sum(quantity, output_field=QUANTITY), n=Sum(entries)
        )
    )


def grouped(scope, *, years, by: str, state: str | None = None) -> dict[tuple, Figure]:
    """A scope's figures by (measure, year, group, state), `by` being framework, member, supplier
    or contract: `tally` of its entries by measure, year and that group (in one state only, if
    given)."""
    rows = _group_rows(scope, years, by)
    if state is not None:
        rows = rows.filter(state=state)
    if scope.kind in ROLLED_UP and by != "contract":
        quantity, entries = _net("total", "entries")
        return _figures(
            rows.values_list("measure_id", "financial_year", "group_id", "state", quantity, entries)
        )
    quantity, entries = _net("total", "entries", scope.kind)
    return _figures(
        rows.values_list("measure_id", "financial_year", f"{by}_id", "state").annotate(
            value=Sum(quantity, output_field=QUANTITY), n=Sum(entries)
        )
    )


def groups_with_figures(scope, *, years, by: str) -> set[int]:
    """The groups (frameworks, members, suppliers) with figures in the scope in these years, in
    either state: the rows of a report's table."""
    rows = _group_rows(scope, years, by)
    column = "group_id" if scope.kind in ROLLED_UP and by != "contract" else f"{by}_id"
    return set(rows.values_list(column, flat=True).distinct().order_by())


def _group_rows(scope, years, by: str):
    if scope.kind in ROLLED_UP and by != "contract":
        return scope.summaries(GroupFigure).filter(group_kind=by, financial_year__in=years)
    return _contract_rows(scope, years=years)


def split(scope, *, years, measures: list[Measure]) -> dict[tuple, Figure]:
    """A scope's figures by (measure, year, dimension, value, state), value None for "not
    stated": `tally` of its entries by breakdown key, added up per breakdown value."""
    if scope.kind not in ROLLED_UP:
        entries = scope.entries().in_years(*years)
        fields = ["measure_id", "financial_year", "breakdown_key"]
        return by_value(tally(entries, fields, measures, known_repeats=True), measures)
    rows = scope.summaries(ScopeFigure).filter(financial_year__in=years)
    found = rows.values_list(
        "measure_id",
        "financial_year",
        "state",
        "dimension",
        "value",
        "total",
        "entries",
        "repeat_total",
        "repeats",
    )
    stored = {tuple(row[:5]): row[5:] for row in found.order_by()}
    return _with_not_stated(stored, measures)


def _with_not_stated(stored: dict[tuple, tuple], measures: list[Measure]) -> dict[tuple, Figure]:
    """Stated parts as stored; "not stated" as the whole (for a stock, the sum of its latest
    periods per breakdown) less the stated parts."""
    result: dict[tuple, Figure] = {}
    stated: dict[tuple, list] = defaultdict(lambda: [Figure(), 0])
    for (measure_id, year, state, dimension, value), (
        total,
        n,
        repeat_total,
        repeats,
    ) in stored.items():
        if dimension not in ("", "*"):
            figure = Figure(total - repeat_total, n - repeats)
            result[(measure_id, year, dimension, value, state)] = figure
            part = stated[(measure_id, year, state, dimension)]
            part[0], part[1] = part[0] + figure, part[1] + n
    stock = {m.pk for m in measures if not m.sums_across_years}
    for measure in measures:
        base = "*" if measure.pk in stock else ""
        for (measure_id, year, state, dimension, _v), (
            total,
            n,
            repeat_total,
            repeats,
        ) in stored.items():
            if measure_id != measure.pk or dimension != base:
                continue
            for code in (d.code for d in measure.dimensions.all()):
                figure, raw = stated[(measure_id, year, state, code)]
                if n - raw > 0:
                    left = Figure(total - repeat_total, n - repeats) - figure
                    result[(measure_id, year, code, None, state)] = left
    return result


def by_value(by_key: dict[tuple, Figure], measures: list[Measure]) -> dict[tuple, Figure]:
    """Figures keyed (measure, year, breakdown key, state) added up per breakdown value:
    (measure, year, dimension, value or None for not stated, state)."""
    dimensions = {m.pk: [d.code for d in m.dimensions.all()] for m in measures}
    result: dict[tuple, Figure] = {}
    for (measure_id, year, key, state), figure in by_key.items():
        values = parse_key(key)
        for code in dimensions.get(measure_id, []):
            slot = (measure_id, year, code, values.get(code), state)
            result[slot] = result.get(slot, Figure()) + figure
    return result


def figures_on_contracts(contract_ids, year) -> dict[tuple, Figure]:
    """Figures per (measure, contract, state) in one year over just these contracts, each person
    counted once among them: `tally` of those contracts' entries by measure and contract.

    Each contract's own sums come from the summary tables; a person can only be counted twice
    among the contracts if they were counted twice in the whole provider, so only those people's
    entries are read to take out the repeats.
    """
    year = year.start_year
    rows = ContractFigure.objects.filter(contract_id__in=contract_ids, financial_year=year)
    totals = _figures(rows.values_list("measure_id", "contract_id", "state", "total", "entries"))
    entries = Entry.objects.filter(contract_id__in=contract_ids, financial_year=year).exclude(
        measure__aggregation=Measure.Aggregation.STOCK
    )
    _take_out_known_repeats(totals, entries, ["measure_id", "contract_id"])
    return totals


def _take_out_known_repeats(totals: dict, entries: QuerySet, fields: list[str]) -> None:
    """As `_count_each_person_once`, looking only at people the summaries list as counted twice
    in the provider: the only ones who can be counted twice in any part of it."""
    listed = RepeatedPerson.objects.values("entry_id")
    people = entries.filter(pk__in=listed).values("person_key")
    extra = [f for f in ("measure_id", "financial_year") if f not in fields]
    rows = (
        entries.filter(
            person_key__in=people, submission__status__in=STATUSES_COUNTED_AS[State.REPORTED]
        )
        .values_list("person_key", "quantity", "submission__status", *extra, *fields)
        .order_by("pk")
    )
    seen = set()
    for person, quantity, status, *values in rows:
        found = dict(zip([*extra, *fields], values, strict=True))
        key = tuple(values[len(extra) :])
        for state, statuses in STATUSES_COUNTED_AS.items():
            if status not in statuses:
                continue
            slot = (found["measure_id"], found["financial_year"], person, state)
            if slot in seen:
                totals[(*key, state)] = totals.get((*key, state), Figure()) - Figure(quantity, 1)
            seen.add(slot)
