"""Drill-down: the entries behind one figure of a report, and their total.

This module aggregates entries (through `reports.tally`, as `reports.queries` does) so that the
total on a drill-down page is computed exactly as the figure that was clicked, and so equals it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from socialledger.audit.models import AuditEvent
from socialledger.lib.numbers import ZERO
from socialledger.lib.periods import FinancialYear
from socialledger.measures.models import Measure
from socialledger.reports.queries import report_measures
from socialledger.reports.report import Figure
from socialledger.reports.scopes import Scope
from socialledger.reports.tally import tally, tally_split, with_derived
from socialledger.returns.models import Restatement, State
from socialledger.verification.models import SampleItem
from socialledger.verification.strength import STRONGEST_FIRST, Strength, with_strength

GROUP_FIELDS = {
    "framework": "contract__framework__reference__iexact",
    "member": "contract__member__reference__iexact",
    "supplier": "contract__supplier__reference__iexact",
}


class DrillDownError(ValueError):
    """A drill-down that names no figure of the report (unknown measure, group or breakdown)."""


@dataclass(frozen=True)
class DrillDown:
    """The figure a person followed: which measure, year, state and slice, and its total."""

    scope_label: str
    year: FinancialYear
    basis: str
    measure: Measure
    components: tuple[Measure, ...]
    breakdown: tuple[str, str, str] | None  # dimension code, stored value, shown label
    group: tuple[str, str] | None  # kind, reference
    total: Decimal
    entries: int


def drill_down(
    scope: Scope,
    year: FinancialYear,
    code: str,
    *,
    basis: str,
    visible: QuerySet,
    breakdown: str = "",
    group: str = "",
) -> tuple[DrillDown, QuerySet]:
    """The entries behind a figure (that the person may see), and the figure they add up to.

    `breakdown` is "dimension:value" ("trade:plumbing"; "trade:" for not stated); `group` is
    "framework:REF", "member:REF" or "supplier:REF".
    """
    basis = State(basis).value
    measures = report_measures(scope.provider)
    measure = next((m for m in measures if m.code == code), None)
    if measure is None:
        raise DrillDownError(f'There is no measure "{code}".')
    parts = tuple(p.component for p in measure.components.all()) if measure.is_derived else ()
    entries = (
        (scope.entries() & visible)
        .in_years(year.start_year)
        .counted_as(basis)
        .filter(measure__in=[p.pk for p in parts] or [measure.pk])
    )
    entries, sliced = _sliced(entries, measure, breakdown)
    entries, grouped = _grouped(entries, group)
    sums = with_derived(tally(entries, ["measure_id"], measures), measures)
    figure = sums.get((measure.pk, basis))
    drill = DrillDown(
        scope.label,
        year,
        basis,
        measure,
        parts,
        sliced,
        grouped,
        figure.value if figure else ZERO,
        figure.entries if figure else 0,
    )
    return drill, entries


def _sliced(entries: QuerySet, measure: Measure, text: str):
    if not text:
        return entries, None
    code, _, value = text.partition(":")
    dimension = next((d for d in measure.dimensions.all() if d.code == code), None)
    if dimension is None:
        raise DrillDownError(f"{measure.name} is not broken down by {code}.")
    if not value:
        return entries.filter(~Q(breakdowns__has_key=code)), (code, "", "Not stated")
    return entries.filter(**{f"breakdowns__{code}": value}), (
        code,
        value,
        dimension.label_for(value),
    )


def _grouped(entries: QuerySet, text: str):
    if not text:
        return entries, None
    kind, _, reference = text.partition(":")
    if kind not in GROUP_FIELDS or not reference:
        raise DrillDownError(f'"{text}" is not a framework, member or supplier.')
    return entries.filter(**{GROUP_FIELDS[kind]: reference}), (kind, reference)


# --- A figure's history: how sure it is, and who made it what it is ---------------------------


def strength_split(
    scope: Scope, drill: DrillDown, entries: QuerySet
) -> tuple[tuple[Strength, Figure], ...]:
    """The drilled figure split by evidence strength, strongest first; the parts add up to it."""
    measures = report_measures(scope.provider)
    sums = with_derived(
        tally_split(with_strength(entries), ["measure_id"], "strength", measures), measures
    )
    return tuple(
        (strength, sums.get((drill.measure.pk, int(strength), drill.basis), Figure()))
        for strength in STRONGEST_FIRST
    )


@dataclass(frozen=True)
class History:
    """What happened to the returns and entries behind a figure: the audit events of each
    return (entered, changed, submitted, queried, verified, restated), the sample checks of the
    entries, and the restatements of the measure."""

    events: tuple[AuditEvent, ...]
    checks: tuple[SampleItem, ...]
    restatements: tuple[Restatement, ...]


def history_of(drill: DrillDown, entries: list, returns: QuerySet) -> History:
    """The history of these entries (one page of a figure's) in the returns a person may see."""
    seen = list(returns.filter(pk__in={e.submission_id for e in entries}))
    measures = [p.pk for p in drill.components] or [drill.measure.pk]
    return History(
        tuple(AuditEvent.objects.about(*seen).order_by("created_at", "pk")) if seen else (),
        tuple(
            SampleItem.objects.filter(entry__in=[e.pk for e in entries], entry__submission__in=seen)
            .exclude(result=SampleItem.Result.PENDING)
            .select_related("checked_by", "entry__contract")
            .order_by("checked_at", "pk")
        ),
        tuple(
            Restatement.objects.filter(
                submission__in=seen,
                measure__in=measures,
                financial_year=drill.year.start_year,
            ).select_related("measure", "submission__supplier")
        ),
    )
