"""Report pages and downloads. Each renders the one report object from reports.queries."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from socialledger.accounts.access import (
    ADMINS,
    OFFICERS,
    get_scope_for_user,
    is_provider_staff,
    ledger_view,
    provider_of,
    visible_entries,
    visible_returns,
)
from socialledger.casestudies.press import stories_html
from socialledger.lib.numbers import format_quantity
from socialledger.lib.periods import FinancialYear, PeriodError
from socialledger.lib.valuation import PriceYearError
from socialledger.organisations.models import Organisation
from socialledger.reports import actions
from socialledger.reports.documents import DOWNLOADS, page_body, pdf_from_body, report_file
from socialledger.reports.drilldown import (
    DrillDownError,
    drill_down,
    history_of,
    strength_split,
)
from socialledger.reports.models import PublishedReport
from socialledger.reports.publication import (
    mark_restated,
    publication_preview,
    republish_notices,
    restated_figures,
)
from socialledger.reports.queries import (
    Scope,
    annual_report,
    current_report,
    default_year,
    parse_price_year,
    years_on_record,
)
from socialledger.reports.working import TOTAL, working_lines
from socialledger.reports.years import closed_years
from socialledger.returns.asked import asked_of
from socialledger.verification.actions import set_headline_minimum_strength
from socialledger.verification.strength import Strength, with_strength

ENTRIES_PER_PAGE = 100


@ledger_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    """The annual report for what the person acts for (or a scope within it), for a chosen year:
    headlines, targets, progress, trends, breakdowns, league tables, each figure drillable."""
    scope = get_scope_for_user(request.membership, request.GET.get("scope"))
    years = years_on_record(scope)
    year = _chosen_year(request, scope, years)
    asked = asked_of(request.membership)
    if year is None:
        return TemplateResponse(
            request, "reports/no_figures.html", {"scope": scope, "asked": asked}
        )
    report = current_report(scope, year, basis=_basis(request), price_year=_price_year(request))
    scope_param = request.GET.get("scope", "")
    can_choose_scope = is_provider_staff(request.membership)
    context = {
        "report": report,
        "body": page_body(
            report,
            league_code=request.GET.get("league"),
            scope_param=scope_param,
            can_choose_scope=can_choose_scope,
        ),
        "years": years,
        "open_years": open_years(scope, years),
        "scope_param": scope_param,
        "downloads": [(ext, spec[1]) for ext, spec in DOWNLOADS.items()],
        "can_choose_scope": can_choose_scope,
        "publishing": _publishing(request, scope, year),
        "press_pack": can_choose_scope and _is_published(scope.provider, year),
        # Provider staff are told when a published report has figures restated since.
        "republish": republish_notices(scope.provider) if can_choose_scope else [],
        "can_claim": request.membership.role in OFFICERS,
        "asked": asked,
    }
    return TemplateResponse(request, "reports/dashboard.html", context)


def open_years(scope: Scope, years: list[FinancialYear]) -> list[FinancialYear]:
    """The years on record still in progress today, labelled as such in the year choice."""
    closed = set(closed_years(scope, years, timezone.localdate()))
    return [year for year in years if year not in closed]


def _is_published(provider, year: FinancialYear) -> bool:
    """Whether the provider's report for the year is public, so it has a press pack."""
    live = PublishedReport.objects.for_provider(provider).live()
    return live.filter(financial_year=year.start_year).exists()


def _publishing(request: HttpRequest, scope: Scope, year: FinancialYear) -> dict | None:
    """What the publish controls need: only provider admins, on the whole provider's report."""
    if request.membership.role not in ADMINS or scope.kind != "provider":
        return None
    live = PublishedReport.objects.for_provider(scope.provider).live()
    # The snapshot itself (its page and contents) is large and not needed here.
    live = live.filter(financial_year=year.start_year).defer("body_html", "contents").first()
    minimum = actions.minimum_threshold()
    return {
        "live": live,
        "strengths": Strength.choices,
        "minimum_strength": scope.provider.headline_minimum_strength,
        "minimum": minimum,
        "threshold": live.threshold if live else minimum,
        "provider_ref": scope.provider.reference,
    }


