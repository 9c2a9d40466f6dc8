"""Report read models: the only place that aggregates entries.

`annual_report(scope, year)` answers with one `AnnualReport` that every renderer shares. It makes
a fixed number of grouped queries whatever the number of entries, and checks its own arithmetic
(parts add up to totals, derived totals equal their components) before it returns.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Sum

from socialledger.contracts.models import Commitment, Contract, Framework
from socialledger.lib.numbers import ZERO, normalise
from socialledger.lib.periods import FinancialYear
from socialledger.measures.models import (
    Measure,
    MeasureComponent,
    MeasureRevision,
    OpeningBalance,
)
from socialledger.organisations.models import Organisation
from socialledger.reports.money import money_for
from socialledger.reports.report import (
    AnnualReport,
    Breakdown,
    BreakdownRow,
    Commitments,
    Component,
    Coverage,
    Cumulative,
    Donation,
    Donations,
    Figure,
    GroupCell,
    GroupRow,
    GroupTable,
    MeasureLine,
    OpeningFigure,
    YearFigures,
)
from socialledger.returns.models import (
    STATUSES_COUNTED_AS,
    Entry,
    Restatement,
    Return,
    State,
    Status,
)
from socialledger.valuation.library import deflator_series

NOT_STATED = "Not stated"
DONATIONS_LISTED = 50


class ReportIntegrityError(AssertionError):
    """The report's parts do not add up to its totals: a bug, never shown as a figure."""


@dataclass(frozen=True)
class Scope:
    """What a report covers: a whole provider, or one framework, member, supplier or contract."""

    provider: Organisation
    kind: str = "provider"
    target: Any = None

    @property
    def label(self) -> str:
        if self.kind == "provider":
            return self.provider.name
        if self.kind == "contract":
            return f"Contract {self.target.reference}: {self.target.title}"
        return str(self.target)

    def entries(self) -> QuerySet:
        entries = Entry.objects.for_provider(self.provider)
        if self.kind == "provider":
            return entries
        field = "contract" if self.kind == "contract" else f"contract__{self.kind}"
        return entries.filter(**{field: self.target})

    def contracts(self) -> QuerySet:
        contracts = Contract.objects.for_provider(self.provider)
        if self.kind == "provider":
            return contracts
        field = "pk" if self.kind == "contract" else self.kind
        return contracts.filter(**{field: self.target.pk})

    def targets_set_here(self) -> QuerySet:
        """Commitments set on the scope itself rather than on its contracts."""
        if self.kind == "provider":
            return Commitment.objects.filter(
                provider=self.provider, contract=None, framework=None, member=None
            )
        if self.kind in ("framework", "member"):
            return Commitment.objects.filter(**{self.kind: self.target})
        return Commitment.objects.none()


# Which other dimensions a scope is split by, in tables of the headline measures.
GROUPINGS = {
    "framework": ("contract__framework_id", "By framework"),
    "member": ("contract__member_id", "By member"),
    "supplier": ("contract__supplier_id", "By supplier"),
}
GROUPS_FOR_SCOPE = {
    "provider": ("framework", "member", "supplier"),
    "framework": ("member", "supplier"),
    "member": ("framework", "supplier"),
    "supplier": ("framework", "member"),
    "contract": (),
}


def annual_report(
    scope: Scope,
    year: FinancialYear,
    *,
    basis: str = State.VERIFIED,
    price_year: int | None = None,
) -> AnnualReport:
    """The report for one scope and financial year, against the year before.

    Where the provider has chosen a value set, the counts carry £ beside them: nominal (prices of
    the year delivered) and real (`price_year` prices; by default the deflator's latest year).
    """
    basis = State(basis).value
    measures = _measures(scope.provider)
    history = _with_derived(
        _tally(
            scope.entries().filter(financial_year__lte=year.start_year),
            ["measure_id", "financial_year"],
            measures,
        ),
        measures,
    )
    context = _Context(scope, year, basis, measures, history)
    lines = tuple(_measure_line(measure, context) for measure in measures)
    groups = tuple(_group_table(context, by) for by in GROUPS_FOR_SCOPE[scope.kind])
    opening = _social_impact_opening(scope)
    report = AnnualReport(
        provider=scope.provider.name,
        scope_kind=scope.kind,
        scope_label=scope.label,
        year=year,
        previous_year=year.previous,
        basis=basis,
        measures=lines,
        groups=groups,
        donations=_donations(scope, year, measures),
        social_impact_opening=opening,
        coverage=_coverage(scope, year),
        restatements=_restatements(scope, year, measures),
        money=money_for(context, lines, groups, price_year, opening),
    )
    check_parts_add_up(report)
    return report


