"""Report read models: the only place that aggregates entries.

`annual_report(scope, year)` answers with one `AnnualReport` that every renderer shares. It makes
a fixed number of queries whatever the number of entries, reading figures from the summary tables
that every write keeps true (reports/summaries.py), and checks its own arithmetic (parts add up
to totals, derived totals equal their components) before it returns.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Prefetch, Sum
from django.utils import timezone

from socialledger.audit.models import ledger_state
from socialledger.contracts.models import Commitment, Framework, Spend
from socialledger.lib.memo import Memo
from socialledger.lib.numbers import ZERO, normalise
from socialledger.lib.periods import FinancialYear
from socialledger.measures.models import (
    Measure,
    MeasureComponent,
    MeasureRevision,
    OpeningBalance,
)
from socialledger.organisations.models import Organisation
from socialledger.quality.queries import claims_beside, data_quality
from socialledger.reports.carbon import carbon_section
from socialledger.reports.comparisons import like_for_like, per_million
from socialledger.reports.formulas import formula_notes
from socialledger.reports.models import VersionUse
from socialledger.reports.money import money_for
from socialledger.reports.report import (
    AnnualReport,
    Breakdown,
    BreakdownRow,
    Commitments,
    Component,
    ContractTarget,
    Coverage,
    Cumulative,
    DeliveredBy,
    Donation,
    Donations,
    Figure,
    GroupCell,
    GroupRow,
    GroupTable,
    MeasureLine,
    OpeningFigure,
    SupplyChain,
    SupplyChainLine,
    YearFigures,
)
from socialledger.reports.scopes import (  # noqa: F401 - re-exported: where callers look
    GROUPS_FOR_SCOPE,
    SCOPE_KINDS,
    Scope,
    default_year,
    latest_year,
    scope_for_membership,
    scope_from_text,
    years_on_record,
)
from socialledger.reports.spend import spend_section
from socialledger.reports.strength import strength_lines
from socialledger.reports.tally import (
    figures_on_contracts,
    grouped,
    groups_with_figures,
    split,
    summed,
    tally,
    with_derived,
)
from socialledger.reports.targets import share_of_year, target_status
from socialledger.reports.years import year_status
from socialledger.returns.models import Entry, Restatement, Return, State, Status
from socialledger.valuation.library import deflator_series

NOT_STATED = "Not stated"
DONATIONS_LISTED = 50


class ReportIntegrityError(AssertionError):
    """The report's parts do not add up to its totals: a bug, never shown as a figure."""


# Which other dimensions a scope is split by, in tables of the headline measures.
GROUPINGS = {"framework": "By framework", "member": "By member", "supplier": "By supplier"}


def annual_report(
    scope: Scope,
    year: FinancialYear,
    *,
    basis: str = State.VERIFIED,
    price_year: int | None = None,
    against: FinancialYear | None = None,
    as_of: date | None = None,
) -> AnnualReport:
    """The report for one scope and financial year, against the year before (or `against`, any
    earlier year).

    Where the provider has chosen a value set, the counts carry £ beside them: nominal (prices of
    the year delivered) and real (`price_year` prices; by default the deflator's latest year).
    Targets are judged pro rata on `as_of` (by default today; see reports/targets.py).
    """
    basis = State(basis).value
    against = against or year.previous
    if against >= year:
        raise ValueError(f"{year.label} can only be compared with an earlier year.")
    as_of = as_of or timezone.localdate()
    measures = report_measures(scope.provider)
    history = with_derived(summed(scope, up_to=year.start_year), measures)
    status = year_status(scope, year, basis, as_of)
    context = _Context(scope, year, against, basis, measures, history, as_of, status)
    lines = tuple(_measure_line(measure, context) for measure in measures)
    values, spent = _contract_values(scope, year), _contract_spend(scope, year)
    groups = tuple(_group_table(context, by, values, spent) for by in GROUPS_FOR_SCOPE[scope.kind])
    opening = _social_impact_opening(scope)
    report = AnnualReport(
        provider=scope.provider.name,
        scope_kind=scope.kind,
        scope_label=scope.label,
        year=year,
        previous_year=against,
        basis=basis,
        measures=lines,
        groups=groups,
        donations=_donations(context),
        supply_chain=_supply_chain(context),
        spend=spend_section(scope, year.start_year, basis),
        carbon=carbon_section(scope, year),
        social_impact_opening=opening,
        coverage=_coverage(scope, year),
        restatements=_restatements(scope, year, against, measures)
        + tuple(formula_notes(measures, [against, year], basis, history)),
        money=money_for(context, lines, groups, price_year, opening),
        as_of=as_of,
        like_for_like_contracts=len(context.like_for_like.contracts),
        status=status,
        strengths=strength_lines(scope, year, basis, measures, lines),
        quality=data_quality(scope, year),
        claims=claims_beside(scope, year, lines),
    )
    check_parts_add_up(report)
    return report


