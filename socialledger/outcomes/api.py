"""API: a scope's figures for a year under the outcomes of a loaded outcome model."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Query, Router, Schema

from socialledger.accounts.access import provider_of
from socialledger.apikit import (
    ApiError,
    ScopeText,
    YearText,
    acting,
    answers,
    scope_from,
    text,
    year_from,
)
from socialledger.outcomes.models import OutcomeModel
from socialledger.outcomes.output import by_outcome_data
from socialledger.outcomes.reading import by_outcome, model_of_scope
from socialledger.reports.scopes import default_year

router = Router(tags=["Reports"])


class ByOutcomeFilter(Schema):
    model: text(81, 3) | None = Field(
        None,
        description="The model version as CODE@VERSION, e.g. northshire-themes@2026-1; "
        "default for a contract scope: the version it was procured under",
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
        code, _, version = filters.model.partition("@")
        model = (
            OutcomeModel.objects.of_provider(provider_of(membership))
            .filter(code=code, version=version)
            .first()
        )
        if model is None:
            raise ApiError(404, "not_found", f'No outcome model "{filters.model}" is loaded.')
    year = year_from(membership, filters.year) or default_year(scope)
    if year is None:
        raise ApiError(404, "no_figures", "There are no figures in this scope yet.")
    return by_outcome_data(by_outcome(scope, year, model, basis=filters.basis))
