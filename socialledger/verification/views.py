"""Verification pages for provider staff: repeated claims, and samples to check."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialledger.accounts.access import OFFICERS, PROVIDER_ROLES, ledger_view, provider_of
from socialledger.lib.periods import PeriodError
from socialledger.reports.queries import Scope, latest_year
from socialledger.verification import actions
from socialledger.verification.models import (
    Sample,
    SampleItem,
    repeated_donations,
    repeated_people,
)


@ledger_view(roles=PROVIDER_ROLES)
def overview(request: HttpRequest) -> HttpResponse:
    """A year's repeated claims (the same person or gift on two contracts) and its samples."""
    provider = provider_of(request.membership)
    year = _year(request, provider)
    context = {
        "year": year,
        "people": repeated_people(provider, year.start_year) if year else [],
        "donations": repeated_donations(provider, year.start_year) if year else [],
        "samples": Sample.objects.for_provider(provider).filter(financial_year=year.start_year)
        if year
        else [],
        "can_draw": request.membership.role in OFFICERS,
    }
    return TemplateResponse(request, "verification/overview.html", context)


def _year(request: HttpRequest, provider):
    text = request.GET.get("year", "")
    if text:
        try:
            return provider.parse_year(text)
        except PeriodError as error:
            messages.error(request, str(error))
    return latest_year(Scope(provider), "reported")


@require_POST
@ledger_view(roles=OFFICERS)
def draw(request: HttpRequest) -> HttpResponse:
    provider = provider_of(request.membership)
    size_text = request.POST.get("size", "").strip()
    try:
        year = provider.parse_year(request.POST.get("year", ""))
        if not size_text.isdigit():
            raise ValueError("Give a whole number of entries to draw.")
        sample = actions.draw_sample(
            provider, start_year=year.start_year, size=int(size_text), by=request.user
        )
    except ValueError as error:  # PeriodError is a ValueError too
        messages.error(request, str(error))
        return redirect(reverse("verification"))
    messages.success(request, f"Drew {sample.size} entries to check.")
    return redirect("sample-detail", pk=sample.pk)


@ledger_view(roles=PROVIDER_ROLES)
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sample = Sample.objects.for_provider(provider_of(request.membership)).filter(pk=pk).first()
    if sample is None:
        raise Http404("No such sample.")
    items = sample.items.select_related(
        "entry__contract", "entry__measure", "entry__submission__supplier", "checked_by"
    )
    context = {
        "sample": sample,
        "items": items,
        "results": SampleItem.Result.choices,
        "can_check": request.membership.role in OFFICERS,
    }
    return TemplateResponse(request, "verification/sample.html", context)


@require_POST
@ledger_view(roles=OFFICERS)
def check(request: HttpRequest, pk: int) -> HttpResponse:
    item = SampleItem.objects.filter(
        pk=pk, sample__provider=provider_of(request.membership)
    ).first()
    if item is None:
        raise Http404("No such item.")
    try:
        actions.record_check(
            item,
            result=request.POST.get("result", ""),
            note=request.POST.get("note", ""),
            by=request.user,
        )
    except ValueError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('sample-detail', args=[item.sample_id])}#item-{item.pk}")
