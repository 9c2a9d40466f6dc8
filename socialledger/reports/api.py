"""API: the annual report as JSON (the same object as the JSON download, with the working behind
every £ figure), the working of one £ figure, and the report's downloads."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema

from socialledger.apikit import (
    ApiError,
    CodeInPath,
    ScopeText,
    YearText,
    acting,
    answers,
    scope_from,
    year_from,
)
from socialledger.lib.periods import PeriodError
from socialledger.lib.valuation import PriceYearError
from socialledger.reports.documents import DOWNLOADS, report_file
from socialledger.reports.queries import current_report, default_year, parse_price_year
from socialledger.reports.renderers import report_data
from socialledger.reports.working import TOTAL, working_lines

router = Router(tags=["Reports"])


class ReportFilter(Schema):
    year: YearText | None = Field(
        None, description='e.g. "2023-24"; default: the latest with verified figures'
    )
    scope: ScopeText | None = Field(
        None,
        description="provider (default for staff), framework:REF, member:REF, supplier:REF or "
        "contract:FRAMEWORK/REF; a member or supplier sees only its own",
    )
    basis: Literal["verified", "reported"] = "verified"
    price_year: YearText | None = Field(
        None, description="Prices for real £, e.g. 2023-24; default: the deflator's latest"
    )


class ScopeOut(Schema):
    kind: str
    label: str


class ReportOut(Schema):
    """The report object every renderer shares, as plain data: Decimals as exact strings."""

    title: str
    provider: str
    scope: ScopeOut
    year: str
    previous_year: str
    basis: str
    year_status: dict[str, Any] | None = Field(
        description="Whether the year is closed or in progress, with its coverage"
    )
    like_for_like_contracts: Any = Field(
        description="The contracts counted in both years, for the like-for-like change"
    )
    measures: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    donations: dict[str, Any]
    supply_chain: list[dict[str, Any]] = Field(
        description="Each figure's part delivered by subcontractors, in total and by firm and tier"
    )
    spend: dict[str, Any] = Field(
        description="Spend with local firms, SMEs and VCSEs as shares of all spend, classed from "
        "the register, additional apart from business as usual"
    )
    carbon: dict[str, Any] = Field(
        description="The contracts' emissions in tonnes of CO2e, never valued in £"
    )
    social_impact_opening: dict[str, Any] | None
    coverage: dict[str, Any]
    restatements: list[Any]
    money: dict[str, Any] | None = Field(
        description="£ estimates with the working of each measure; null with no value set"
    )
    narrative: list[str]
    evidence_strength: list[dict[str, Any]] = Field(
        description="Each measure's figure split by evidence strength, with its history's address"
    )
    data_quality: dict[str, Any] = Field(
        description="Data-quality warnings on the report's figures: open, checked, each in words"
    )
    claims: list[dict[str, Any]] = Field(
        description="Figures claimed elsewhere beside the ledger's, any difference flagged "
        "(docs/report-json.md)"
    )
    working: dict[str, list[str]] = Field(
        description="For each £ figure (and 'total'), the working in words, as `socialledger "
        "explain` prints it"
    )


class WorkingOut(Schema):
    code: str
    lines: list[str]


def _report(request, filters: ReportFilter):
    """The report the filters ask for, within what the token may see."""
    membership = acting(request)
    scope = scope_from(membership, filters.scope)
    year = year_from(membership, filters.year) or default_year(scope)
    if year is None:
        raise ApiError(404, "no_figures", "There are no figures in this scope yet.")
    try:
        price_year = parse_price_year(filters.price_year)
    except (PeriodError, PriceYearError) as error:
        raise ApiError(
            422, "invalid", str(error), [{"field": "price_year", "message": str(error)}]
        ) from None
    return current_report(scope, year, basis=filters.basis, price_year=price_year), scope


@router.get("/reports/annual", response=answers({200: ReportOut}))
def annual(request, filters: Query[ReportFilter]):
    """The annual report for a scope and year against the year before: the same data as the
    report page's JSON download, plus the working behind each £ figure."""
    report, _scope = _report(request, filters)
    codes = [line.code for line in report.money.lines] if report.money else []
    working = {code: working_lines(report, code) for code in [TOTAL, *codes]}
    return {**report_data(report), "working": working}


@router.get("/reports/working/{code}", response=answers({200: WorkingOut}))
def working(request, filters: Query[ReportFilter], code: CodeInPath):
    """How one £ figure was made (a measure's code, or 'total'): entries × value × adjustments
    × deflator, with every source, as `socialledger explain` prints it."""
    report, _scope = _report(request, filters)
    codes = {line.code for line in report.money.lines} if report.money else set()
    if code != TOTAL and code not in codes:
        raise Http404("No such £ figure.")
    return {"code": code, "lines": working_lines(report, code)}


BINARY = {"type": "string", "format": "binary"}


class DownloadFilter(ReportFilter):
    format: Literal[tuple(DOWNLOADS)] = Field(description="The file: " + ", ".join(DOWNLOADS))


@router.get(
    "/exports/report",
    response=answers({}),
    tags=["Exports"],
    openapi_extra={
        "responses": {
            "200": {
                "description": "The report as a file (PDF, XLSX, CSV, JSON, Markdown or text)",
                "content": {
                    spec[0].split(";")[0]: {
                        "schema": {"type": "object"} if ext == "json" else BINARY
                    }
                    for ext, spec in DOWNLOADS.items()
                },
            }
        }
    },
)
def download(request, filters: Query[DownloadFilter]):
    """The report as the page's downloads give it: PDF, XLSX, CSV, JSON, Markdown or text."""
    report, scope = _report(request, filters)
    body, content_type, filename = report_file(report, filters.format, scope.provider.reference)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