class _Context:
    """What every line of one report needs, fetched once."""

    def __init__(self, scope: Scope, year: FinancialYear, basis: str, measures, history) -> None:
        self.scope, self.year, self.basis, self.measures = scope, year, basis, measures
        self.history = history
        years = scope.entries().in_years(year.start_year, year.previous.start_year)
        self.splits = _tally(years, ["measure_id", "financial_year", "breakdown_key"], measures)
        self.commitments = _commitments(scope, year, basis, measures)
        self.openings = _opening_balances(scope)
        self.first_years = _first_years(history)

    def figures(self, measure: Measure, year: FinancialYear) -> YearFigures:
        key = (measure.pk, year.start_year)
        return YearFigures(
            year,
            self.history.get((*key, State.VERIFIED), Figure()),
            self.history.get((*key, State.REPORTED), Figure()),
        )


def _measures(provider: Organisation) -> list[Measure]:
    return list(
        Measure.objects.available_to(provider)
        .prefetch_related(
            "dimensions__values",
            Prefetch("components", queryset=MeasureComponent.objects.select_related("component")),
        )
        .order_by("provider", "position", "code")
    )


def _tally(entries: QuerySet, fields: list[str], measures: list[Measure]) -> dict[tuple, Figure]:
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


def _with_derived(tally: dict[tuple, Figure], measures: list[Measure]) -> dict[tuple, Figure]:
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


def _first_years(history: dict[tuple, Figure]) -> dict[int, int]:
    first: dict[int, int] = {}
    for measure_id, start_year, _state in history:
        first[measure_id] = min(first.get(measure_id, start_year), start_year)
    return first


def _measure_line(measure: Measure, context: _Context) -> MeasureLine:
    year = context.year
    return MeasureLine(
        code=measure.code,
        name=measure.name,
        unit=measure.unit,
        unit_label=measure.get_unit_display(),
        is_money=measure.is_money,
        is_derived=measure.is_derived,
        definition=measure.definition,
        definition_version=measure.version,
        components=tuple(
            Component(part.component.code, part.component.name, part.coefficient)
            for part in measure.components.all()
        ),
        current=context.figures(measure, year),
        previous=context.figures(measure, year.previous),
        basis=context.basis,
        commitments=context.commitments.get(measure.pk, Commitments()),
        cumulative=_cumulative(measure, context),
        history=_history(measure, context),
        breakdowns=() if measure.is_derived else _breakdowns(measure, context),
        narrative_one=measure.narrative_one,
        narrative_many=measure.narrative_many,
    )


def _history(measure: Measure, context: _Context) -> tuple[YearFigures, ...]:
    first = context.first_years.get(measure.pk)
    if first is None:
        return ()
    years = range(first, context.year.start_year + 1)
    return tuple(context.figures(measure, context.scope.provider.financial_year(y)) for y in years)


def _cumulative(measure: Measure, context: _Context) -> Cumulative | None:
    """Opening balance (provider reports only) plus every year after it, up to this year."""
    if not measure.sums_across_years:
        return None
    opening = context.openings.get(measure.pk)
    covers_until = opening.covers_until if opening else None
    first = context.first_years.get(measure.pk)
    first_year = context.scope.provider.financial_year(first) if first is not None else None
    if covers_until is not None and context.year.start_year < covers_until:
        return Cumulative(
            None, first_year, opening.quantity, _year(context, covers_until), opening.source
        )
    total = opening.quantity if opening else ZERO
    for (measure_id, start_year, state), figure in context.history.items():
        after_opening = covers_until is None or start_year > covers_until
        if measure_id == measure.pk and state == context.basis and after_opening:
            total += figure.value
    if opening is None:
        return Cumulative(total, first_year)
    return Cumulative(
        total, first_year, opening.quantity, _year(context, covers_until), opening.source
    )


def _year(context: _Context, start_year: int) -> FinancialYear:
    return context.scope.provider.financial_year(start_year)


def _breakdowns(measure: Measure, context: _Context) -> tuple[Breakdown, ...]:
    current, previous = context.year.start_year, context.year.previous.start_year
    by_key: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (measure_id, start_year, key, state), figure in context.splits.items():
        if measure_id == measure.pk and state == context.basis:
            by_key[key][start_year] += figure.value
    return tuple(
        _breakdown(dimension, by_key, current, previous) for dimension in measure.dimensions.all()
    )


