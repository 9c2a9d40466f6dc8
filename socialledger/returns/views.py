"""Return pages: the returns a person may see, and one return with its figures and conversation."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from socialledger.accounts.access import get_return_for_user, ledger_view, visible_returns
from socialledger.audit.models import AuditEvent
from socialledger.returns.models import Status

RETURNS_PER_PAGE = 50
ENTRIES_PER_PAGE = 200


@ledger_view()
def return_list(request: HttpRequest) -> HttpResponse:
    returns = visible_returns(request.membership).select_related("supplier")
    status = request.GET.get("status", "")
    if status in Status.values:
        returns = returns.filter(status=status)
    year = request.GET.get("year", "")
    if year.isdigit():
        returns = returns.filter(financial_year=int(year))
    page = Paginator(
        returns.order_by("-financial_year", "supplier__name"), RETURNS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {"page": page, "statuses": Status.choices, "status": status, "year": year}
    return TemplateResponse(request, "returns/list.html", context)


@ledger_view()
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A return's figures by contract, its status and the conversation about it."""
    ret = get_return_for_user(request.membership, pk)
    entries = ret.entries.select_related("contract", "measure").order_by(
        "contract__reference", "measure__position", "breakdown_key"
    )
    context = {
        "ret": ret,
        "entries": Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page")),
        "history": AuditEvent.objects.about(ret),
    }
    return TemplateResponse(request, "returns/detail.html", context)
