"""What the KPI pages, exports and commands read: a contract's register, the ratings due, and the
rows of a contract performance notice.

Linked figures come from the report read models (reports.queries.contract_delivery): nothing
here adds entries up itself.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from socialledger.imports.ocds_export import contract_ocid
from socialledger.kpis.models import KPIS_REQUIRED, Kpi, KpiRating, kpi_threshold, rating_due_on
from socialledger.lib.csvsafe import safe_cell
from socialledger.lib.numbers import ZERO, normalise
from socialledger.reports.queries import contract_delivery
from socialledger.returns.models import State

DUE_SOON_DAYS = 60  # a rating falling due within this many days is listed as due


@dataclass(frozen=True)
class LinkedFigure:
    """A linked KPI's figure over a rating's period, both ways (never added together)."""

    verified: Decimal
    reported: Decimal


@dataclass(frozen=True)
class RatingLine:
    rating: KpiRating
    linked: LinkedFigure | None


@dataclass(frozen=True)
class KpiLine:
    kpi: Kpi
    measures: tuple
    ratings: tuple[RatingLine, ...]
    due_on: date | None  # None once the whole term is rated
    status: str  # "overdue", "due", "rated" or "complete"

    @property
    def is_linked(self) -> bool:
        return bool(self.measures)


@dataclass(frozen=True)
class KpiRegister:
    """A contract's KPIs and ratings, and whether it has as many as the Procurement Act asks."""

    contract: object
    threshold: Decimal
    lines: tuple[KpiLine, ...]

    @property
    def required(self) -> bool:
        return self.contract.value > self.threshold

    @property
    def short_by(self) -> int:
        return max(0, KPIS_REQUIRED - len(self.lines)) if self.required else 0


def kpi_register(contract, today: date) -> KpiRegister:
    """A contract's KPI register as its page and the API show it."""
    kpis = _with_ratings(Kpi.objects.filter(contract=contract))
    return KpiRegister(contract, kpi_threshold(), tuple(_line(kpi, today) for kpi in kpis))


def ratings_due(contracts: QuerySet, today: date) -> list[KpiLine]:
    """KPIs whose next rating is overdue or due within DUE_SOON_DAYS, the most overdue first."""
    kpis = _with_ratings(Kpi.objects.for_contracts(contracts).select_related("contract"))
    lines = [_line(kpi, today, linked=False) for kpi in kpis]
    due = [line for line in lines if line.status in ("overdue", "due")]
    return sorted(due, key=lambda line: (line.due_on, line.kpi.contract.reference, line.kpi.pk))


def contracts_short_of_kpis(contracts: QuerySet) -> list:
    """Contracts above the threshold with fewer than three KPIs (each annotated `kpi_count`)."""
    return list(
        contracts.valued_over(kpi_threshold())
        .annotate(kpi_count=Count("kpis"))
        .filter(kpi_count__lt=KPIS_REQUIRED)
        .select_related("framework", "member", "supplier")
        .order_by("framework__reference", "reference")
    )


def _with_ratings(kpis: QuerySet) -> QuerySet:
    return kpis.select_related("contract__framework__provider").prefetch_related(
        "measures",
        Prefetch("ratings", queryset=KpiRating.objects.order_by("-period_end")),
    )


def _line(kpi: Kpi, today: date, *, linked: bool = True) -> KpiLine:
    measures = tuple(kpi.measures.all())
    ratings = tuple(kpi.ratings.all())
    contract = kpi.contract
    covered_until = ratings[0].period_end if ratings else None
    due_on = rating_due_on(contract.starts_on, covered_until)
    if contract.ends_on and covered_until and covered_until >= contract.ends_on:
        due_on, status = None, "complete"
    elif due_on < today:
        status = "overdue"
    elif due_on <= today + timedelta(days=DUE_SOON_DAYS):
        status = "due"
    else:
        status = "rated"
    lines = tuple(
        RatingLine(r, _linked_figure(kpi, measures, r) if linked and measures else None)
        for r in ratings
    )
    return KpiLine(kpi, measures, lines, due_on, status)


def _linked_figure(kpi: Kpi, measures: tuple, rating: KpiRating) -> LinkedFigure:
    """The KPI's measures summed over the entries whose period ends within the rating's."""
    contract = kpi.contract
    sums = contract_delivery(
        contract.framework.provider,
        [contract.pk],
        start=rating.period_start,
        end=rating.period_end,
    )
    wanted = {m.pk for m in measures}
    totals = {State.VERIFIED: ZERO, State.REPORTED: ZERO}
    for (measure_id, _contract, state), figure in sums.items():
        if measure_id in wanted:
            totals[state] += figure.value
    return LinkedFigure(totals[State.VERIFIED], totals[State.REPORTED])


# --- The contract performance notice ----------------------------------------------------------


@dataclass(frozen=True)
class NoticeRow:
    """One KPI rating, with what a contract performance notice publishes about it."""

    provider: str
    framework: str
    contract: str
    contract_title: str
    ocid: str
    contract_value: str
    buyer: str
    supplier: str
    supplier_companies_house_number: str
    kpi: str
    kpi_target: str
    period_start: str
    period_end: str
    rating: str
    justification: str
    figure_source: str
    figure_verified: str
    figure_reported: str
    figure_entered: str
    rated_on: str


NOTICE_COLUMNS = tuple(NoticeRow.__dataclass_fields__)


def performance_notice(contracts: QuerySet, today: date) -> list[NoticeRow]:
    """Every rating of every KPI on these contracts, newest period first within each contract."""
    contracts = contracts.select_related("framework__provider", "member", "supplier")
    rows = []
    for contract in contracts.order_by("framework__reference", "reference"):
        for line in kpi_register(contract, today).lines:
            rows += [
                _notice_row(contract, line, rated, contract_ocid(contract))
                for rated in line.ratings
            ]
    return rows


def _notice_row(contract, line: KpiLine, rated: RatingLine, ocid: str) -> NoticeRow:
    rating, linked = rated.rating, rated.linked
    return NoticeRow(
        provider=contract.framework.provider.name,
        framework=contract.framework.reference,
        contract=contract.reference,
        contract_title=contract.title,
        ocid=ocid,
        contract_value=str(normalise(contract.value)),
        buyer=contract.member.name,
        supplier=contract.supplier.name,
        supplier_companies_house_number=contract.supplier.companies_house_number,
        kpi=line.kpi.title,
        kpi_target=line.kpi.target,
        period_start=rating.period_start.isoformat(),
        period_end=rating.period_end.isoformat(),
        rating=rating.get_rating_display(),
        justification=rating.justification,
        figure_source=(
            "measures: " + ", ".join(m.code for m in line.measures) if line.measures else "entered"
        ),
        figure_verified=_text(linked.verified) if linked else "",
        figure_reported=_text(linked.reported) if linked else "",
        figure_entered=_text(rating.figure),
        rated_on=rating.rated_at.date().isoformat(),
    )


def _text(value: Decimal | None) -> str:
    return "" if value is None else str(normalise(value))


def notice_csv(rows: Iterable[NoticeRow]) -> str:
    """The notice rows as CSV, cells that a spreadsheet would run as formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NOTICE_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(value) for value in asdict(row).values()])
    return out.getvalue()


def notice_json(rows: Iterable[NoticeRow]) -> str:
    """The notice rows as JSON; figures are exact decimals written as text."""
    return (
        json.dumps({"ratings": [asdict(row) for row in rows]}, indent=2, ensure_ascii=False) + "\n"
    )
