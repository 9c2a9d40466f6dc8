"""API: the outcome models loaded, a model's crosswalk (read by anyone of the provider, kept by
provider admins and officers), the model a contract was procured under, and a scope's figures
for a year under the outcomes of a model. The same actions and read models as the command line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, Literal

from ninja import Field, Query, Router, Schema

from socialledger.accounts.access import OFFICERS, get_kpi_contract_for_user, provider_of
from socialledger.apikit import (
    VIA,
    ApiError,
    RowId,
    ScopeText,
    YearText,
    acting,
    answers,
    by,
    prose,
    scope_from,
    text,
    year_from,
)
from socialledger.measures.models import Measure
from socialledger.outcomes import actions
from socialledger.outcomes.models import Outcome, OutcomeMapping, OutcomeModel
from socialledger.outcomes.output import by_outcome_data
from socialledger.outcomes.reading import by_outcome, model_of_scope
from socialledger.reports.scopes import default_year

router = Router(tags=["Reports"])
LABEL = text(81, 3)
LABEL_HELP = "The model version as CODE@VERSION, e.g. northshire-themes@2026-1"


class ModelOut(Schema):
    id: str = Field(description=LABEL_HELP)
    title: str
    publisher: str
    source_title: str
    source_date: date
    source_url: str
    licence: str
    applies_from: date = Field(description="Applies to procurements starting on or after")
    applies_until: date | None
    note: str = Field(description="What the file leaves out, and why")
    outcomes: list[str] = Field(description='Each outcome as "CODE title", in the model\'s order')


class MappingIn(Schema):
    measure: text(60, 1) = Field(description="A measure code (GET /measures lists them)")
    outcome: text(40, 1) = Field(description="An outcome code of the model")
    note: prose(2000) = Field("", description="How the measure fits the outcome")


class MappingOut(Schema):
    measure: str
    outcome: str
    note: str


class ProcuredUnderIn(Schema):
    model: LABEL | None = Field(None, description=LABEL_HELP + "; or give `code`")
    code: text(40) = Field(
        "",
        description="A model's code: the version in force on the day the procurement started",
    )
    procurement_started_on: date | None = Field(
        None, description="Default: the day recorded before, else the contract's start"
    )


class ProcuredUnderOut(Schema):
    contract_id: int
    outcome_model: str | None = Field(description=LABEL_HELP)
    procurement_started_on: date | None


def _model(membership, label: str) -> OutcomeModel:
    model = OutcomeModel.objects.of_provider(provider_of(membership)).labelled(label)
    if model is None:
        raise ApiError(404, "not_found", f'No outcome model "{label}" is loaded.')
    return model


def _model_out(model: OutcomeModel) -> dict:
    outcomes = Outcome.objects.filter(theme__model=model)
    return {
        "id": model.label,
        **{
            field: getattr(model, field)
            for field in (
                "title",
                "publisher",
                "source_title",
                "source_date",
                "source_url",
                "licence",
                "applies_from",
                "applies_until",
                "note",
            )
        },
        "outcomes": [f"{o.code} {o.title}" for o in outcomes],
    }


def _mappings(model: OutcomeModel) -> list[dict]:
    mappings = (
        OutcomeMapping.objects.under(model)
        .filter(provider=model.provider)
        .select_related("measure", "outcome")
        .order_by("outcome__theme__position", "outcome__position", "measure__code")
    )
    return [
        {"measure": m.measure.code, "outcome": m.outcome.code, "note": m.note} for m in mappings
    ]


def _named(model: OutcomeModel, measure: str, outcome: str) -> tuple[Measure, Outcome]:
    """The measure and the model's outcome named; 422 naming the field for either unknown."""
    found_measure = Measure.objects.available_to(model.provider).filter(code=measure).first()
    found_outcome = Outcome.objects.filter(theme__model=model, code=outcome).first()
    details = [
        {"field": field, "message": message}
        for field, missing, message in (
            ("measure", found_measure is None, "no such measure; GET /measures lists them"),
            ("outcome", found_outcome is None, f"no such outcome of {model.label}"),
        )
        if missing
    ]
    if details:
        raise ApiError(422, "invalid", "A measure or outcome named is not known.", details)
    return found_measure, found_outcome


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except actions.OutcomeError as error:
        raise ApiError(422, "refused", str(error), [{"field": "", "message": str(error)}]) from None


@router.get("/outcome-models", response=answers({200: list[ModelOut]}))
def list_models(request):
    """The outcome model versions the provider has loaded, each with its source, licence, the
    procurements it applies to and its outcomes (docs/outcome-models.md)."""
    models = OutcomeModel.objects.of_provider(provider_of(acting(request)))
    return [_model_out(model) for model in models]


@router.get("/outcome-models/{label}/mappings", response=answers({200: list[MappingOut]}))
def list_mappings(request, label: LABEL):
    """The crosswalk to one model version: which measure counts towards which outcome, and how."""
    return _mappings(_model(acting(request), label))


