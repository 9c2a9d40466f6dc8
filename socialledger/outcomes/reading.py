"""The report "by outcome": a scope's figures for a year grouped under the outcomes of one
outcome model version, taken from the annual report so that every figure is the report's own."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from socialledger.lib.periods import FinancialYear
from socialledger.outcomes.models import OutcomeMapping, OutcomeModel
from socialledger.reports.queries import current_report
from socialledger.reports.report import MeasureLine
from socialledger.reports.scopes import Scope


@dataclass(frozen=True)
class MappedMeasure:
    """A measure's figure as the annual report gives it, and how it fits the outcome."""

    code: str
    name: str
    unit: str
    unit_label: str
    is_money: bool
    is_derived: bool
    value: Decimal
    entries: int
    change_words: str
    note: str


@dataclass(frozen=True)
class UnitTotal:
    """Measures of one unit added up, each measure once however many outcomes it serves."""

    unit_label: str
    is_money: bool
    value: Decimal
    entries: int
    measures: tuple[str, ...]


@dataclass(frozen=True)
class OutcomeFigures:
    code: str
    title: str
    metrics: tuple[str, ...]
    measures: tuple[MappedMeasure, ...]
    totals: tuple[UnitTotal, ...]


@dataclass(frozen=True)
class ThemeFigures:
    code: str
    title: str
    outcomes: tuple[OutcomeFigures, ...]
    totals: tuple[UnitTotal, ...]


@dataclass(frozen=True)
class ByOutcomeReport:
    model_label: str
    model_title: str
    publisher: str
    source_title: str
    source_date: str
    source_url: str
    licence: str
    note: str
    provider: str
    scope_label: str
    year: FinancialYear
    basis: str
    provisional: bool
    themes: tuple[ThemeFigures, ...]
    totals: tuple[UnitTotal, ...]
    unmapped: tuple[str, ...]  # names of measures with a figure that no outcome takes


def model_of_scope(scope: Scope) -> OutcomeModel | None:
    """The model version a contract scope was procured under; other scopes have none of their
    own (a member's contracts may answer to different models)."""
    return scope.target.outcome_model if scope.kind == "contract" else None


def by_outcome(
    scope: Scope, year: FinancialYear, model: OutcomeModel, *, basis: str = "verified"
) -> ByOutcomeReport:
    """The scope's figures under each outcome of `model`. A measure mapped to two outcomes is
    shown under both, but counted once in a theme's or the model's total; derived measures are
    shown but never added into a total, since their parts already are."""
    report = current_report(scope, year, basis=basis)
    lines = {line.code: line for line in report.measures}
    mappings = list(
        OutcomeMapping.objects.under(model)
        .filter(provider=scope.provider)
        .select_related("measure", "outcome__theme")
    )
    notes = {(m.outcome_id, m.measure.code): m.note for m in mappings}
    mapped_by_outcome: dict[int, list[str]] = {}
    for mapping in mappings:
        if mapping.measure.code in lines:
            mapped_by_outcome.setdefault(mapping.outcome_id, []).append(mapping.measure.code)
    themes = []
    for theme in model.themes.prefetch_related("outcomes__metrics"):
        outcomes = []
        for outcome in theme.outcomes.all():
            codes = sorted(mapped_by_outcome.get(outcome.pk, []), key=list(lines).index)
            measures = tuple(_mapped(lines[c], notes[(outcome.pk, c)]) for c in codes)
            metrics = tuple(f"{m.code} {m.title}" for m in outcome.metrics.all())
            outcomes.append(
                OutcomeFigures(outcome.code, outcome.title, metrics, measures, _totals(measures))
            )
        themes.append(
            ThemeFigures(theme.code, theme.title, tuple(outcomes), _totals(_each_once(outcomes)))
        )
    everything = [o for t in themes for o in t.outcomes]
    taken = {m.code for o in everything for m in o.measures}
    return ByOutcomeReport(
        model_label=model.label,
        model_title=model.title,
        publisher=model.publisher,
        source_title=model.source_title,
        source_date=model.source_date.isoformat(),
        source_url=model.source_url,
        licence=model.licence,
        note=model.note,
        provider=report.provider,
        scope_label=report.scope_label,
        year=year,
        basis=report.basis,
        provisional=report.provisional,
        themes=tuple(themes),
        totals=_totals(_each_once(everything)),
        unmapped=tuple(
            line.name
            for line in report.measures
            if line.headline.recorded and line.code not in taken
        ),
    )


def _mapped(line: MeasureLine, note: str) -> MappedMeasure:
    return MappedMeasure(
        code=line.code,
        name=line.name,
        unit=line.unit,
        unit_label=line.unit_label,
        is_money=line.is_money,
        is_derived=line.is_derived,
        value=line.headline.value,
        entries=line.headline.entries,
        change_words=line.change_words,
        note=note,
    )


def _each_once(outcomes) -> list[MappedMeasure]:
    seen: dict[str, MappedMeasure] = {}
    for outcome in outcomes:
        for measure in outcome.measures:
            seen.setdefault(measure.code, measure)
    return list(seen.values())


def _totals(measures) -> tuple[UnitTotal, ...]:
    """One total per unit, of counted measures only."""
    by_unit: dict[str, list[MappedMeasure]] = {}
    for measure in measures:
        if not measure.is_derived:
            by_unit.setdefault(measure.unit, []).append(measure)
    return tuple(
        UnitTotal(
            unit_label=group[0].unit_label,
            is_money=group[0].is_money,
            value=sum((m.value for m in group), Decimal(0)),
            entries=sum(m.entries for m in group),
            measures=tuple(m.code for m in group),
        )
        for group in by_unit.values()
    )


@dataclass(frozen=True)
class SuggestedKpi:
    """A reporting metric of the contract's outcome model that its measures already cover."""

    metric_code: str
    metric_title: str
    unit: str
    outcome: str
    measures: tuple[tuple[str, str], ...]  # (code, name) of the contract's measures behind it


def contract_measure_ids(contract) -> set[int]:
    """The measures a contract has a target for or figures on."""
    from socialledger.returns.models import Entry

    targets = contract.commitments.values_list("measure_id", flat=True)
    figures = Entry.objects.filter(contract=contract).values_list("measure_id", flat=True)
    return set(targets) | set(figures)


def suggested_kpis(contract, model: OutcomeModel | None = None) -> tuple[SuggestedKpi, ...]:
    """KPIs to suggest when a contract is set up: the reporting metrics of the outcomes that the
    contract's measures are mapped to, under the model it was procured under (or `model`), in
    the model's order; the person then chooses the three most material."""
    model = model or contract.outcome_model
    if model is None:
        return ()
    covered = contract_measure_ids(contract)
    mappings = (
        OutcomeMapping.objects.under(model)
        .filter(provider=contract.framework.provider, measure__in=covered)
        .select_related("measure")
    )
    by_outcome: dict[int, list[tuple[str, str]]] = {}
    for mapping in mappings.order_by("measure__name"):
        by_outcome.setdefault(mapping.outcome_id, []).append(
            (mapping.measure.code, mapping.measure.name)
        )
    suggestions = []
    for theme in model.themes.prefetch_related("outcomes__metrics"):
        for outcome in theme.outcomes.all():
            if outcome.pk not in by_outcome:
                continue
            suggestions += [
                SuggestedKpi(
                    metric.code,
                    metric.title,
                    metric.unit,
                    f"{outcome.code} {outcome.title}",
                    tuple(by_outcome[outcome.pk]),
                )
                for metric in outcome.metrics.all()
            ]
    return tuple(suggestions)