_kept = Memo(settings.REPORTS_KEPT)


def current_report(
    scope: Scope, year: FinancialYear, *, basis: str = State.VERIFIED, price_year: int | None = None
) -> AnnualReport:
    """Today's `annual_report`, built once while the ledger behind it stands still: the report
    is kept under the heads of the provider's and the system's audit chains, which every write
    that can move a figure advances in its own transaction (audit.models.ledger_state)."""
    key = (
        scope.key,
        year.start_year,
        State(basis).value,
        price_year,
        timezone.localdate(),
        ledger_state(scope.provider.pk),
    )
    return _kept.get_or_build(
        key, lambda: annual_report(scope, year, basis=basis, price_year=price_year)
    )


def forget_kept_reports() -> None:
    """Drop every kept report (tests that change entries behind the actions' backs)."""
    _kept.clear()


class _Context:
    """What every line of one report needs, fetched once."""

    def __init__(
        self, scope: Scope, year, against, basis: str, measures, history, as_of, status
    ) -> None:
        self.scope, self.year, self.against, self.basis = scope, year, against, basis
        self.status = status
        self.measures, self.history = measures, history
        years = (year.start_year, against.start_year)
        self.splits = split(scope, years=years, measures=measures)
        self.commitments = _commitments(scope, year, basis, measures, as_of)
        self.like_for_like = like_for_like(scope, year, against, basis, measures)
        # In a year in progress the comparison that is fair is the same contracts both years.
        self.leads_like_for_like = status.provisional and bool(self.like_for_like.contracts)
        self.share_of_year = share_of_year(year, as_of)
        self.openings = _opening_balances(scope)
        self.first_years = _first_years(history)

    def figures(self, measure: Measure, year: FinancialYear) -> YearFigures:
        key = (measure.pk, year.start_year)
        return YearFigures(
            year,
            self.history.get((*key, State.VERIFIED), Figure()),
            self.history.get((*key, State.REPORTED), Figure()),
        )


def report_measures(provider: Organisation) -> list[Measure]:
    return list(
        Measure.objects.available_to(provider)
        .prefetch_related(
            "dimensions__values",
            Prefetch("components", queryset=MeasureComponent.objects.select_related("component")),
        )
        .order_by("provider", "position", "code")
    )


def _first_years(history: dict[tuple, Figure]) -> dict[int, int]:
    first: dict[int, int] = {}
    for measure_id, start_year, _state in history:
        first[measure_id] = min(first.get(measure_id, start_year), start_year)
    return first


def _measure_line(measure: Measure, context: _Context) -> MeasureLine:
    year = context.year
    current = context.figures(measure, year)
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
        current=current,
        previous=context.figures(measure, context.against),
        basis=context.basis,
        commitments=_with_scope_status(
            context.commitments.get(measure.pk, Commitments()),
            current.on(context.basis).value,
            context.share_of_year,
        ),
        cumulative=_cumulative(measure, context),
        history=_history(measure, context),
        breakdowns=() if measure.is_derived else _breakdowns(measure, context),
        narrative_one=measure.narrative_one,
        narrative_many=measure.narrative_many,
        like_for_like=context.like_for_like.lines.get(measure.pk),
        provisional=context.status.provisional,
        lead_with_like_for_like=context.leads_like_for_like,
        missing_parts=_missing_parts(measure, context),
    )


def _missing_parts(measure: Measure, context: _Context) -> tuple[str, ...]:
    """The parts of a derived total with no figure this year while others have one: the total
    is then incomplete, never summed as if the missing part were 0."""
    if not measure.is_derived:
        return ()
    parts = [part.component for part in measure.components.all()]
    recorded = [context.figures(p, context.year).on(context.basis).recorded for p in parts]
    if not any(recorded):
        return ()
    return tuple(p.name.lower() for p, has in zip(parts, recorded, strict=True) if not has)


