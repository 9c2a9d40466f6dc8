"""£ beside the counts: the report's money, worked out from figures `reports.queries` has
already summed (this module adds no aggregation of entries of its own).

Every £ goes through `_Valuer.work`, so the page, the exports and `socialledger explain` show
the same working.
"""

from __future__ import annotations

from django.db.models import Sum

from socialledger.lib.numbers import ZERO
from socialledger.lib.periods import FinancialYear
from socialledger.lib.valuation import Band, DeflatorSeries, Working, total, work_out
from socialledger.measures.models import Measure
from socialledger.reports.report import (
    GroupTable,
    MeasureLine,
    Money,
    MoneyCommitment,
    MoneyCumulative,
    MoneyLine,
    MoneyRestatement,
    MoneyTotal,
    PerPoundRow,
    PerPoundTable,
)
from socialledger.valuation.library import deflator_series
from socialledger.valuation.models import ValueSetChoice


class _Valuer:
    """Turns counts into £ with one value set: every £ in a report goes through `work`."""

    def __init__(self, value_set, context, series: DeflatorSeries, price_year: int):
        self.value_set, self.context, self.series = value_set, context, series
        self.price_year = price_year
        self.units = {v.measure_id: v.as_unit() for v in value_set.values.all()}

    def work(self, measure_id: int, quantity, year: FinancialYear) -> Working | None:
        unit = self.units.get(measure_id)
        if unit is None:
            return None
        return work_out(quantity, unit, year.start_year, self.price_year, self.series)

    def year_total(self, year: FinancialYear, basis: str) -> Band:
        """Real, net £ for one year of the scope on one basis."""
        workings = [
            self.work(m.pk, self.context.figures(m, year).on(basis).value, year)
            for m in self.context.measures
            if not m.is_derived
        ]
        return total(w.real for w in workings if w is not None and w.real is not None)


def money_for(context, lines, groups, price_year: int | None, opening) -> Money | None:
    """The £ beside the counts, under the value set the provider has chosen (none: no £)."""
    choice = ValueSetChoice.objects.in_force(context.scope.provider)
    if choice is None:
        return None
    series = deflator_series()
    valuer = _Valuer(choice.value_set, context, series, price_year or series.latest)
    measures = {m.code: m for m in context.measures}
    money_lines = tuple(
        _money_line(line, measures[line.code], valuer) for line in lines if not line.is_derived
    )
    workings = [w for line in money_lines for w in (line.verified, line.reported) if w]
    return Money(
        value_set=choice.value_set.label,
        value_set_code=choice.value_set.code,
        value_set_version=choice.value_set.version,
        value_set_description=choice.value_set.description,
        chosen_on=f"{choice.chosen_at:%Y-%m-%d}",
        chosen_reason=choice.reason,
        price_year=FinancialYear(valuer.price_year),
        deflator_source=series.source,
        basis=context.basis,
        lines=money_lines,
        verified=_money_total([line.verified for line in money_lines]),
        reported=_money_total([line.reported for line in money_lines]),
        previous_real=valuer.year_total(context.against, context.basis),
        commitments=_money_commitments(lines, measures, valuer),
        per_pound=tuple(_per_pound(table, lines, measures, valuer) for table in groups),
        cumulative=_money_cumulative(valuer, opening),
        restatements=_money_restatements(context, choice, valuer.price_year),
        problems=tuple(dict.fromkeys(w.problem for w in workings if w.problem)),
    )


def _money_line(line: MeasureLine, measure: Measure, valuer: _Valuer) -> MoneyLine:
    if measure.pk not in valuer.units:
        reason = valuer.value_set.unvalued.get(measure.code, "The value set gives it no value.")
        return MoneyLine(line.code, line.name, line.unit_label, valued=False, reason=reason)
    year = valuer.context.year
    return MoneyLine(
        line.code,
        line.name,
        line.unit_label,
        valued=True,
        verified=valuer.work(measure.pk, line.current.verified.value, year),
        reported=valuer.work(measure.pk, line.current.reported.value, year),
        previous=valuer.work(measure.pk, line.previous_headline.value, line.previous.year),
    )


