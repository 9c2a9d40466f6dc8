"""API: a contract's Procurement Act KPI register (read by whoever may see the contract, kept by
provider admins and officers), the ratings due, the contracts short of KPIs, and the ratings for
contract performance notices. The same actions and queries as the KPI pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from socialledger.accounts.access import (
    OFFICERS,
    PROVIDER_ROLES,
    get_kpi_contract_for_user,
    visible_contracts,
)
from socialledger.apikit import (
    MAX_ID,
    VIA,
    ApiError,
    Page,
    RowId,
    acting,
    answers,
    by,
    page_of,
    page_schema,
    prose,
    text,
)
from socialledger.kpis import actions
from socialledger.kpis.models import KPIS_REQUIRED, Kpi, Rating
from socialledger.kpis.queries import (
    NOTICE_COLUMNS,
    KpiLine,
    KpiRegister,
    RatingLine,
    contracts_short_of_kpis,
    kpi_register,
    ratings_due,
)
from socialledger.kpis.views import EXPORTS, notice_download
from socialledger.lib.numbers import normalise
from socialledger.measures.models import Measure

router = Router(tags=["KPIs"])
MAX_MEASURES = 20


class RatingOut(Schema):
    id: int
    period_start: date
    period_end: date
    rating: str = Field(description=", ".join(Rating.values))
    rating_label: str = Field(description='As a notice writes it, e.g. "Approaching target"')
    justification: str
    figure_entered: str | None = Field(description="For a KPI linked to no measure (exact)")
    figure_verified: str | None = Field(
        description="For a linked KPI: its measures' verified entries in the period"
    )
    figure_reported: str | None = Field(
        description="For a linked KPI: everything submitted in the period (includes verified; "
        "never add the two)"
    )
    rated_at: datetime


class KpiOut(Schema):
    id: int
    contract_id: int
    title: str
    description: str
    target: str = Field(description="What good looks like")
    measures: list[str] = Field(description="Codes of the measures its figure is computed from")
    figure_from: str = Field(description="measures, or entered (with each rating)")
    due_on: date | None = Field(description="When the next rating is due; null once all rated")
    status: str = Field(description="overdue, due, rated or complete")
    ratings: list[RatingOut] = Field(description="Newest period first")


class RegisterOut(Schema):
    contract_id: int
    contract: str = Field(description="The contract's reference")
    value: str = Field(description="Contract value, £")
    threshold: str = Field(description="The value (£) above which the Act asks for KPIs")
    required: bool = Field(description=f"Worth more than the threshold: {KPIS_REQUIRED} KPIs due")
    short_by: int = Field(description="How many more KPIs the Act asks for")
    kpis: list[KpiOut]


class DueOut(Schema):
    kpi_id: int
    title: str
    contract_id: int
    contract: str = Field(description="The contract's reference")
    due_on: date
    status: str = Field(description="overdue, or due (within the next sixty days)")
    rated_until: date | None = Field(description="The end of the last period rated, if any")


class ShortOut(Schema):
    contract_id: int
    contract: str = Field(description="The contract's reference")
    title: str
    framework: str
    member: str
    supplier: str
    value: str = Field(description="£")
    kpi_count: int
    short_by: int


class KpiIn(Schema):
    title: text(200, 1) = Field(description="Unique within the contract")
    target: text(200) = Field("", description='What good looks like, e.g. "20 apprentices a year"')
    description: prose(2000) = ""
    measures: list[text(60, 1)] = Field(
        default_factory=list,
        max_length=MAX_MEASURES,
        description="Measure codes of one unit: the figure is then computed from the entries; "
        "none to enter a figure with each rating",
    )


class RatingIn(Schema):
    rating: Literal[tuple(Rating.values)]
    period_start: date
    period_end: date = Field(description="At most twelve months after the start, not in future")
    justification: prose(4000, 1) = Field(description="Why the KPI earns this rating")
    figure: Decimal | None = Field(
        None,
        ge=-(10**12),
        le=10**12,
        decimal_places=4,
        description="The figure achieved, only for a KPI linked to no measure",
    )


class NoticeFilter(Schema):
    format: Literal[tuple(EXPORTS)] = "csv"
    contract_id: int | None = Field(None, ge=1, le=MAX_ID, description="One contract's only")


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(normalise(value))


def _rating(rated: RatingLine) -> dict:
    rating, linked = rated.rating, rated.linked
    return {
        "id": rating.pk,
        "period_start": rating.period_start,
        "period_end": rating.period_end,
        "rating": rating.rating,
        "rating_label": rating.get_rating_display(),
        "justification": rating.justification,
        "figure_entered": _number(rating.figure),
        "figure_verified": _number(linked.verified) if linked else None,
        "figure_reported": _number(linked.reported) if linked else None,
        "rated_at": rating.rated_at,
    }


def _kpi(line: KpiLine) -> dict:
    kpi = line.kpi
    return {
        "id": kpi.pk,
        "contract_id": kpi.contract_id,
        "title": kpi.title,
        "description": kpi.description,
        "target": kpi.target,
        "measures": [measure.code for measure in line.measures],
        "figure_from": "measures" if line.is_linked else "entered",
        "due_on": line.due_on,
        "status": line.status,
        "ratings": [_rating(rated) for rated in line.ratings],
    }


def _register(register: KpiRegister) -> dict:
    contract = register.contract
    return {
        "contract_id": contract.pk,
        "contract": contract.reference,
        "value": str(contract.value),
        "threshold": str(register.threshold),
        "required": register.required,
        "short_by": register.short_by,
        "kpis": [_kpi(line) for line in register.lines],
    }


def _kpi_as_now(kpi: Kpi) -> dict:
    """The KPI as its contract's register now shows it, with every rating and its figure."""
    register = kpi_register(kpi.contract, timezone.localdate())
    return _kpi(next(line for line in register.lines if line.kpi.pk == kpi.pk))


