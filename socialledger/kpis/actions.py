"""Keeping a contract's KPI register: adding KPIs, rating them, and taking out unrated ones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from socialledger.audit.actions import record
from socialledger.kpis.models import Kpi, KpiRating


class KpiError(ValueError):
    """A KPI change the rules refuse; the message says why."""


@transaction.atomic
def add_kpi(
    contract,
    *,
    title: str,
    by,
    description: str = "",
    target: str = "",
    measures=(),
    via: str = "",
) -> Kpi:
    """Add a KPI to a contract, linked to measures of one unit (its figure is then computed from
    the entries) or to none (its figure is entered with each rating)."""
    measures = list(measures)
    if len({m.unit for m in measures}) > 1:
        raise KpiError("A KPI's measures must share a unit, so that their figures add up.")
    provider = contract.framework.provider
    if any(m.provider_id not in (None, provider.pk) for m in measures):
        raise KpiError("A KPI can only be linked to the provider's own or the shared measures.")
    kpi = Kpi(contract=contract, title=title.strip(), description=description, target=target)
    kpi.full_clean()
    kpi.save()
    kpi.measures.set(measures)
    record(
        kpi,
        "kpi.added",
        by=by,
        provider=provider,
        after={"title": kpi.title, "target": target, "measures": [m.code for m in measures]},
        via=via,
    )
    return kpi


@transaction.atomic
def rate_kpi(
    kpi: Kpi,
    *,
    rating: str,
    period_start: date,
    period_end: date,
    justification: str,
    by,
    figure: Decimal | None = None,
    via: str = "",
) -> KpiRating:
    """Rate a KPI over a period of at most twelve months, within the contract's term and not in
    the future, overlapping no earlier rating; a justification is required."""
    contract = kpi.contract
    if period_start < contract.starts_on:
        raise KpiError(
            f"The period starts before the contract did ({contract.starts_on:%d %B %Y})."
        )
    if period_end > timezone.localdate():
        raise KpiError("A rating covers a period that has passed, not one still to come.")
    if figure is not None and kpi.measures.exists():
        raise KpiError("This KPI's figure comes from its measures; enter none with the rating.")
    overlapping = kpi.ratings.filter(period_start__lte=period_end, period_end__gte=period_start)
    if overlapping.exists():
        raise KpiError(
            f"This KPI is already rated for part of that period ({overlapping.first()})."
        )
    rated = KpiRating(
        kpi=kpi,
        rating=rating,
        period_start=period_start,
        period_end=period_end,
        justification=justification.strip(),
        figure=figure,
        rated_by=by if getattr(by, "is_authenticated", False) else None,
        rated_at=timezone.now(),
    )
    rated.full_clean()
    rated.save()
    record(
        kpi,
        "kpi.rated",
        by=by,
        provider=contract.framework.provider,
        after={
            "rating": rating,
            "period": f"{period_start} to {period_end}",
            "figure": None if figure is None else str(figure),
        },
        note=rated.justification,
        via=via,
    )
    return rated


@transaction.atomic
def remove_kpi(kpi: Kpi, *, by, via: str = "") -> None:
    """Take a KPI out of the register; one that has been rated stays, as its ratings are
    published."""
    if kpi.ratings.exists():
        raise KpiError("A rated KPI stays in the register: its ratings have been published.")
    record(
        kpi,
        "kpi.removed",
        by=by,
        provider=kpi.contract.framework.provider,
        before={"title": kpi.title},
        via=via,
    )
    kpi.delete()
