"""make_* helpers for KPIs and their ratings, through the register's own actions."""

from __future__ import annotations

from datetime import date

from socialledger.kpis.actions import add_kpi, rate_kpi
from socialledger.kpis.models import Kpi, KpiRating, Rating
from socialledger.returns.tests.factories import measure


def make_kpi(contract, title: str = "Local jobs", *codes: str) -> Kpi:
    return add_kpi(contract, title=title, measures=[measure(code) for code in codes], by=None)


def make_rating(
    kpi: Kpi,
    start: date = date(2023, 4, 1),
    end: date = date(2024, 3, 31),
    rating: str = Rating.GOOD,
    **extra,
) -> KpiRating:
    return rate_kpi(
        kpi,
        rating=rating,
        period_start=start,
        period_end=end,
        justification=extra.pop("justification", "On target all year."),
        by=None,
        **extra,
    )