@ledger_view()
def working(request: HttpRequest, code: str) -> HttpResponse:
    """The working behind a £ figure on the dashboard: the same object `socialledger explain`
    prints and the JSON export carries."""
    scope = get_scope_for_user(request.membership, request.GET.get("scope"))
    year = _chosen_year(request, scope, years_on_record(scope))
    asked = asked_of(request.membership)
    if year is None:
        return TemplateResponse(
            request, "reports/no_figures.html", {"scope": scope, "asked": asked}
        )
    report = current_report(scope, year, basis=_basis(request), price_year=_price_year(request))
    codes = {line.code for line in report.money.lines} if report.money else set()
    if code != TOTAL and code not in codes:
        raise Http404("No such £ figure.")
    context = {"report": report, "code": code, "lines": working_lines(report, code)}
    return TemplateResponse(request, "reports/working.html", context)


@ledger_view()
def download(request: HttpRequest, extension: str) -> HttpResponse:
    """The same report as the dashboard, as PDF, XLSX, CSV, JSON, Markdown or plain text."""
    if extension not in DOWNLOADS:
        raise Http404("No such format.")
    scope = get_scope_for_user(request.membership, request.GET.get("scope"))
    year = _chosen_year(request, scope, years_on_record(scope))
    if year is None:
        raise Http404("No figures yet.")
    report = current_report(scope, year, basis=_basis(request), price_year=_price_year(request))
    body, content_type, filename = report_file(report, extension, scope.provider.reference)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@ledger_view()
def entries(request: HttpRequest) -> HttpResponse:
    """The entries behind one figure of the report (that the person may see), with their
    contracts and returns; the total shown equals the figure followed."""
    scope = get_scope_for_user(request.membership, request.GET.get("scope"))
    year = _chosen_year(request, scope, years_on_record(scope))
    if year is None:
        raise Http404("No figures yet.")
    return _figure_page(request, scope, year, request.GET.get("measure", ""), _basis(request))


@ledger_view()
def figure_history(request: HttpRequest, year: str, code: str, basis: str) -> HttpResponse:
    """A figure's whole history at its short reference (as printed beside it in the PDF and
    given in the JSON): the same page as the entries behind it."""
    scope = get_scope_for_user(request.membership, request.GET.get("scope"))
    if basis not in ("verified", "reported"):
        raise Http404("No such basis.")
    return _figure_page(request, scope, _year_or_404(scope.provider, year), code, basis)


