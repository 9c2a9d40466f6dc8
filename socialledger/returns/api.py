"""API: returns and their entries; a supplier fills one in and submits it, an officer queries,
verifies, rejects or reopens it. The same actions as the return pages, through the same access
helpers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.db.models import Q
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import create_model

from socialledger.accounts.access import (
    OFFICERS,
    get_contract_for_user,
    get_return_for_contributor,
    get_return_for_officer,
    get_return_for_user,
    is_provider_staff,
    provider_of,
    visible_organisations,
    visible_returns,
)
from socialledger.accounts.models import Role
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
    page_of,
    page_schema,
    prose,
    scope_from,
    text,
    year_from,
)
from socialledger.measures.models import Measure
from socialledger.returns import actions, figures
from socialledger.returns.models import Entry, Return, Status

router = Router(tags=["Returns"])
CONTRIBUTORS = frozenset({Role.SUPPLIER_CONTRIBUTOR})
MAX_ENTRIES = 5000


class Ref(Schema):
    id: int
    reference: str
    name: str


class ScopedContractOut(Schema):
    id: int
    reference: str
    nil: bool = Field(description="The supplier said there is nothing to report")
    nil_reason: str
    has_figures: bool


class ReturnOut(Schema):
    id: int
    supplier: Ref
    financial_year: str = Field(description='e.g. "2023-24"')
    period_start: date
    period_end: date
    status: str = Field(description=", ".join(Status.values))
    status_note: str = Field(description="The latest query, reason or comment")
    submitted_at: datetime | None
    decided_at: datetime | None
    round_id: int | None
    contracts: list[ScopedContractOut] = Field(description="The contracts it reports on")
    missing: list[str] = Field(description="Contracts still needing figures or a nil return")
    decisions_open: list[str] = Field(description="What an officer may decide now")


class EntryOut(Schema):
    id: int
    return_id: int
    contract_id: int
    contract: str = Field(description="The contract's reference")
    measure: str = Field(description="The measure's code")
    definition_version: int
    period_start: date
    period_end: date
    financial_year: str
    quantity: str = Field(description="Exact decimal")
    breakdowns: dict[str, str]
    description: str
    person_key: str
    updated_at: datetime


class EntryIn(Schema):
    contract_id: int = Field(ge=1, le=MAX_ID)
    measure: text(60, 1) = Field(description="A counted measure's code, e.g. jobs-created")
    # A number, or the text a person typed ("1,250.50", "£500"): the figure intake reads both
    # and refuses what does not fit the measure's unit, as every other door does.
    quantity: Decimal | text(40) = Field(description="e.g. 12, or 1250.50 for £")
    breakdowns: dict[text(40), text(100)] = Field(
        default_factory=dict, description='e.g. {"hours": "full-time", "locality": "local"}'
    )
    description: prose(2000) = Field(
        "", description="Needed for donations; at most 300 characters once spaces are tidied"
    )
    person_id: text(100) = Field(
        "", description="The supplier's own id for a person; kept only as a keyed hash"
    )
    person_key: text(100) = Field("", description="Or a person key this product made")
    period_start: date | None = Field(None, description="For a shorter period than the return's")
    period_end: date | None = None


class EntriesIn(Schema):
    entries: list[EntryIn] = Field(min_length=1, max_length=MAX_ENTRIES)
    mode: Literal["add", "replace"] = Field(
        "add",
        description="add: add or update these figures (matched by contract, measure, period, "
        "breakdowns, description and person), never removing any; replace: make the return's "
        "figures for the contracts and measures given exactly these",
    )


# "return" is a keyword in Python, so this schema is made rather than written as a class.
SavedOut = create_model(
    "SavedOut",
    __base__=Schema,
    added=(int, ...),
    changed=(int, ...),
    unchanged=(int, ...),
    removed=(int, ...),
    **{"return": (ReturnOut, Field(description="The return as it is now"))},
)


class OpenIn(Schema):
    year: text(20, 1) = Field(description='The financial year, e.g. "2024-25"')
    supplier_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="For provider officers; a supplier opens its own"
    )


class NilIn(Schema):
    contract_id: int = Field(ge=1, le=MAX_ID)
    nil: bool = Field(True, description="false takes a nil return back")
    reason: text(300) = ""


class NoteIn(Schema):
    note: text(2000) = Field("", description="Needed to query, reject or reopen")


class ReturnFilter(Page):
    year: YearText | None = None
    status: Literal[tuple(Status.values)] | None = None
    scope: ScopeText | None = Field(
        None, description="supplier:REF, or any scope: returns with figures or contracts in it"
    )


def _return(ret: Return) -> dict:
    scoped = {s.contract_id: s for s in ret.scope.all()}
    with_figures = set(ret.entries.values_list("contract_id", flat=True).distinct())
    contracts = ret.contracts_to_report()
    missing = {s.contract_id for s in ret.scope.missing_figures()}
    return {
        "id": ret.pk,
        "supplier": ret.supplier,
        "financial_year": ret.year.label,
        "period_start": ret.period_start,
        "period_end": ret.period_end,
        "status": ret.status,
        "status_note": ret.status_note,
        "submitted_at": ret.submitted_at,
        "decided_at": ret.decided_at,
        "round_id": ret.round_id,
        "contracts": [
            {
                "id": contract.pk,
                "reference": contract.reference,
                "nil": scoped[contract.pk].nil if contract.pk in scoped else False,
                "nil_reason": scoped[contract.pk].nil_reason if contract.pk in scoped else "",
                "has_figures": contract.pk in with_figures,
            }
            for contract in contracts
        ],
        "missing": [c.reference for c in contracts if c.pk in missing],
        "decisions_open": actions.decisions_open(ret),
    }


def _entry(entry: Entry) -> dict:
    return {
        "id": entry.pk,
        "return_id": entry.submission_id,
        "contract_id": entry.contract_id,
        "contract": entry.contract.reference,
        "measure": entry.measure.code,
        "definition_version": entry.definition_version,
        "period_start": entry.period_start,
        "period_end": entry.period_end,
        "financial_year": entry.contract.provider.financial_year(entry.financial_year).label,
        "quantity": str(entry.quantity),
        "breakdowns": entry.breakdowns,
        "description": entry.description,
        "person_key": entry.person_key,
        "updated_at": entry.updated_at,
    }


@router.get("/returns", response=answers({200: page_schema(ReturnOut)}))
def list_returns(request, filters: Query[ReturnFilter]):
    """Returns the token may see: a provider's all, a supplier's own (members see none)."""
    membership = acting(request)
    found = visible_returns(membership).select_related("supplier__provider")
    year = year_from(membership, filters.year)
    if year is not None:
        found = found.filter(financial_year=year.start_year)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.scope:
        scope = scope_from(membership, filters.scope)
        if scope.kind == "supplier":
            found = found.filter(supplier=scope.target)
        elif scope.kind != "provider":
            contracts = scope.contracts()
            found = found.filter(
                Q(entries__contract__in=contracts) | Q(scope__contract__in=contracts)
            ).distinct()
    ordered = found.order_by("-financial_year", "supplier__name", "pk")
    return page_of(ordered, filters, _return)


@router.get("/returns/{return_id}", response=answers({200: ReturnOut}))
def get_return(request, return_id: RowId):
    return _return(get_return_for_user(acting(request), return_id))


@router.post("/returns", response=answers({201: ReturnOut}, 409))
def open_return(request, payload: OpenIn):
    """Open a draft return for a whole financial year: a supplier contributor for its own
    supplier, a provider officer or admin for any of the provider's suppliers."""
    membership = acting(
        request,
        write=True,
        roles=OFFICERS | CONTRIBUTORS,
        to="open returns",
    )
    year = year_from(membership, payload.year)
    supplier = _supplier_for(membership, payload.supplier_id)
    ret = actions.open_year_return(supplier, year, by=by(request), via=VIA)
    return Reply(201, _return(ret))