def _with_scope_status(commitments: Commitments, delivered: Decimal, share) -> Commitments:
    """A target set for the whole scope is judged against everything delivered in the scope."""
    if commitments.set_for_scope is None:
        return commitments
    status = target_status(commitments.set_for_scope, delivered, share)
    return replace(commitments, scope_status=status)


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
    current, previous = context.year.start_year, context.against.start_year
    by_value: dict[str, dict] = defaultdict(lambda: defaultdict(lambda: defaultdict(Decimal)))
    for (measure_id, start_year, code, value, state), figure in context.splits.items():
        if measure_id == measure.pk and state == context.basis:
            by_value[code][value][start_year] += figure.value
    return tuple(
        _breakdown(dimension, by_value[dimension.code], current, previous)
        for dimension in measure.dimensions.all()
    )


def _breakdown(dimension, values, current: int, previous: int) -> Breakdown:
    """One dimension's rows: listed values first, then others found, then "Not stated"."""
    listed = [v.code for v in dimension.values.all()] if dimension.closed else []
    order = listed + sorted(v for v in values if v is not None and v not in listed)
    rows = [
        BreakdownRow(dimension.label_for(v), values[v][current], values[v][previous], key=v)
        for v in order
    ]
    if None in values:
        rows.append(
            BreakdownRow(NOT_STATED, values[None][current], values[None][previous], stated=False)
        )
    return Breakdown(dimension.code, dimension.name, tuple(rows))


def _commitments(scope: Scope, year, basis: str, measures, as_of) -> dict[int, Commitments]:
    """Contract commitments in scope, delivery on those same contracts, and any scope target,
    each judged against its pro-rata expectation on `as_of`."""
    on_contracts = list(
        Commitment.objects.for_year(year)
        .filter(contract__in=scope.contracts())
        .select_related("contract__framework")
        .order_by("contract__framework__reference", "contract__reference")
    )
    delivered = _delivered_by_contract(scope, year, basis, measures, on_contracts)
    targets: dict[int, Decimal] = defaultdict(Decimal)
    for commitment in scope.targets_set_here().for_year(year):
        targets[commitment.measure_id] += commitment.quantity
    share = share_of_year(year, as_of)
    result = {}
    for measure in measures:
        mine = [c for c in on_contracts if c.measure_id == measure.pk]
        if not mine and measure.pk not in targets:
            continue
        result[measure.pk] = _measure_commitments(measure, mine, delivered, targets, share)
    return result


def _measure_commitments(measure, mine, delivered, targets, share) -> Commitments:
    each = tuple(
        ContractTarget(
            c.contract_id,
            c.contract.reference,
            c.contract.title,
            c.contract.framework.reference,
            target_status(
                c.target_quantity, delivered.get((measure.pk, c.contract_id), ZERO), share
            ),
        )
        for c in mine
    )
    on_contracts = sum((t.status.target for t in each), ZERO) if mine else None
    delivered_on_those = sum((t.status.delivered for t in each), ZERO)
    scope_target = targets.get(measure.pk)
    return Commitments(
        on_contracts=on_contracts,
        contracts_committed=len(mine),
        delivered_on_those=delivered_on_those,
        set_for_scope=scope_target,
        on_contracts_status=None
        if on_contracts is None
        else target_status(on_contracts, delivered_on_those, share),
        scope_status=None,
        contracts=each,
    )


def _delivered_by_contract(scope, year, basis, measures, commitments) -> dict[tuple, Decimal]:
    if not commitments:
        return {}
    contract_ids = sorted({c.contract_id for c in commitments})
    sums = with_derived(figures_on_contracts(contract_ids, year), measures)
    return {(m, c): figure.value for (m, c, state), figure in sums.items() if state == basis}


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


