"""API: frameworks, lots, contracts (and letting a new one) and commitments (targets)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

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
    prose,
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


class FrameworkIn(Schema):
    reference: text(40, 1) = Field(description="Unique within the provider, e.g. DEC")
    name: text(200, 1)
    description: prose(5000) = ""
    starts_on: date
    ends_on: date
    value: Decimal | None = Field(None, ge=0, le=10**13, decimal_places=2, description="£")


class FrameworkChange(Schema):
    """Only the fields sent change (null leaves a field as it is); a framework's reference
    never does."""

    name: text(200, 1) | None = None
    description: prose(5000) | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    value: Decimal | None = Field(None, ge=0, le=10**13, decimal_places=2, description="£")


class LotIn(Schema):
    framework_id: int = Field(ge=1, le=MAX_ID)
    reference: text(20, 1) = Field(description="Unique within the framework, e.g. 1 or 2A")
    name: text(200, 1)
    value: Decimal | None = Field(None, ge=0, le=10**13, decimal_places=2, description="£")


class LotChange(Schema):
    name: text(200, 1) | None = None
    value: Decimal | None = Field(None, ge=0, le=10**13, decimal_places=2, description="£")


class AppointIn(Schema):
    supplier_id: int = Field(ge=1, le=MAX_ID, description="A supplier of the same provider")


class ContractChange(Schema):
    """Only the fields sent change (null leaves a field as it is); a contract's lot, member
    and supplier never do."""

    title: text(200, 1) | None = None
    value: Decimal | None = Field(None, ge=0, le=10**13, decimal_places=2, description="£")
    starts_on: date | None = None
    ends_on: date | None = None
    location: text(200) | None = None


class SpendOut(Schema):
    period_end: date
    amount: str = Field(description="£ spent in the period ending then (exact decimal)")

    @staticmethod
    def resolve_amount(spend) -> str:
        return str(spend.amount)


class SpendIn(Schema):
    period_end: date = Field(description="The last day of the period, e.g. a quarter's")
    amount: Decimal = Field(ge=0, le=10**13, decimal_places=2, description="£")


class CommitmentIn(Schema):
    """A target on one scope: a contract, a framework, a member, or (none given) the provider."""

    measure: text(60, 1) = Field(description="The measure's code, e.g. jobs-created")
    year: YearText = Field(description='The financial year, e.g. "2024-25"')
    quantity: Decimal = Field(ge=0, le=10**12, decimal_places=4)
    basis: Literal["absolute", "per-million"] = "absolute"
    contract_id: int | None = Field(None, ge=1, le=MAX_ID)
    framework_id: int | None = Field(None, ge=1, le=MAX_ID)
    member_id: int | None = Field(None, ge=1, le=MAX_ID)
    note: text(300) = ""


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


SETS_UP = "set up frameworks, contracts and commitments"


@router.post("/frameworks", response=answers({201: FrameworkOut}))
def create_framework(request, payload: FrameworkIn):
    """Add a framework to the token's provider (provider officers and admins)."""
    membership = acting(request, write=True, roles=OFFICERS, to=SETS_UP)
    framework = actions.create_framework(
        membership.organisation, **payload.dict(), by=by(request), via=VIA
    )
    return Status(201, _fresh(framework))


@router.patch("/frameworks/{framework_id}", response=answers({200: FrameworkOut}))
def change_framework(request, framework_id: RowId, payload: FrameworkChange):
    """Change a framework's name, description, term or value (only the fields sent)."""
    membership = acting(request, write=True, roles=OFFICERS, to=SETS_UP)
    framework = one_of(visible_frameworks(membership), framework_id, "framework")
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    return _refusing(
        lambda: actions.update_framework(framework, by=by(request), via=VIA, **changes)
    )


@router.post("/lots", response=answers({201: LotOut}))
def create_lot(request, payload: LotIn):
    """Add a lot to one of the provider's frameworks."""
    membership = acting(request, write=True, roles=OFFICERS, to=SETS_UP)
    framework = one_of(visible_frameworks(membership), payload.framework_id, "framework")
    details = payload.dict(exclude={"framework_id"})
    return Status(201, _fresh(actions.create_lot(framework, **details, by=by(request), via=VIA)))


@router.patch("/lots/{lot_id}", response=answers({200: LotOut}))
def change_lot(request, lot_id: RowId, payload: LotChange):
    """Change a lot's name or value (only the fields sent)."""
    membership = acting(request, write=True, roles=OFFICERS, to=SETS_UP)
    lot = one_of(visible_lots(membership).select_related("framework"), lot_id, "lot")
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    return _refusing(lambda: actions.update_lot(lot, by=by(request), via=VIA, **changes))