def _kpi_of(contract, kpi_id: int) -> Kpi:
    found = contract.kpis.filter(pk=kpi_id).first()
    if found is None:
        raise Http404("No such KPI on this contract.")
    return found


def _measures(contract, codes: list[str]) -> list[Measure]:
    """The measures named, among those the contract's provider may use; 422 for any other."""
    available = Measure.objects.available_to(contract.framework.provider)
    found = {m.code: m for m in available.filter(code__in=codes)}
    missing = [
        {"field": f"measures.{index}", "message": "no such measure; GET /measures lists them"}
        for index, code in enumerate(codes)
        if code not in found
    ]
    if missing:
        raise ApiError(422, "invalid", "A measure named is not known.", missing)
    return [found[code] for code in dict.fromkeys(codes)]


@contextmanager
def _refusals() -> Iterator[None]:
    """A rule of the register refused the change: 422, saying why."""
    try:
        yield
    except actions.KpiError as error:
        raise ApiError(422, "refused", str(error), [{"field": "", "message": str(error)}]) from None


@router.get("/contracts/{contract_id}/kpis", response=answers({200: RegisterOut}))
def get_register(request, contract_id: RowId):
    """A contract's KPI register: each KPI, its ratings (with linked figures verified and
    reported), when the next rating is due, and whether it has as many KPIs as the Act asks."""
    contract = get_kpi_contract_for_user(acting(request), contract_id)
    return _register(kpi_register(contract, timezone.localdate()))


@router.post("/contracts/{contract_id}/kpis", response=answers({201: KpiOut}))
def add_kpi(request, payload: KpiIn, contract_id: RowId):
    """Add a KPI to a contract (provider admins and officers), linked to measures of one unit
    or to none."""
    membership = acting(request, write=True, roles=OFFICERS, to="keep KPI registers")
    contract = get_kpi_contract_for_user(membership, contract_id, write=True)
    measures = _measures(contract, payload.measures)
    with _refusals():
        kpi = actions.add_kpi(
            contract,
            title=payload.title,
            description=payload.description,
            target=payload.target,
            measures=measures,
            by=by(request),
            via=VIA,
        )
    return Reply(201, _kpi_as_now(kpi))