def _group_table(
    context: _Context,
    by: str,
    values: dict[tuple[str, int], Decimal],
    spent: dict[tuple[str, int], Decimal],
) -> GroupTable:
    years = (context.year.start_year, context.against.start_year)
    # Only the basis is shown; a group with figures in the other state still gets its row.
    figures = grouped(context.scope, years=years, by=by, state=context.basis)
    per_group: dict[int, dict[tuple[int, int], Decimal]] = defaultdict(dict)
    for (measure_id, year, group_id, _state), figure in with_derived(
        figures, context.measures
    ).items():
        per_group[group_id][(measure_id, year)] = figure.value
    names = _group_names(by, groups_with_figures(context.scope, years=years, by=by))
    rows = []
    for group_id, (reference, name) in sorted(names.items(), key=lambda item: item[1][1]):
        value, sums = values.get((by, group_id), ZERO), per_group.get(group_id, {})
        spend = spent.get((by, group_id), ZERO)
        cells = []
        for m in context.measures:
            current = sums.get((m.pk, years[0]), ZERO)
            previous = sums.get((m.pk, years[1]), ZERO)
            rates = per_million(current, value), per_million(current, spend)
            cells.append(GroupCell(m.code, current, previous, *rates))
        rows.append(GroupRow(reference, name, tuple(cells), value, spend))
    codes = tuple(m.code for m in context.measures)
    return GroupTable(by, GROUPINGS[by], codes, tuple(rows))