@router.put("/outcome-models/{label}/mappings", response=answers({200: list[MappingOut]}))
def set_mapping(request, payload: MappingIn, label: LABEL):
    """Map a measure to an outcome of the model, or change how it fits (provider admins and
    officers; audited); the answer is the whole crosswalk."""
    membership = acting(request, write=True, roles=OFFICERS, to="keep crosswalks")
    model = _model(membership, label)
    measure, outcome = _named(model, payload.measure, payload.outcome)
    with _refusals():
        actions.map_measure(
            model.provider, measure, outcome, note=payload.note, by=by(request), via=VIA
        )
    return _mappings(model)


@router.delete("/outcome-models/{label}/mappings", response=answers({200: list[MappingOut]}))
def remove_mapping(request, label: LABEL, measure: Query[text(60, 1)], outcome: Query[text(40, 1)]):
    """Take a measure off an outcome of the model (provider admins and officers; audited); the
    answer is the whole crosswalk."""
    membership = acting(request, write=True, roles=OFFICERS, to="keep crosswalks")
    model = _model(membership, label)
    found_measure, found_outcome = _named(model, measure, outcome)
    mapping = OutcomeMapping.objects.filter(
        provider=model.provider, measure=found_measure, outcome=found_outcome
    ).first()
    if mapping is None:
        raise ApiError(404, "not_found", "That measure is not mapped to that outcome.")
    actions.unmap_measure(mapping, by=by(request), via=VIA)
    return _mappings(model)


@router.put("/contracts/{contract_id}/outcome-model", response=answers({200: ProcuredUnderOut}))
def set_procured_under(request, payload: ProcuredUnderIn, contract_id: RowId):
    """Record the outcome model version a contract was procured under (provider admins and
    officers; audited): the version named, or the version of the model `code` in force on the
    day its procurement started."""
    membership = acting(request, write=True, roles=OFFICERS, to="record outcome models")
    contract = get_kpi_contract_for_user(membership, contract_id, write=True)
    model = _model(membership, payload.model) if payload.model else None
    if model is None and not payload.code:
        raise ApiError(
            422,
            "invalid",
            "Name the model version, or the model's code.",
            [{"field": "model", "message": "a model version, or give code"}],
        )
    with _refusals():
        actions.record_procured_under(
            contract,
            code=payload.code,
            model=model,
            procurement_started_on=payload.procurement_started_on,
            by=by(request),
            via=VIA,
        )
    contract.refresh_from_db()
    return {
        "contract_id": contract.pk,
        "outcome_model": contract.outcome_model.label if contract.outcome_model_id else None,
        "procurement_started_on": contract.procurement_started_on,
    }


class ByOutcomeFilter(Schema):
    model: LABEL | None = Field(
        None,
        description=LABEL_HELP + "; default for a contract scope: the version it was "
        "procured under",
    )
    year: YearText | None = Field(
        None, description='e.g. "2023-24"; default: the latest with figures'
    )
    scope: ScopeText | None = Field(
        None,
        description="provider, framework:REF, member:REF, supplier:REF or contract:FRAMEWORK/REF",
    )
    basis: Literal["verified", "reported"] = "verified"


class ByOutcomeOut(Schema):
    """The report by outcome every format shares, as plain data."""

    model: dict[str, Any] = Field(
        description="The model version: id, title, publisher, source, licence"
    )
    provider: str
    scope: str
    year: str
    basis: str
    provisional: bool
    themes: list[dict[str, Any]] = Field(
        description="Each theme with its totals and outcomes; each outcome with its metrics, "
        "totals and mapped measures (figure, entries, change, how it fits)"
    )
    totals: list[dict[str, Any]] = Field(description="Per unit, each measure counted once")
    unmapped: list[str] = Field(description="Measures with figures that no outcome takes")


@router.get("/reports/by-outcome", response=answers({200: ByOutcomeOut}))
def report_by_outcome(request, filters: Query[ByOutcomeFilter]):
    """A scope's figures for a year grouped under the themes and outcomes of a loaded outcome
    model version: the annual report's own figures, a measure serving two outcomes shown under
    both and counted once in each total (docs/outcome-models.md)."""
    membership = acting(request)
    scope = scope_from(membership, filters.scope)
    if filters.model is None:
        model = model_of_scope(scope)
        if model is None:
            raise ApiError(
                422,
                "refused",
                "Name the outcome model version, as CODE@VERSION; only a contract that records "
                "the model it was procured under has one of its own.",
                [{"field": "model", "message": "Name a loaded model version."}],
            )
    else:
        model = _model(membership, filters.model)
    year = year_from(membership, filters.year) or default_year(scope)
    if year is None:
        raise ApiError(404, "no_figures", "There are no figures in this scope yet.")
    return by_outcome_data(by_outcome(scope, year, model, basis=filters.basis))