@router.post("/contracts/{contract_id}/kpis/{kpi_id}/ratings", response=answers({201: KpiOut}))
def rate_kpi(request, payload: RatingIn, contract_id: RowId, kpi_id: RowId):
    """Rate a KPI on the statutory scale over a past period of at most twelve months, with a
    justification (provider admins and officers); the answer is the KPI with all its ratings."""
    membership = acting(request, write=True, roles=OFFICERS, to="rate KPIs")
    kpi = _kpi_of(get_kpi_contract_for_user(membership, contract_id, write=True), kpi_id)
    with _refusals():
        actions.rate_kpi(
            kpi,
            rating=payload.rating,
            period_start=payload.period_start,
            period_end=payload.period_end,
            justification=payload.justification,
            figure=payload.figure,
            by=by(request),
            via=VIA,
        )
    return Reply(201, _kpi_as_now(kpi))


@router.delete("/contracts/{contract_id}/kpis/{kpi_id}", response=answers({200: RegisterOut}))
def remove_kpi(request, contract_id: RowId, kpi_id: RowId):
    """Take a KPI not yet rated out of the register (a rated one stays: its ratings are
    published); the answer is the register as it is now."""
    membership = acting(request, write=True, roles=OFFICERS, to="keep KPI registers")
    contract = get_kpi_contract_for_user(membership, contract_id, write=True)
    with _refusals():
        actions.remove_kpi(_kpi_of(contract, kpi_id), by=by(request), via=VIA)
    return _register(kpi_register(contract, timezone.localdate()))


def _due(line: KpiLine) -> dict:
    contract = line.kpi.contract
    return {
        "kpi_id": line.kpi.pk,
        "title": line.kpi.title,
        "contract_id": contract.pk,
        "contract": contract.reference,
        "due_on": line.due_on,
        "status": line.status,
        "rated_until": line.ratings[0].rating.period_end if line.ratings else None,
    }


@router.get("/kpis/due", response=answers({200: page_schema(DueOut)}))
def list_ratings_due(request, page: Query[Page]):
    """KPI ratings overdue or due within sixty days, the most overdue first (provider staff)."""
    membership = acting(request, roles=PROVIDER_ROLES, to="list the KPI ratings due")
    return page_of(ratings_due(visible_contracts(membership), timezone.localdate()), page, _due)


def _short(contract) -> dict:
    return {
        "contract_id": contract.pk,
        "contract": contract.reference,
        "title": contract.title,
        "framework": contract.framework.reference,
        "member": contract.member.name,
        "supplier": contract.supplier.name,
        "value": str(contract.value),
        "kpi_count": contract.kpi_count,
        "short_by": KPIS_REQUIRED - contract.kpi_count,
    }


@router.get("/kpis/contracts-short", response=answers({200: page_schema(ShortOut)}))
def list_contracts_short(request, page: Query[Page]):
    """Contracts above the threshold with fewer KPIs than the Act asks for (provider staff)."""
    membership = acting(request, roles=PROVIDER_ROLES, to="list the contracts short of KPIs")
    return page_of(contracts_short_of_kpis(visible_contracts(membership)), page, _short)


NOTICE_ROW = {
    "type": "object",
    "properties": {column: {"type": "string"} for column in NOTICE_COLUMNS},
    "required": list(NOTICE_COLUMNS),
}


@router.get(
    "/exports/kpi-ratings",
    response=answers({}),
    tags=["Exports"],
    openapi_extra={
        "responses": {
            "200": {
                "description": "One row per rating, with what a contract performance notice "
                "publishes (columns as in docs/kpis.md)",
                "content": {
                    "text/csv": {"schema": {"type": "string", "format": "binary"}},
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"ratings": {"type": "array", "items": NOTICE_ROW}},
                            "required": ["ratings"],
                        }
                    },
                },
            }
        }
    },
)
def export_ratings(request, filters: Query[NoticeFilter]):
    """Every KPI rating on the contracts the token may see (or one contract's), as CSV or JSON,
    for contract performance notices."""
    return notice_download(acting(request), filters.format, filters.contract_id)