def _breakdown(dimension, by_key, current: int, previous: int) -> Breakdown:
    values: dict[str | None, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for key, per_year in by_key.items():
        value = _parse_key(key).get(dimension.code)
        for start_year, amount in per_year.items():
            values[value][start_year] += amount
    listed = [v.code for v in dimension.values.all()] if dimension.closed else []
    order = listed + sorted(v for v in values if v is not None and v not in listed)
    rows = [
        BreakdownRow(dimension.label_for(v), values[v][current], values[v][previous]) for v in order
    ]
    if None in values:
        rows.append(
            BreakdownRow(NOT_STATED, values[None][current], values[None][previous], stated=False)
        )
    return Breakdown(dimension.code, dimension.name, tuple(rows))


def _parse_key(key: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in key.split("|")) if key else {}


def _commitments(scope: Scope, year: FinancialYear, basis: str, measures) -> dict[int, Commitments]:
    """Contract commitments in scope, delivery on those same contracts, and any scope target."""
    on_contracts = list(
        Commitment.objects.for_year(year)
        .filter(contract__in=scope.contracts())
        .select_related("contract")
    )
    delivered = _delivered_by_contract(scope, year, basis, measures, on_contracts)
    targets: dict[int, Decimal] = defaultdict(Decimal)
    for commitment in scope.targets_set_here().for_year(year):
        targets[commitment.measure_id] += commitment.quantity
    result = {}
    for measure in measures:
        mine = [c for c in on_contracts if c.measure_id == measure.pk]
        if not mine and measure.pk not in targets:
            continue
        result[measure.pk] = Commitments(
            on_contracts=sum((c.target_quantity for c in mine), ZERO) if mine else None,
            contracts_committed=len(mine),
            delivered_on_those=sum(
                (delivered.get((measure.pk, c.contract_id), ZERO) for c in mine), ZERO
            ),
            set_for_scope=targets.get(measure.pk),
        )
    return result


def _delivered_by_contract(scope, year, basis, measures, commitments) -> dict[tuple, Decimal]:
    if not commitments:
        return {}
    entries = (
        scope.entries()
        .in_years(year.start_year)
        .filter(contract_id__in={c.contract_id for c in commitments})
    )
    tally = _with_derived(_tally(entries, ["measure_id", "contract_id"], measures), measures)
    return {(m, c): figure.value for (m, c, state), figure in tally.items() if state == basis}


def _opening_balances(scope: Scope) -> dict[int, OpeningBalance]:
    """Opening balances are the provider's own history, so only whole-provider reports use them."""
    if scope.kind != "provider":
        return {}
    balances = OpeningBalance.objects.for_provider(scope.provider).filter(measure__isnull=False)
    return {balance.measure_id: balance for balance in balances}


def _social_impact_opening(scope: Scope) -> OpeningFigure | None:
    if scope.kind != "provider":
        return None
    balance = (
        OpeningBalance.objects.for_provider(scope.provider)
        .filter(figure=OpeningBalance.Figure.SOCIAL_IMPACT)
        .first()
    )
    if balance is None:
        return None
    return OpeningFigure(
        balance.quantity, scope.provider.financial_year(balance.covers_until), balance.source
    )


def _group_table(context: _Context, by: str) -> GroupTable:
    field, title = GROUPINGS[by]
    years = (context.year.start_year, context.year.previous.start_year)
    entries = context.scope.entries().in_years(*years)
    tally = _with_derived(
        _tally(entries, ["measure_id", "financial_year", field], context.measures), context.measures
    )
    names = _group_names(by, {group for (_m, _y, group, _s) in tally})
    codes = tuple(m.code for m in context.measures)
    rows = []
    for group_id, (reference, name) in sorted(names.items(), key=lambda item: item[1][1]):
        cells = tuple(
            GroupCell(
                m.code,
                tally.get((m.pk, years[0], group_id, context.basis), Figure()).value,
                tally.get((m.pk, years[1], group_id, context.basis), Figure()).value,
            )
            for m in context.measures
        )
        rows.append(GroupRow(reference, name, cells))
    return GroupTable(by, title, codes, tuple(rows))


def _group_names(by: str, ids: set[int]) -> dict[int, tuple[str, str]]:
    model = Framework if by == "framework" else Organisation
    return {obj.pk: (obj.reference, obj.name) for obj in model.objects.filter(pk__in=ids)}


def _donations(scope: Scope, year: FinancialYear, measures) -> Donations:
    """The largest described gifts (money and materials) this year, reported or verified."""
    described = [m.pk for m in measures if m.needs_description]
    entries = (
        scope.entries()
        .in_years(year.start_year)
        .filter(measure_id__in=described)
        .counted_as(State.REPORTED)
    )
    shown = list(
        entries.select_related("contract__supplier", "contract__member", "submission", "measure")
        .prefetch_related("measure__dimensions__values")
        .order_by("-quantity", "description")[:DONATIONS_LISTED]
    )
    totals = entries.aggregate(n=Count("id"), total=Sum("quantity"))
    listed_total = sum((entry.quantity for entry in shown), ZERO)
    return Donations(
        shown=tuple(_donation(entry) for entry in shown),
        omitted=totals["n"] - len(shown),
        omitted_total=(totals["total"] or ZERO) - listed_total,
    )


def _donation(entry: Entry) -> Donation:
    kinds = {d.code: d for d in entry.measure.dimensions.all()}
    kind = entry.breakdowns.get("donation-type", "")
    return Donation(
        contract=entry.contract.reference,
        supplier=entry.contract.supplier.name,
        member=entry.contract.member.name,
        description=entry.description,
        kind=kinds["donation-type"].label_for(kind) if kind and "donation-type" in kinds else "",
        amount=entry.quantity,
        verified=entry.submission.status == Status.VERIFIED,
    )


def _coverage(scope: Scope, year: FinancialYear) -> Coverage:
    reporting = (
        scope.entries()
        .in_years(year.start_year)
        .counted_as(State.REPORTED)
        .values("contract_id")
        .distinct()
        .count()
    )
    suppliers = scope.contracts().values("supplier_id")
    by_status = dict(
        Return.objects.filter(financial_year=year.start_year, supplier_id__in=suppliers)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Coverage(
        contracts_live=scope.contracts().live_during(year.start, year.end).count(),
        contracts_reporting=reporting,
        returns_by_status=tuple(
            (s.label, by_status[s.value]) for s in Status if s.value in by_status
        ),
    )


def _restatements(scope: Scope, year: FinancialYear, measures) -> tuple[str, ...]:
    """Notes where this year and last year were counted under different definitions."""
    used = defaultdict(set)
    rows = (
        scope.entries()
        .in_years(year.start_year, year.previous.start_year)
        .counted_as(State.REPORTED)
        .values_list("measure_id", "financial_year", "definition_version")
        .distinct()
        .order_by()
    )
    for measure_id, start_year, version in rows:
        used[(measure_id, start_year)].add(version)
    reasons = {
        (r.measure_id, r.version): r.reason
        for r in MeasureRevision.objects.filter(measure__in=measures)
    }
    notes = []
    for measure in measures:
        now = used.get((measure.pk, year.start_year), set())
        before = used.get((measure.pk, year.previous.start_year), set())
        if now and before and now != before:
            notes.append(_restatement_note(measure, year, before, now, reasons))
    return tuple(notes) + _figures_restated(scope, year)


def _figures_restated(scope: Scope, year: FinancialYear) -> tuple[str, ...]:
    """Notes for verified figures that changed after verification, in this year or the last."""
    suppliers = scope.contracts().values("supplier_id")
    restated = (
        Restatement.objects.filter(
            financial_year__in=[year.start_year, year.previous.start_year],
            submission__supplier_id__in=suppliers,
        )
        .select_related("measure", "submission__supplier")
        .order_by("financial_year", "restated_at", "pk")
    )
    return tuple(
        f"{r.measure.name}, {scope.provider.financial_year(r.financial_year).label}: "
        f"{r.submission.supplier}'s verified figure was restated from {normalise(r.before):,} to "
        f"{normalise(r.after):,} on {r.restated_at:%d %B %Y}"
        + (f" ({r.reason})" if r.reason else "")
        + "."
        for r in restated
    )


def _restatement_note(measure, year, before: set[int], now: set[int], reasons) -> str:
    def versions(found: set[int]) -> str:
        return " and ".join(f"version {v}" for v in sorted(found))

    latest = max(now)
    reason = reasons.get((measure.pk, latest), "")
    return (
        f"{measure.name}: {year.previous.label} was counted under definition {versions(before)}, "
        f"{year.label} under {versions(now)}"
        + (f" ({reason})" if reason else "")
        + ". Part of the change may come from the definition rather than from delivery."
    )


def check_parts_add_up(report: AnnualReport) -> None:
    """Every derived total equals its components; breakdowns and group tables add up to totals."""
    lines = {line.code: line for line in report.measures}
    for line in report.measures:
        total = line.headline.value
        if line.is_derived:
            parts = sum((lines[c.code].headline.value * c.sign for c in line.components), ZERO)
            _must_equal(total, parts, f"{line.name} and its components")
        for breakdown in line.breakdowns:
            _must_equal(
                total,
                sum((r.current for r in breakdown.rows), ZERO),
                f"{line.name} by {breakdown.name}",
            )
        for table in report.groups:
            index = table.codes.index(line.code)
            _must_equal(
                total,
                sum((row.cells[index].current for row in table.rows), ZERO),
                f"{line.name} {table.title.lower()}",
            )


def _must_equal(total: Decimal, parts: Decimal, what: str) -> None:
    if total != parts:
        raise ReportIntegrityError(f"{what} do not add up: {parts} against {total}.")


SCOPE_KINDS = ("provider", "framework", "member", "supplier", "contract")


def scope_from_text(provider: Organisation, text: str | None) -> Scope:
    """Read a scope as written on the command line: "framework:DEC", "member:LFH",
    "supplier:BWC" or "contract:DEC/DEC-001"; nothing means the whole provider."""
    if not text or text == "provider":
        return Scope(provider)
    kind, _, reference = text.partition(":")
    if kind not in SCOPE_KINDS or not reference:
        raise ValueError(
            f'"{text}" is not a scope; write e.g. framework:REF, member:REF, supplier:REF'
        )
    target = _scope_target(provider, kind, reference.strip())
    if target is None:
        raise ValueError(f'{provider} has no {kind} "{reference}".')
    return Scope(provider, kind, target)


def _scope_target(provider: Organisation, kind: str, reference: str):
    if kind == "framework":
        return Framework.objects.for_provider(provider).filter(reference__iexact=reference).first()
    if kind == "contract":
        framework, _, contract = reference.partition("/")
        return (
            Contract.objects.for_provider(provider)
            .filter(framework__reference__iexact=framework, reference__iexact=contract)
            .first()
        )
    parties = Organisation.objects.in_provider(provider).filter(kind=kind)
    return parties.matching(reference).first()


def parse_price_year(text: str | None) -> int | None:
    """A price year as written ("2023-24"), checked against the GDP deflator series; None for
    the default (the series' latest year)."""
    if not text:
        return None
    start = FinancialYear.parse(text).start_year
    deflator_series().index(start)  # raises PriceYearError (a ValueError) naming the years covered
    return start


def latest_year(scope: Scope, basis: str = State.VERIFIED) -> FinancialYear | None:
    """The most recent financial year with figures in the scope counted on this basis."""
    latest = (
        scope.entries()
        .counted_as(basis)
        .order_by("-financial_year")
        .values_list("financial_year", flat=True)
        .first()
    )
    return scope.provider.financial_year(latest) if latest is not None else None


def scope_for_membership(membership) -> Scope:
    """What a person's dashboard reports on: their provider, or their own member or supplier."""
    organisation = membership.organisation
    if organisation.is_provider:
        return Scope(organisation)
    return Scope(organisation.provider, organisation.kind, organisation)


def years_on_record(scope: Scope) -> list[FinancialYear]:
    """Every financial year with reported figures in the scope, newest first."""
    years = (
        scope.entries()
        .counted_as(State.REPORTED)
        .values_list("financial_year", flat=True)
        .distinct()
        .order_by("-financial_year")
    )
    return [scope.provider.financial_year(year) for year in years]


def contract_figures(
    provider: Organisation, contract_ids, year: FinancialYear
) -> dict[tuple, Decimal]:
    """Each contract's reported total per measure in a year: (measure id, contract id) -> total.

    Shown beside a return's empty fields as last year's figures, for reference.
    """
    measures = _measures(provider)
    entries = Entry.objects.filter(contract_id__in=contract_ids).in_years(year.start_year)
    tally = _tally(entries, ["measure_id", "contract_id"], measures)
    return {
        (m, c): figure.value for (m, c, state), figure in tally.items() if state == State.REPORTED
    }
