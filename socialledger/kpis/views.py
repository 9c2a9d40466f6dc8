"""KPI pages: adding and rating KPIs from the contract page, the ratings due, and the export of
what a contract performance notice needs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialledger.accounts.access import (
    PROVIDER_ROLES,
    get_kpi_contract_for_user,
    ledger_view,
    visible_contracts,
)
from socialledger.kpis.actions import KpiError, add_kpi, rate_kpi
from socialledger.kpis.forms import KpiForm, RatingForm
from socialledger.kpis.queries import (
    contracts_short_of_kpis,
    notice_csv,
    notice_json,
    performance_notice,
    ratings_due,
)

EXPORTS = {"csv": ("text/csv", notice_csv), "json": ("application/json", notice_json)}


@require_POST
@ledger_view()
def kpi_add(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_kpi_contract_for_user(request.membership, pk, write=True)
    form = KpiForm(request.POST, provider=contract.framework.provider)
    _carry_out(request, form, lambda data: add_kpi(contract, by=request.user, **data))
    return _back_to(contract)


@require_POST
@ledger_view()
def kpi_rate(request: HttpRequest, pk: int, kpi_pk: int) -> HttpResponse:
    contract = get_kpi_contract_for_user(request.membership, pk, write=True)
    kpi = contract.kpis.filter(pk=kpi_pk).first()
    if kpi is None:
        raise Http404("No such KPI.")
    _carry_out(
        request, RatingForm(request.POST), lambda data: rate_kpi(kpi, by=request.user, **data)
    )
    return _back_to(contract)


def _carry_out(request: HttpRequest, form, action) -> None:
    """Call the action with the form's data; say what was done, or why it was not."""
    if not form.is_valid():
        messages.error(request, _form_message(form))
        return
    try:
        done = action(form.cleaned_data)
    except (KpiError, ValidationError) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, f"Recorded: {done}.")


@ledger_view(roles=PROVIDER_ROLES)
def kpi_due(request: HttpRequest) -> HttpResponse:
    """Ratings overdue or falling due, and contracts above the threshold short of KPIs."""
    contracts = visible_contracts(request.membership)
    context = {
        "due": ratings_due(contracts, timezone.localdate()),
        "short": contracts_short_of_kpis(contracts),
    }
    return TemplateResponse(request, "kpis/due.html", context)


@ledger_view()
def kpi_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every rating on the contracts the person may see (or one contract, ?contract=ID)."""
    if fmt not in EXPORTS:
        raise Http404("No such format.")
    wanted = request.GET.get("contract", "")
    return notice_download(request.membership, fmt, int(wanted) if wanted.isdigit() else None)


def notice_download(membership, fmt: str, contract_pk: int | None = None) -> HttpResponse:
    """The ratings for contract performance notices as a file, of every contract the membership
    may see or of one (404 if not theirs); the page and the API both answer with it."""
    contracts = visible_contracts(membership)
    if contract_pk is not None:
        contract = get_kpi_contract_for_user(membership, contract_pk)
        contracts = contracts.filter(pk=contract.pk)
    content_type, render = EXPORTS[fmt]
    response = HttpResponse(
        render(performance_notice(contracts, timezone.localdate())), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="kpi-ratings.{fmt}"'
    return response


def _back_to(contract) -> HttpResponse:
    return redirect(reverse("contract-detail", args=[contract.pk]) + "#kpis")


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _form_message(form) -> str:
    """Every field's problems in one line: "Period end: Enter a valid date."."""
    parts = []
    for name, errors in form.errors.items():
        label = name.replace("_", " ").capitalize() if name != "__all__" else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)