def _figure_page(
    request: HttpRequest, scope: Scope, year: FinancialYear, code: str, basis: str
) -> HttpResponse:
    """The entries behind a figure with how sure each is and what happened to it."""
    membership = request.membership
    try:
        drill, found = drill_down(
            scope,
            year,
            code,
            basis=basis,
            visible=visible_entries(membership),
            breakdown=request.GET.get("breakdown", ""),
            group=request.GET.get("group", ""),
        )
    except DrillDownError as error:
        raise Http404(str(error)) from None
    listed = (
        with_strength(found)
        .select_related(
            "contract__framework",
            "contract__supplier",
            "contract__member",
            "measure",
            "submission__round",
        )
        .prefetch_related("evidence")
        .order_by(
            "contract__framework__reference", "contract__reference", "measure__position", "pk"
        )
    )
    page = Paginator(listed, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    back = {"year": year.label, "basis": drill.basis}
    if request.GET.get("scope"):
        back["scope"] = request.GET["scope"]
    money = drill.measure.is_money
    history = history_of(drill, list(page), visible_returns(membership))
    context = {
        "drill": drill,
        "total_text": format_quantity(drill.total, money=money),
        "page": page,
        "strengths": [
            (strength.label, format_quantity(figure.value, money=money), figure.entries)
            for strength, figure in strength_split(scope, drill, found)
        ],
        "history": history,
        "events": [(e, ACTION_WORDS.get(e.action, "Changed")) for e in history.events],
        "can_see_returns": membership.organisation.kind != Organisation.Kind.MEMBER,
        "back_query": urlencode(back),
    }
    return TemplateResponse(request, "reports/entries.html", context)


# What each audit event on a return means, in the words of a figure's history.
ACTION_WORDS = {
    "return.opened": "Return opened",
    "return.entries_saved": "Figures entered or changed",
    "return.entries_replaced": "Figures entered or changed",
    "return.entries_removed": "Figures removed",
    "return.nil_return_set": "Nothing to report said for a contract",
    "return.evidence_added": "Evidence added",
    "return.evidence_graded": "Evidence graded",
    "return.evidence_removed": "Evidence removed",
    "return.submitted": "Submitted",
    "return.queried": "Queried",
    "return.resubmitted": "Resubmitted",
    "return.verified": "Verified",
    "return.rejected": "Rejected",
    "return.reopened": "Reopened",
    "return.restated": "Restated",
}


@ledger_view()
def compare(request: HttpRequest) -> HttpResponse:
    """Any two years side by side: headline and like-for-like change, restatements, parts."""
    scope = get_scope_for_user(request.membership, request.GET.get("scope"))
    years = years_on_record(scope)
    year = _chosen_year(request, scope, years)
    asked = asked_of(request.membership)
    if year is None:
        return TemplateResponse(
            request, "reports/no_figures.html", {"scope": scope, "asked": asked}
        )
    later, earlier = _years_to_compare(request, scope, year)
    report = annual_report(scope, later, basis=_basis(request), against=earlier)
    context = {
        "report": report,
        "years": years,
        "scope_param": request.GET.get("scope", ""),
    }
    return TemplateResponse(request, "reports/compare.html", context)


@ledger_view(roles=ADMINS)
def publish(request: HttpRequest, year: str) -> HttpResponse:
    """Publish (or republish) the provider's verified report for a year: first what will go out
    (coverage, warnings, the cells suppressed), then the confirmation."""
    provider = provider_of(request.membership)
    financial_year = _year_or_404(provider, year)
    minimum = actions.minimum_threshold()
    try:
        threshold = int(request.POST.get("threshold") or request.GET.get("threshold") or minimum)
    except ValueError:
        messages.error(request, "The threshold must be a whole number.")
        threshold = minimum
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            published = actions.publish_report(
                provider,
                financial_year,
                by=request.user,
                threshold=threshold,
                provisional=request.POST.get("provisional") == "yes",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            words = "provisional report" if published.provisional else "report"
            messages.success(request, f"The {financial_year.label} {words} is published.")
            return redirect("public-report", provider.reference, published.year.label)
    elif request.method == "POST":
        messages.error(request, "Tick the box to confirm what will be published.")
    context = {
        "preview": publication_preview(provider, financial_year, max(threshold, minimum)),
        "minimum": minimum,
        "live": PublishedReport.objects.for_provider(provider)
        .live()
        .filter(financial_year=financial_year.start_year)
        .defer("body_html", "contents")
        .first(),
    }
    return TemplateResponse(request, "reports/publish.html", context)


@require_POST
@ledger_view(roles=ADMINS)
def minimum_strength(request: HttpRequest) -> HttpResponse:
    """Choose the weakest evidence strength counted towards a published headline."""
    provider = provider_of(request.membership)
    try:
        chosen = int(request.POST.get("strength", ""))
        set_headline_minimum_strength(provider, strength=chosen, by=request.user)
        messages.success(request, f"Published headlines now count: {Strength(chosen).label}.")
    except ValueError:
        messages.error(request, "Choose a strength from the list.")
    year = request.POST.get("year", "")
    return redirect(f"/?{urlencode({'year': year})}" if year else "/")


@require_POST
@ledger_view(roles=ADMINS)
def unpublish(request: HttpRequest, year: str) -> HttpResponse:
    """Take the provider's published report for a year off public view."""
    provider = provider_of(request.membership)
    financial_year = _year_or_404(provider, year)
    published = get_object_or_404(
        PublishedReport.objects.for_provider(provider).live(),
        financial_year=financial_year.start_year,
    )
    actions.unpublish_report(published, by=request.user)
    messages.success(request, f"The {financial_year.label} report is no longer public.")
    return redirect(f"/?year={financial_year.label}")


# --- Public pages: no sign-in; only what a provider admin published, as it was published -------


def public_reports(request: HttpRequest, provider: str) -> HttpResponse:
    """A provider's published reports (public: no sign-in)."""
    found = _public_provider(provider)
    published = PublishedReport.objects.for_provider(found).live()
    if not published.exists():
        raise Http404("Nothing is published.")
    return TemplateResponse(
        request, "reports/public_index.html", {"provider": found, "published": published}
    )


def public_report(request: HttpRequest, provider: str, year: str) -> HttpResponse:
    """A published report exactly as it was published (public: no sign-in)."""
    published = _published(provider, year)
    restated = restated_figures(published)
    context = {
        "published": published,
        "restated": restated,
        "body": mark_safe(mark_restated(published.body_html, restated)),  # noqa: S308 - our snapshot
        "stories": stories_html(published, timezone.localdate(), photos=True),
    }
    return TemplateResponse(request, "reports/public.html", context)


def public_pdf(request: HttpRequest, provider: str, year: str) -> HttpResponse:
    """The published snapshot as a PDF (public: no sign-in)."""
    published = _published(provider, year)
    pdf = pdf_from_body(
        published.title,
        published.contents,
        # Case studies are read now: one whose consent is withdrawn is gone from the PDF too.
        published.body_html + stories_html(published, timezone.localdate(), photos=False),
        made_at=published.published_at,
        author=str(published.provider),
        published=True,
        seal=published.seal,
        provisional=published.provisional,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"social-value-{published.provider.reference}-{published.year.label}.pdf".lower()
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def public_json(request: HttpRequest, provider: str, year: str) -> JsonResponse:
    """The record of a publication as data: what, when, and the audit chain's head then."""
    published = _published(provider, year)
    seal = published.seal
    return JsonResponse(
        {
            "title": published.title,
            "provider": published.provider.reference,
            "year": published.year.label,
            "published_at": published.published_at.isoformat(),
            "threshold": published.threshold,
            "provisional": published.provisional,
            "since_restated": [
                {
                    "measure": r.code,
                    "name": r.name,
                    "published": r.published,
                    "now": r.now,
                    "changed_on": r.changed_on.date().isoformat() if r.changed_on else None,
                }
                for r in restated_figures(published)
            ],
            "audit_head": seal.as_data() if seal else None,
        },
        json_dumps_params={"indent": 2},
    )


def _public_provider(reference: str) -> Organisation:
    return get_object_or_404(Organisation.objects.providers(), reference__iexact=reference)


def _published(provider: str, year: str) -> PublishedReport:
    found = _public_provider(provider)
    financial_year = _year_or_404(found, year)
    return get_object_or_404(
        PublishedReport.objects.for_provider(found).live().select_related("provider"),
        financial_year=financial_year.start_year,
    )


def _year_or_404(provider: Organisation, text: str) -> FinancialYear:
    try:
        return provider.parse_year(text)
    except PeriodError:
        raise Http404("No such year.") from None


# --- Choices from the query string --------------------------------------------------------------


def _year_param(request: HttpRequest, scope: Scope, name: str) -> FinancialYear | None:
    text = request.GET.get(name, "")
    if not text:
        return None
    try:
        return scope.provider.parse_year(text)
    except PeriodError as error:
        messages.error(request, str(error))
        return None


def _years_to_compare(
    request: HttpRequest, scope: Scope, year: FinancialYear
) -> tuple[FinancialYear, FinancialYear]:
    """The later and the earlier year of a comparison: the year asked against the one asked for,
    or the year before; no such page when the first year handled has none before it."""
    try:
        against = _year_param(request, scope, "against") or year.previous
        later, earlier = max(year, against), min(year, against)
        return (later, later.previous) if later == earlier else (later, earlier)
    except PeriodError:
        raise Http404(f"There is no year before {year} to compare it with.") from None


def _chosen_year(
    request: HttpRequest, scope: Scope, years: list[FinancialYear]
) -> FinancialYear | None:
    return _year_param(request, scope, "year") or default_year(scope, years)


def _price_year(request: HttpRequest) -> int | None:
    """The price year for real £ (?price_year=2023-24); the deflator's latest when not given."""
    try:
        return parse_price_year(request.GET.get("price_year", ""))
    except (PeriodError, PriceYearError) as error:
        messages.error(request, str(error))
        return None


def _basis(request: HttpRequest) -> str:
    return "reported" if request.GET.get("basis") == "reported" else "verified"
