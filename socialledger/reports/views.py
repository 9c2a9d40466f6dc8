"""Report pages and downloads. Each renders the one report object from reports.queries."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from socialledger.accounts.access import get_scope_for_user, is_provider_staff, ledger_view
from socialledger.lib.periods import FinancialYear, PeriodError
from socialledger.lib.valuation import PriceYearError
from socialledger.reports.narrative import narrative
from socialledger.reports.queries import (
    Scope,
    annual_report,
    latest_year,
    parse_price_year,
    years_on_record,
)
from socialledger.reports.renderers import render
from socialledger.reports.working import TOTAL, headline, method_note, working_lines

DOWNLOADS = {
    "csv": ("csv", "text/csv"),
    "json": ("json", "application/json"),
    "md": ("markdown", "text/markdown"),
    "txt": ("text", "text/plain"),
}


@ledger_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    """The annual report for what the person acts for (or a scope within it), for a chosen year."""
    scope = get_scope_for_user(request.membership, request.GET.get("scope"))
    years = years_on_record(scope)
    year = _chosen_year(request, scope, years)
    if year is None:
        return TemplateResponse(request, "reports/no_figures.html", {"scope": scope})
    report = annual_report(scope, year, basis=_basis(request), price_year=_price_year(request))
    context = {
        "report": report,
        "narrative": narrative(report),
        "years": years,
        "scope_param": request.GET.get("scope", ""),
        "downloads": DOWNLOADS,
        "can_choose_scope": is_provider_staff(request.membership),
        "money_headline": headline(report) if report.money else "",
        "method_note": method_note(report.money) if report.money else "",
    }
    return TemplateResponse(request, "reports/dashboard.html", context)


@ledger_view()
def working(request: HttpRequest, code: str) -> HttpResponse:
    """The working behind a £ figure on the dashboard: the same object `socialledger explain`
    prints and the JSON export carries."""
    scope = get_scope_for_user(request.membership, request.GET.get("scope"))
    year = _chosen_year(request, scope, years_on_record(scope))
    if year is None:
        return TemplateResponse(request, "reports/no_figures.html", {"scope": scope})
    report = annual_report(scope, year, basis=_basis(request), price_year=_price_year(request))
    codes = {line.code for line in report.money.lines} if report.money else set()
    if code != TOTAL and code not in codes:
        raise Http404("No such £ figure.")
    context = {"report": report, "code": code, "lines": working_lines(report, code)}
    return TemplateResponse(request, "reports/working.html", context)


@ledger_view()
def download(request: HttpRequest, extension: str) -> HttpResponse:
    """The same report as the dashboard, as CSV, JSON, Markdown or plain text."""
    if extension not in DOWNLOADS:
        raise Http404("No such format.")
    scope = get_scope_for_user(request.membership, request.GET.get("scope"))
    year = _chosen_year(request, scope, years_on_record(scope))
    if year is None:
        raise Http404("No figures yet.")
    fmt, content_type = DOWNLOADS[extension]
    report = annual_report(scope, year, basis=_basis(request), price_year=_price_year(request))
    response = HttpResponse(render(report, fmt), content_type=f"{content_type}; charset=utf-8")
    filename = f"social-value-{scope.provider.reference}-{year.label}.{extension}".lower()
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _chosen_year(
    request: HttpRequest, scope: Scope, years: list[FinancialYear]
) -> FinancialYear | None:
    text = request.GET.get("year", "")
    if text:
        try:
            return scope.provider.parse_year(text)
        except PeriodError as error:
            messages.error(request, str(error))
    # By default the latest year with verified figures; else the newest with any reported.
    return latest_year(scope) or (years[0] if years else None)


def _price_year(request: HttpRequest) -> int | None:
    """The price year for real £ (?price_year=2023-24); the deflator's latest when not given."""
    try:
        return parse_price_year(request.GET.get("price_year", ""))
    except (PeriodError, PriceYearError) as error:
        messages.error(request, str(error))
        return None


def _basis(request: HttpRequest) -> str:
    return "reported" if request.GET.get("basis") == "reported" else "verified"
