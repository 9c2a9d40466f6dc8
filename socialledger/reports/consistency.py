"""Do the reports still equal the raw entries? Checked after crashes, kills and concurrent writes.

`ledger_inconsistencies()` adds the entries up again the plainest way, one by one in Python,
independently of the report's grouped queries, and compares the two for every provider, year and
basis. It answers with every disagreement in words; an empty list means the ledger is consistent.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from socialledger.lib.numbers import ZERO
from socialledger.organisations.models import Organisation
from socialledger.reports.queries import annual_report, report_measures
from socialledger.reports.scopes import Scope
from socialledger.reports.summaries import differences
from socialledger.returns.models import STATUSES_COUNTED_AS, Entry, State


def ledger_inconsistencies() -> list[str]:
    """Every figure in a provider-wide report that differs from the sum of its entries."""
    problems: list[str] = []
    for provider in Organisation.objects.providers().order_by("pk"):
        problems += _report_problems(provider)
    problems += _summary_table_problems()
    return problems


def _report_problems(provider: Organisation) -> list[str]:
    raw = raw_totals(provider)
    # Stock measures count each contract's latest period and derived ones add up other measures
    # (the report checks those parts itself); every other measure is a plain sum of entries.
    summed = {m.pk for m in report_measures(provider) if m.sums_across_years and not m.is_derived}
    problems = []
    for year in sorted({year for _measure, year, _state in raw}):
        for state in State:
            report = annual_report(
                Scope(provider), provider.financial_year(year), basis=state.value
            )
            for line in report.measures:
                measure_id = _measure_ids(provider)[line.code]
                if measure_id not in summed:
                    continue
                expected = raw.get((measure_id, year, state), ZERO)
                if line.headline.value != expected:
                    problems.append(
                        f"{provider.reference} {report.year.label} {state.label.lower()} "
                        f"{line.code}: the report says {line.headline.value}, "
                        f"the entries add up to {expected}"
                    )
    return problems


def raw_totals(provider: Organisation) -> dict[tuple[int, int, State], Decimal]:
    """(measure, year, state) -> the sum of the counted entries, each person counted once per
    measure and year (the earliest entry for them counts), added up one entry at a time."""
    totals: dict[tuple[int, int, State], Decimal] = defaultdict(Decimal)
    people_seen: set[tuple] = set()
    rows = (
        Entry.objects.for_provider(provider)
        .order_by("pk")
        .values_list("measure_id", "financial_year", "submission__status", "person_key", "quantity")
    )
    for measure_id, year, status, person, quantity in rows.iterator(chunk_size=5000):
        for state, statuses in STATUSES_COUNTED_AS.items():
            if status not in statuses:
                continue
            if person:
                if (measure_id, year, state, person) in people_seen:
                    continue
                people_seen.add((measure_id, year, state, person))
            totals[(measure_id, year, state)] += quantity
    return dict(totals)


def _measure_ids(provider: Organisation) -> dict[str, int]:
    return {m.code: m.pk for m in report_measures(provider)}


def _summary_table_problems() -> list[str]:
    """Every summary row the reports read that differs from the same sum worked out afresh from
    the raw entries (reports/summaries.py keeps them true on every write)."""
    return [
        f"{provider.reference} summaries: {line}"
        for provider in Organisation.objects.providers().order_by("pk")
        for line in differences(provider)
    ]