def _money_total(workings: list[Working | None]) -> MoneyTotal:
    done = [w for w in workings if w is not None and w.nominal is not None]
    real = [w for w in done if w.real is not None]
    complete = len(real) == len(done)
    return MoneyTotal(
        gross=total(w.nominal_gross for w in done),
        net=total(w.nominal for w in done),
        real_gross=total(w.real_gross for w in real) if complete else None,
        real_net=total(w.real for w in real) if complete else None,
    )


def _money_commitments(lines, measures, valuer: _Valuer) -> tuple[MoneyCommitment, ...]:
    """£ committed on contracts against £ delivered on those contracts, for valued measures."""
    found = []
    for line in lines:
        c = line.commitments
        if line.is_derived or c.on_contracts is None:
            continue
        measure, year = measures[line.code], valuer.context.year
        committed = valuer.work(measure.pk, c.on_contracts, year)
        delivered = valuer.work(measure.pk, c.delivered_on_those, year)
        if committed and committed.nominal is not None and delivered.nominal is not None:
            found.append(
                MoneyCommitment(line.code, line.name, committed.nominal, delivered.nominal)
            )
    return tuple(found)


CONTRACT_GROUP_FIELDS = {
    "framework": "framework__reference",
    "member": "member__reference",
    "supplier": "supplier__reference",
}


def _per_pound(table: GroupTable, lines, measures, valuer: _Valuer) -> PerPoundTable:
    """£ social value (net, nominal) per £1 of the value of the group's contracts live in the
    year."""
    year = valuer.context.year
    field = CONTRACT_GROUP_FIELDS[table.by]
    values = dict(
        valuer.context.scope.contracts()
        .live_during(year.start, year.end)
        .values_list(field)
        .annotate(total=Sum("value"))
        .order_by()
    )
    rows = []
    for row in table.rows:
        workings = [
            valuer.work(measures[cell.code].pk, cell.current, year)
            for cell in row.cells
            if not measures[cell.code].is_derived
        ]
        value = total(w.nominal for w in workings if w is not None and w.nominal is not None)
        rows.append(PerPoundRow(row.reference, row.name, value, values.get(row.reference) or ZERO))
    return PerPoundTable(table.by, table.title, tuple(rows))


def _money_cumulative(valuer: _Valuer, opening) -> MoneyCumulative:
    """Real £ since the first year on record; with an opening balance (whole-provider reports),
    that balance plus the years after it. The opening balance is shown as published, by its own
    method, and is not re-based."""
    context = valuer.context
    years = sorted({y for (_m, y, _s) in context.history})
    first = context.scope.provider.financial_year(years[0]) if years else None
    if opening and context.year.start_year < opening.covers_until.start_year:
        return MoneyCumulative(None, first, opening)
    after = opening.covers_until.start_year if opening else None
    bands = [
        valuer.year_total(context.scope.provider.financial_year(y), context.basis)
        for y in years
        if after is None or y > after
    ]
    base = Band.of(opening.amount) if opening else Band()
    return MoneyCumulative(base + total(bands), first, opening)


def _money_restatements(context, choice, price_year: int) -> tuple[MoneyRestatement, ...]:
    """If the year had begun when an earlier value set was in force, give its £ under that set
    beside its £ now, on the same entries, so a changed set never silently rewrites history."""
    history = list(ValueSetChoice.objects.for_provider(context.scope.provider))
    earlier = [c for c in history if c.chosen_at < choice.chosen_at]
    if not earlier or context.year.start > choice.chosen_at.date():
        return ()
    before, series = earlier[-1], deflator_series()
    now = _Valuer(choice.value_set, context, series, price_year)
    then = _Valuer(before.value_set, context, series, price_year)
    after_total = now.year_total(context.year, context.basis)
    before_total = then.year_total(context.year, context.basis)
    if before.value_set_id == choice.value_set_id or after_total == before_total:
        return ()
    return (
        MoneyRestatement(
            year=context.year,
            before_label=before.value_set.label,
            after_label=choice.value_set.label,
            before=before_total,
            after=after_total,
            reason=choice.reason,
            changed_on=f"{choice.chosen_at:%Y-%m-%d}",
        ),
    )
