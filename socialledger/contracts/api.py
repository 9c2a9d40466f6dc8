"""API: frameworks, lots, contracts (and letting a new one) and commitments (targets)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q
from ninja import Field, Query, Router, Schema, Status

from socialledger.accounts.access import (
    OFFICERS,
    get_contract_for_user,
    visible_commitments,
    visible_contracts,
    visible_frameworks,
    visible_lots,
    visible_organisations,
)
from socialledger.apikit import (
    MAX_ID,
    VIA,
    ApiError,
    Page,
    RowId,
    ScopeText,
    YearText,
    acting,
    answers,
    by,
    one_of,
    page_of,
    page_schema,
    scope_from,
    text,
    year_from,
)
from socialledger.contracts import actions

router = Router(tags=["Contracts"])


class Ref(Schema):
    id: int
    reference: str
    name: str


class LotOut(Schema):
    id: int
    framework_id: int
    reference: str
    name: str
    value: str | None = Field(description="Estimated value, £")
    supplier_ids: list[int] = Field(description="Suppliers appointed to the lot")

    @staticmethod
    def resolve_value(lot) -> str | None:
        return None if lot.value is None else str(lot.value)

    @staticmethod
    def resolve_supplier_ids(lot) -> list[int]:
        return sorted(supplier.pk for supplier in lot.suppliers.all())


class FrameworkOut(Schema):
    id: int
    provider_id: int
    reference: str
    name: str
    description: str
    starts_on: date
    ends_on: date
    value: str | None = Field(description="Estimated value, £")

    @staticmethod
    def resolve_value(framework) -> str | None:
        return None if framework.value is None else str(framework.value)


class ContractOut(Schema):
    id: int
    reference: str
    title: str
    framework: Ref
    lot: Ref
    member: Ref
    supplier: Ref
    value: str = Field(description="Contract value, £ (exact decimal)")
    starts_on: date
    ends_on: date | None
    location: str
    local_authority_code: str

    @staticmethod
    def resolve_value(contract) -> str:
        return str(contract.value)


class ContractIn(Schema):
    lot_id: int = Field(ge=1, le=MAX_ID, description="The lot it is let under")
    reference: text(40, 1) = Field(description="Unique within the framework, e.g. DEC-014")
    title: text(200, 1)
    member_id: int = Field(ge=1, le=MAX_ID, description="The member (buyer)")
    supplier_id: int = Field(ge=1, le=MAX_ID, description="A supplier appointed to the lot")
    value: Decimal = Field(ge=0, le=10**13, decimal_places=2, description="£")
    starts_on: date
    ends_on: date | None = None
    location: text(200) = ""


class CommitmentOut(Schema):
    id: int
    measure: str = Field(description="The measure's code")
    financial_year: str = Field(description='e.g. "2023-24"')
    basis: str = Field(description="absolute, or per-million (per £1m of contract value)")
    quantity: str
    target_quantity: str = Field(description="What is promised: a rate times the value in £m")
    contract_id: int | None
    framework_id: int | None
    member_id: int | None
    note: str

    @staticmethod
    def resolve_measure(commitment) -> str:
        return commitment.measure.code

    @staticmethod
    def resolve_financial_year(commitment) -> str:
        return commitment.provider.financial_year(commitment.financial_year).label

    @staticmethod
    def resolve_quantity(commitment) -> str:
        return str(commitment.quantity)

    @staticmethod
    def resolve_target_quantity(commitment) -> str:
        return str(commitment.target_quantity)


class YearScopeFilter(Page):
    year: YearText | None = Field(None, description='A financial year, e.g. "2023-24"')
    scope: ScopeText | None = Field(
        None, description="framework:REF, member:REF, supplier:REF or contract:FRAMEWORK/REF"
    )


class ContractFilter(YearScopeFilter):
    q: text(100) | None = Field(None, description="Part of a reference, title or party's name")


@router.get("/frameworks", response=answers({200: page_schema(FrameworkOut)}))
def list_frameworks(request, page: Query[Page]):
    """Frameworks the token may see."""
    found = visible_frameworks(acting(request)).order_by("reference", "pk")
    return page_of(found, page)


@router.get("/frameworks/{framework_id}", response=answers({200: FrameworkOut}))
def get_framework(request, framework_id: RowId):
    return one_of(visible_frameworks(acting(request)), framework_id, "framework")


class LotFilter(Page):
    framework_id: int | None = Field(None, ge=1, le=MAX_ID)


@router.get("/lots", response=answers({200: page_schema(LotOut)}))
def list_lots(request, filters: Query[LotFilter]):
    """Lots of the frameworks the token may see, with the suppliers appointed to each."""
    found = visible_lots(acting(request)).prefetch_related("suppliers")
    if filters.framework_id:
        found = found.filter(framework_id=filters.framework_id)
    return page_of(found.order_by("framework_id", "reference", "pk"), filters)


@router.get("/lots/{lot_id}", response=answers({200: LotOut}))
def get_lot(request, lot_id: RowId):
    return one_of(visible_lots(acting(request)), lot_id, "lot")


@router.get("/contracts", response=answers({200: page_schema(ContractOut)}))
def list_contracts(request, filters: Query[ContractFilter]):
    """Contracts the token may see; with a year, those live during it; with a scope, those in it."""
    membership = acting(request)
    found = visible_contracts(membership).select_related("framework", "lot", "member", "supplier")
    year = year_from(membership, filters.year)
    if year is not None:
        found = found.live_during(year.start, year.end)
    if filters.scope:
        found = found.filter(pk__in=scope_from(membership, filters.scope).contracts())
    if filters.q:
        found = found.filter(
            Q(reference__icontains=filters.q)
            | Q(title__icontains=filters.q)
            | Q(member__name__icontains=filters.q)
            | Q(supplier__name__icontains=filters.q)
        )
    return page_of(found.order_by("framework__reference", "reference", "pk"), filters)


@router.get("/contracts/{contract_id}", response=answers({200: ContractOut}))
def get_contract(request, contract_id: RowId):
    return get_contract_for_user(acting(request), contract_id)


@router.post("/contracts", response=answers({201: ContractOut}))
def create_contract(request, payload: ContractIn):
    """Let a call-off contract under a lot (provider officers and admins); the supplier must be
    appointed to the lot."""
    membership = acting(request, write=True, roles=OFFICERS, to="let contracts")
    lot = visible_lots(membership).select_related("framework").filter(pk=payload.lot_id).first()
    parties = visible_organisations(membership)
    member = parties.filter(pk=payload.member_id, kind="member").first()
    supplier = parties.filter(pk=payload.supplier_id, kind="supplier").first()
    missing = [
        {"field": field, "message": f"No such {noun} in your provider."}
        for field, noun, found in (
            ("lot_id", "lot", lot),
            ("member_id", "member", member),
            ("supplier_id", "supplier", supplier),
        )
        if found is None
    ]
    if missing:
        raise ApiError(404, "not_found", " ".join(d["message"] for d in missing), missing)
    try:
        contract = actions.create_contract(
            lot,
            reference=payload.reference,
            title=payload.title,
            member=member,
            supplier=supplier,
            value=payload.value,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            location=payload.location,
            by=by(request),
            via=VIA,
        )
    except ValueError as error:
        raise ApiError(
            422, "refused", str(error), [{"field": "supplier_id", "message": str(error)}]
        ) from None
    contract.refresh_from_db()  # figures as stored, so the answer matches a later GET
    return Status(201, contract)


@router.get("/commitments", response=answers({200: page_schema(CommitmentOut)}))
def list_commitments(request, filters: Query[YearScopeFilter]):
    """Targets the token may see; with a scope, those on its contracts and on the scope itself."""
    membership = acting(request)
    found = visible_commitments(membership).select_related("measure", "provider", "contract")
    year = year_from(membership, filters.year)
    if year is not None:
        found = found.for_year(year)
    if filters.scope:
        scope = scope_from(membership, filters.scope)
        found = found.filter(Q(contract__in=scope.contracts()) | Q(pk__in=scope.targets_set_here()))
    return page_of(found.order_by("-financial_year", "measure__position", "pk"), filters)