@router.post("/lots/{lot_id}/suppliers", response=answers({200: LotOut}))
def appoint_supplier(request, lot_id: RowId, payload: AppointIn):
    """Appoint a supplier to a lot, so contracts under it may be let to that supplier."""
    membership = acting(request, write=True, roles=OFFICERS, to=SETS_UP)
    lot = one_of(visible_lots(membership).select_related("framework"), lot_id, "lot")
    suppliers = visible_organisations(membership).filter(kind="supplier")
    supplier = one_of(suppliers, payload.supplier_id, "supplier")
    actions.appoint_supplier(lot, supplier, by=by(request), via=VIA)
    return lot


@router.delete("/lots/{lot_id}/suppliers/{supplier_id}", response=answers({200: LotOut}))
def remove_supplier(request, lot_id: RowId, supplier_id: RowId):
    """Take a supplier off a lot; refused (422) while it holds contracts under the lot."""
    membership = acting(request, write=True, roles=OFFICERS, to=SETS_UP)
    lot = one_of(visible_lots(membership).select_related("framework"), lot_id, "lot")
    supplier = one_of(lot.suppliers.all(), supplier_id, "supplier on this lot")
    _refusing(lambda: actions.remove_supplier(lot, supplier, by=by(request), via=VIA) or lot)
    return lot


@router.patch("/contracts/{contract_id}", response=answers({200: ContractOut}))
def change_contract(request, contract_id: RowId, payload: ContractChange):
    """Change a contract's title, value, term or location (only the fields sent); its lot,
    member and supplier stay."""
    membership = acting(request, write=True, roles=OFFICERS, to=SETS_UP)
    contract = get_contract_for_user(membership, contract_id)
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    _refusing(lambda: actions.update_contract(contract, by=by(request), via=VIA, **changes))
    return _fresh(contract)


@router.get("/contracts/{contract_id}/spend", response=answers({200: list[SpendOut]}))
def list_spend(request, contract_id: RowId):
    """A contract's spend, period by period: what rounds use to decide which contracts a return
    covers."""
    return list(get_contract_for_user(acting(request), contract_id).spend.all())


@router.post("/contracts/{contract_id}/spend", response=answers({200: list[SpendOut]}))
def record_spend(request, contract_id: RowId, payload: SpendIn):
    """Record (or correct) a contract's spend in the period ending on a date; answers all its
    spend as it is now."""
    membership = acting(request, write=True, roles=OFFICERS, to=SETS_UP)
    contract = get_contract_for_user(membership, contract_id)
    actions.record_spend(contract, **payload.dict(), by=by(request), via=VIA)
    return list(contract.spend.all())


@router.post("/commitments", response=answers({200: CommitmentOut}))
def set_commitment(request, payload: CommitmentIn):
    """Set (or replace) a target for a measure and year on one scope: a contract, a framework,
    a member, or the whole provider when none is given."""
    from socialledger.measures.models import Measure

    membership = acting(request, write=True, roles=OFFICERS, to=SETS_UP)
    provider = membership.organisation
    measures = Measure.objects.available_to(provider).filter(code=payload.measure)
    measure = measures.first()
    if measure is None:
        raise ApiError(
            404,
            "not_found",
            f'No measure has the code "{payload.measure}".',
            [{"field": "measure", "message": "No such measure."}],
        )
    year = year_from(membership, payload.year)
    scopes = {
        "contract": (payload.contract_id, visible_contracts(membership)),
        "framework": (payload.framework_id, visible_frameworks(membership)),
        "member": (payload.member_id, visible_organisations(membership).filter(kind="member")),
    }
    chosen = {name: one_of(found, pk, name) for name, (pk, found) in scopes.items() if pk}
    commitment = actions.set_commitment(
        provider,
        measure=measure,
        financial_year=year.start_year,
        quantity=payload.quantity,
        basis=payload.basis,
        note=payload.note,
        by=by(request),
        via=VIA,
        **chosen,
    )
    return _fresh(commitment)


def _refusing(change):
    """Carry out a change; a field the business never lets change is a 422, not a crash."""
    try:
        obj = change()
    except ValueError as error:
        raise ApiError(422, "refused", str(error)) from None
    return _fresh(obj)


def _fresh(obj):
    """The object as stored, so the answer matches a later GET."""
    obj.refresh_from_db()
    return obj


@router.delete("/commitments/{commitment_id}", response=answers({200: list[CommitmentOut]}))
def remove_commitment(request, commitment_id: RowId):
    """Remove a target; answers the targets left on the same scope (contract, framework, member
    or the whole provider)."""
    membership = acting(request, write=True, roles=OFFICERS, to=SETS_UP)
    commitment = one_of(visible_commitments(membership), commitment_id, "commitment")
    same_scope = visible_commitments(membership).filter(
        contract=commitment.contract_id,
        framework=commitment.framework_id,
        member=commitment.member_id,
    )
    actions.remove_commitment(commitment, by=by(request), via=VIA)
    return list(same_scope.select_related("measure", "provider").order_by("financial_year"))