def _supplier_for(membership, supplier_id: int | None):
    if not is_provider_staff(membership):
        if supplier_id not in (None, membership.organisation_id):
            raise Http404("No such supplier.")
        return membership.organisation
    if supplier_id is None:
        raise ApiError(
            422,
            "invalid",
            "Say which supplier the return is for.",
            [{"field": "supplier_id", "message": "required for provider staff"}],
        )
    found = (
        visible_organisations(membership)
        .filter(pk=supplier_id, kind="supplier", provider=provider_of(membership))
        .first()
    )
    if found is None:
        raise Http404("No such supplier.")
    return found


@router.get("/returns/{return_id}/entries", response=answers({200: page_schema(EntryOut)}))
def list_entries(request, page: Query[Page], return_id: RowId):
    """The figures in a return."""
    ret = get_return_for_user(acting(request), return_id)
    entries = ret.entries.select_related("contract__framework__provider", "measure").order_by(
        "contract__reference", "measure__position", "breakdown_key", "pk"
    )
    return page_of(entries, page, _entry)


@router.post("/returns/{return_id}/entries", response=answers({200: SavedOut}, 409))
def save_entries(request, payload: EntriesIn, return_id: RowId):
    """Add figures in bulk (or replace them) in a draft or queried return. Every entry is
    checked first; if any is wrong, none is saved and each problem is listed."""
    membership = acting(request, write=True, roles=CONTRIBUTORS, to="fill in returns")
    ret = get_return_for_contributor(membership, return_id)
    facts = _facts(ret, payload.entries)
    if payload.mode == "replace":
        contracts = list({fact.contract.pk: fact.contract for fact in facts}.values())
        measures = list({fact.measure.pk: fact.measure for fact in facts}.values())
        summary = actions.replace_entries(
            ret, facts, contracts=contracts, measures=measures, by=by(request), via=VIA
        )
    else:
        summary = actions.save_entries(ret, facts, by=by(request), via=VIA)
    ret.refresh_from_db()
    return {
        "added": summary.added,
        "changed": summary.changed,
        "unchanged": summary.unchanged,
        "removed": summary.removed,
        "return": _return(ret),
    }