def _contract_spend(scope: Scope, year: FinancialYear) -> dict[tuple[str, int], Decimal]:
    """The spend (£) recorded for periods ending in the year, by framework, member and supplier:
    the one notion of spend, the same records that decide a round's scope."""
    rows = (
        Spend.objects.filter(contract__in=scope.contracts())
        .between(year.start, year.end)
        .values("contract__framework_id", "contract__member_id", "contract__supplier_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return _by_grouping(rows, "contract__")


def _contract_values(scope: Scope, year: FinancialYear) -> dict[tuple[str, int], Decimal]:
    """The value (£) of the contracts live in the year, by framework, member and supplier."""
    rows = (
        scope.contracts()
        .live_during(year.start, year.end)
        .values("framework_id", "member_id", "supplier_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    return _by_grouping(rows)


def _by_grouping(rows, prefix: str = "") -> dict[tuple[str, int], Decimal]:
    """Totals of rows keyed by contract party, added up for each framework, member, supplier."""
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for row in rows:
        for by in GROUPINGS:
            totals[(by, row[f"{prefix}{by}_id"])] += row["total"]
    return dict(totals)


def _group_names(by: str, ids: set[int]) -> dict[int, tuple[str, str]]:
    model = Framework if by == "framework" else Organisation
    found = model.objects.filter(pk__in=ids).values_list("pk", "reference", "name")
    return {pk: (reference, name) for pk, reference, name in found}


def _donations(context: _Context) -> Donations:
    """The largest described gifts (money and materials) this year, reported or verified; the
    rest are summed from the same figures as the headlines."""
    described = [m for m in context.measures if m.needs_description]
    shown = list(
        context.scope.entries()
        .in_years(context.year.start_year)
        .filter(measure__in=described)
        .counted_as(State.REPORTED)
        .select_related("contract__supplier", "contract__member", "submission", "measure")
        .prefetch_related("measure__dimensions__values")
        .order_by("-quantity", "description")[:DONATIONS_LISTED]
    )
    year = context.year.start_year
    total = sum(
        (context.history.get((m.pk, year, State.REPORTED), Figure()) for m in described), Figure()
    )
    return Donations(
        shown=tuple(_donation(entry) for entry in shown),
        omitted=total.entries - len(shown),
        omitted_total=total.value - sum((entry.quantity for entry in shown), ZERO),
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


def _supply_chain(context: _Context) -> SupplyChain:
    """Each counted measure's figure this year beside what subcontractors delivered of it, by
    firm and tier. A firm is one organisation however many suppliers it works for, and each of
    its figures is an entry on the one contract it was delivered on, so it is counted once."""
    year = context.year.start_year
    delivered = (
        context.scope.entries()
        .in_years(year)
        .counted_as(context.basis)
        .filter(delivered_by__isnull=False)
        .values_list("measure_id", "delivered_by__subcontractor__name", "delivered_by__tier")
        .annotate(quantity=Sum("quantity"))
        .order_by()
    )
    by_measure: dict[int, list[DeliveredBy]] = {}
    for measure_id, name, tier, quantity in delivered:
        by_measure.setdefault(measure_id, []).append(DeliveredBy(name, tier, quantity))
    lines = []
    for measure in context.measures:
        firms = by_measure.get(measure.pk)
        if not firms:
            continue
        total = context.history.get((measure.pk, year, context.basis), Figure()).value
        through = sum((firm.quantity for firm in firms), ZERO)
        if through > total:
            raise ReportIntegrityError(f"{measure.code}: the supply chain delivered more than all")
        lines.append(
            SupplyChainLine(
                code=measure.code,
                name=measure.name,
                unit_label=measure.get_unit_display(),
                is_money=measure.is_money,
                total=total,
                through_supply_chain=through,
                by=tuple(sorted(firms, key=lambda f: (-f.quantity, f.tier, f.organisation))),
            )
        )
    return SupplyChain(lines=tuple(lines))


def _coverage(scope: Scope, year: FinancialYear) -> Coverage:
    reporting = (
        scope.contract_figures()
        .filter(financial_year=year.start_year, state=State.REPORTED)
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


def _restatements(scope: Scope, year: FinancialYear, against, measures) -> tuple[str, ...]:
    """Notes where this year and the year compared with were counted under different
    definitions."""
    used = defaultdict(set)
    rows = _versions_used(scope, [year.start_year, against.start_year])
    for measure_id, start_year, version in rows:
        used[(measure_id, start_year)].add(version)
    reasons = {
        (r.measure_id, r.version): r.reason
        for r in MeasureRevision.objects.filter(measure__in=measures)
    }
    notes = []
    for measure in measures:
        now = used.get((measure.pk, year.start_year), set())
        before = used.get((measure.pk, against.start_year), set())
        if now and before and now != before:
            notes.append(_restatement_note(measure, year, against, before, now, reasons))
    return tuple(notes) + _figures_restated(scope, year, against)


def _figures_restated(scope: Scope, year: FinancialYear, against) -> tuple[str, ...]:
    """Notes for verified figures that changed after verification, in either year compared."""
    suppliers = scope.contracts().values("supplier_id")
    restated = (
        Restatement.objects.filter(
            financial_year__in=[year.start_year, against.start_year],
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


def _versions_used(scope: Scope, years: list[int]):
    """(measure, year, definition version) of the scope's reported entries in these years."""
    if scope.kind == "contract":
        return (
            scope.entries()
            .in_years(*years)
            .counted_as(State.REPORTED)
            .values_list("measure_id", "financial_year", "definition_version")
            .distinct()
            .order_by()
        )
    return (
        scope.summaries(VersionUse)
        .filter(financial_year__in=years)
        .values_list("measure_id", "financial_year", "definition_version")
        .order_by()
    )


def _restatement_note(measure, year, against, before: set[int], now: set[int], reasons) -> str:
    def versions(found: set[int]) -> str:
        return " and ".join(f"version {v}" for v in sorted(found))

    latest = max(now)
    reason = reasons.get((measure.pk, latest), "")
    return (
        f"{measure.name}: {against.label} was counted under definition {versions(before)}, "
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


def parse_price_year(text: str | None) -> int | None:
    """A price year as written ("2023-24"), checked against the GDP deflator series; None for
    the default (the series' latest year)."""
    if not text:
        return None
    start = FinancialYear.parse(text).start_year
    deflator_series().index(start)  # raises PriceYearError (a ValueError) naming the years covered
    return start


def contract_figures(
    provider: Organisation, contract_ids, year: FinancialYear
) -> dict[tuple, Decimal]:
    """Each contract's reported total per measure in a year: (measure id, contract id) -> total.

    Shown beside a return's empty fields as last year's figures, for reference.
    """
    return {
        (m, c): figure.value
        for (m, c, state), figure in figures_on_contracts(contract_ids, year).items()
        if state == State.REPORTED
    }


def contract_delivery(
    provider: Organisation,
    contract_ids,
    *,
    years: list[int] | None = None,
    start: date | None = None,
    end: date | None = None,
    by_year: bool = False,
    derived: bool = True,
) -> dict[tuple, Figure]:
    """What contracts delivered, per measure, in both states (never added together):
    (measure id, contract id[, start year], state) -> Figure.

    Limited to financial `years`, and to entries whose period ends from `start` to `end`
    (inclusive), when given; split by financial year with `by_year`. Derived measures are included
    unless `derived` is False. OCDS exports and Procurement Act KPIs read their figures here.
    """
    measures = report_measures(provider)
    entries = Entry.objects.filter(contract_id__in=contract_ids)
    if years is not None:
        entries = entries.in_years(*years)
    if start is not None:
        entries = entries.filter(period_end__gte=start)
    if end is not None:
        entries = entries.filter(period_end__lte=end)
    fields = ["measure_id", "contract_id", *(["financial_year"] if by_year else [])]
    sums = tally(entries, fields, measures)
    return with_derived(sums, measures) if derived else sums
