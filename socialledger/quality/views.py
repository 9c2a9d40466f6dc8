"""Data-quality forms: an officer marks a warning on a return's figure checked, with a reason;
provider staff, or a supplier on its return, record a figure claimed elsewhere."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialledger.accounts.access import (
    OFFICERS,
    get_return_for_contributor,
    get_return_for_user,
    get_scope_for_user,
    ledger_view,
)
from socialledger.accounts.models import Role
from socialledger.lib.periods import PeriodError
from socialledger.measures.models import Measure
from socialledger.quality.actions import mark_warning_checked, record_claimed_figure
from socialledger.quality.queries import warnings_for_return
from socialledger.reports.queries import Scope
from socialledger.reports.scopes import scope_text


@require_POST
@ledger_view(roles=OFFICERS)
def check_warning(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one warning on a figure of the return checked: the warning is worked out again
    from the ledger, so only a warning that stands can be checked."""
    ret = get_return_for_user(request.membership, pk)
    back = f"{reverse('return-detail', args=[ret.pk])}#review"
    warning = _standing_warning(ret, request.POST)
    if warning is None:
        messages.error(request, "That figure has no such warning now: it may have changed.")
        return redirect(back)
    try:
        mark_warning_checked(
            ret.provider, warning, reason=request.POST.get("reason", ""), by=request.user, via="web"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Marked checked: {warning.title.lower()}.")
    return redirect(back)


def _standing_warning(ret, posted):
    try:
        key = (int(posted.get("contract", "")), int(posted.get("measure", "")))
    except ValueError:
        return None
    rule = posted.get("rule", "")
    return next((w for w in warnings_for_return(ret).get(key, []) if w.rule == rule), None)


@require_POST
@ledger_view(roles=OFFICERS)
def record_claim(request: HttpRequest) -> HttpResponse:
    """Record a figure the provider (or anyone) published elsewhere for the report's scope and
    year, to show beside the ledger's own."""
    scope = get_scope_for_user(request.membership, request.POST.get("scope") or None)
    year_text = request.POST.get("year", "")
    back = "/?" + urlencode(
        {"year": year_text, **({"scope": text} if (text := scope_text(scope)) else {})}
    )
    try:
        year = scope.provider.parse_year(year_text)
    except PeriodError as error:
        messages.error(request, str(error))
        return redirect("/")
    _record(request, scope, year, submission=None)
    return redirect(f"{back}#claims")


@require_POST
@ledger_view(roles=frozenset({Role.SUPPLIER_CONTRIBUTOR}))
def record_return_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """A supplier records a figure it published itself (its own summary) on its return: held
    against the ledger's figure for the supplier and the return's year."""
    ret = get_return_for_contributor(request.membership, pk)
    scope = Scope(ret.provider, "supplier", ret.supplier)
    _record(request, scope, ret.year, submission=ret)
    return redirect(f"{reverse('return-detail', args=[ret.pk])}#claims")


def _record(request, scope, year, *, submission) -> None:
    measure = (
        Measure.objects.available_to(scope.provider)
        .filter(code=request.POST.get("measure", ""))
        .first()
    )
    if measure is None:
        messages.error(request, "Choose a measure from the list.")
        return
    try:
        record_claimed_figure(
            scope,
            year,
            measure,
            quantity=request.POST.get("quantity", ""),
            source=request.POST.get("source", ""),
            by=request.user,
            submission=submission,
            via="web",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Recorded the claimed {measure.name.lower()} for {year.label}.")