def _facts(ret: Return, given: list[EntryIn]) -> list[actions.Fact]:
    """Each entry through the one figure intake; its refusals placed at `entries.N.<field>`."""
    from django.core.exceptions import ValidationError

    contracts = {contract.pk: contract for contract in ret.contracts_to_report()}
    measures = {
        m.code: m
        for m in Measure.objects.available_to(ret.provider)
        .counted()
        .prefetch_related("dimensions__values")
    }
    facts, problems, seen = [], [], {}
    for index, item in enumerate(given):
        where = f"entries.{index}"
        contract, measure = contracts.get(item.contract_id), measures.get(item.measure)
        if contract is None:
            problems.append((f"{where}.contract_id", "not one of this return's contracts"))
        if measure is None:
            problems.append((f"{where}.measure", "not a counted measure; GET /measures lists them"))
            continue
        try:
            fact = figures.figure(
                ret,
                contract,
                measure,
                quantity=item.quantity,
                breakdowns=item.breakdowns,
                description=item.description,
                person_id=item.person_id,
                person_key=item.person_key,
                period_start=item.period_start,
                period_end=item.period_end,
            )
        except ValidationError as error:
            problems += [
                (f"{where}.{API_FIELDS.get(part, part)}", message)
                for part, message in figures.first_messages(error).items()
            ]
            continue
        if contract is None:
            continue
        first = seen.setdefault(fact.natural_key, index)
        if first != index:
            problems.append((where, f"repeats entries.{first}; combine them into one"))
        facts.append(fact)
    if problems:
        details = [{"field": field, "message": message} for field, message in problems]
        raise ApiError(422, "invalid", f"{len(details)} problem(s); nothing was saved.", details)
    return facts


# The intake's parts that the API names otherwise.
API_FIELDS = {"period": "period_end"}


@router.delete("/returns/{return_id}/entries/{entry_id}", response=answers({200: ReturnOut}, 409))
def remove_entry(request, return_id: RowId, entry_id: RowId):
    """Remove one figure from a draft or queried return."""
    membership = acting(request, write=True, roles=CONTRIBUTORS, to="fill in returns")
    ret = get_return_for_contributor(membership, return_id)
    entry = ret.entries.select_related("contract", "measure").filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such entry in this return.")
    actions.remove_entries(ret, [entry], by=by(request), via=VIA)
    return _return(ret)


@router.post("/returns/{return_id}/nil", response=answers({200: ReturnOut}, 409))
def set_nil(request, payload: NilIn, return_id: RowId):
    """Say a contract in the return's scope has nothing to report (or take that back)."""
    membership = acting(request, write=True, roles=CONTRIBUTORS, to="fill in returns")
    ret = get_return_for_contributor(membership, return_id)
    contract = get_contract_for_user(membership, payload.contract_id)
    actions.set_nil_return(
        ret, contract, nil=payload.nil, reason=payload.reason, by=by(request), via=VIA
    )
    return _return(ret)


@router.post("/returns/{return_id}/submit", response=answers({200: ReturnOut}, 409))
def submit(request, payload: NoteIn, return_id: RowId):
    """Send the return to the provider; its figures now count as reported."""
    membership = acting(request, write=True, roles=CONTRIBUTORS, to="submit returns")
    ret = get_return_for_contributor(membership, return_id)
    return _return(actions.submit_return(ret, by=by(request), note=payload.note, via=VIA))


def _decide(request, return_id: int, decision: str, note: str) -> dict:
    membership = acting(request, write=True, roles=OFFICERS, to=f"{decision} returns")
    ret = get_return_for_officer(membership, return_id)
    decided = actions.DECISIONS[decision](ret, by=by(request), note=note, via=VIA)
    return _return(decided)


@router.post("/returns/{return_id}/query", response=answers({200: ReturnOut}, 409))
def query(request, payload: NoteIn, return_id: RowId):
    """Ask the supplier about a submitted return (say what, in the note)."""
    return _decide(request, return_id, "query", payload.note)


@router.post("/returns/{return_id}/verify", response=answers({200: ReturnOut}, 409))
def verify(request, payload: NoteIn, return_id: RowId):
    """Verify a submitted return; its figures now count as verified."""
    return _decide(request, return_id, "verify", payload.note)


@router.post("/returns/{return_id}/reject", response=answers({200: ReturnOut}, 409))
def reject(request, payload: NoteIn, return_id: RowId):
    """Reject a submitted return (say why); its figures count nowhere."""
    return _decide(request, return_id, "reject", payload.note)


@router.post("/returns/{return_id}/reopen", response=answers({200: ReturnOut}, 409))
def reopen(request, payload: NoteIn, return_id: RowId):
    """Send a return back to draft so its figures can be corrected (say why)."""
    return _decide(request, return_id, "reopen", payload.note)
