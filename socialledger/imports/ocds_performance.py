"""Contract performance notices (Procurement Act 2023) as OCDS: one release per contract and
KPI rating period.

Each release is the contract's implementation in that period: `contracts[].implementation.metrics`
holds one metric per KPI rated for the period, with one observation: the period, the figure (a
linked KPI's verified figure, or the figure entered with the rating), the rating as the UK
extension's `measureClassification` (met, slightlyBelow, below, significantlyBelow, other) and
the justification as `notes`. The releases carry the contract's parties, award and framework
link, so `socialledger import` reads them back as the same contract (docs/ocds.md).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from socialledger.contracts.models import Contract
from socialledger.imports.ocds_export import (
    _datetime,
    _money,
    _period,
    _reference,
    call_off_parties,
    contract_ocid,
    export_uri,
    framework_link,
    package_head,
    unit,
)
from socialledger.kpis.queries import KpiLine, RatingLine, kpi_register
from socialledger.lib.numbers import normalise, round_half_up
from socialledger.reports.queries import Scope


def performance_notice_package(
    scope: Scope, today: date, *, published: datetime | None = None
) -> dict:
    """Every rated period of every KPI on the scope's contracts, as OCDS releases."""
    when = _datetime(published or timezone.now())
    contracts = scope.contracts().select_related("framework__provider", "lot", "member", "supplier")
    releases = []
    for contract in contracts.order_by("framework__reference", "reference"):
        register = kpi_register(contract, today)
        periods = sorted(
            {
                (r.rating.period_start, r.rating.period_end)
                for line in register.lines
                for r in line.ratings
            }
        )
        releases += [_notice_release(contract, register.lines, period, when) for period in periods]
    uri = export_uri(scope, None, "exports/ocds/performance-notices")
    return package_head(scope.provider, uri, when) | {"releases": releases}


def _notice_release(contract: Contract, lines, period: tuple[date, date], when: str) -> dict:
    ocid = contract_ocid(contract)
    start, end = period
    award_id = f"{contract.reference}-award"
    metrics = [
        _metric(line, rated)
        for line in lines
        for rated in line.ratings
        if (rated.rating.period_start, rated.rating.period_end) == period
    ]
    return {
        "ocid": ocid,
        "id": f"{ocid}-performance-{start.isoformat()}-{end.isoformat()}",
        "date": when,
        "tag": ["implementation"],
        "initiationType": "tender",
        **call_off_parties(contract),
        "relatedProcesses": [framework_link(contract)],
        "awards": [
            {
                "id": award_id,
                "status": "active",
                "suppliers": [_reference(contract.supplier)],
                "relatedLots": [contract.lot.reference],
            }
        ],
        "contracts": [
            {
                "id": contract.reference,
                "awardID": award_id,
                "title": contract.title,
                "status": "active",
                "value": _money(contract.value),
                "period": _period(contract.starts_on, contract.ends_on),
                "implementation": {"metrics": metrics},
            }
        ],
    }


def _metric(line: KpiLine, rated: RatingLine) -> dict:
    """A KPI as a metric with the one observation its rating for the period makes."""
    kpi, rating = line.kpi, rated.rating
    observation = {
        "id": f"kpi-{kpi.pk}-{rating.period_start.isoformat()}",
        "period": _period(rating.period_start, rating.period_end),
        **_figure(line, rated),
        "measureClassification": rating.measure_classification,
        "notes": rating.justification,
    }
    metric = {"id": f"kpi-{kpi.pk}", "title": kpi.title, "observations": [observation]}
    description = kpi.description or (f"Target: {kpi.target}" if kpi.target else "")
    if description:
        metric["description"] = description
    return metric


def _figure(line: KpiLine, rated: RatingLine) -> dict:
    """A linked KPI's verified figure with its measures' unit, or the figure entered."""
    if rated.linked is not None:
        measure = line.measures[0]
        exact = normalise(round_half_up(rated.linked.verified, 4))
        if measure.is_money:
            return {"value": _money(exact)}
        return {"measure": exact, "unit": unit(measure)}
    if rated.rating.figure is not None:
        return {"measure": normalise(rated.rating.figure)}
    return {}
