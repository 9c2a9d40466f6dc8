"""Contract pages: the list a person may see, and one contract with its figures and history."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from socialledger.accounts.access import (
    OFFICERS,
    get_contract_for_user,
    ledger_view,
    visible_contracts,
    visible_entries,
    visible_subcontracts,
)
from socialledger.accounts.models import Role
from socialledger.audit.models import AuditEvent
from socialledger.kpis.forms import KpiForm, RatingForm
from socialledger.kpis.queries import kpi_register
from socialledger.outcomes.reading import suggested_kpis
from socialledger.reports.queries import Scope, annual_report, latest_year

CONTRACTS_PER_PAGE = 50
ENTRIES_PER_PAGE = 100


@ledger_view()
def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = visible_contracts(request.membership).select_related(
        "framework", "lot", "member", "supplier"
    )
    query = request.GET.get("q", "").strip()
    if query:
        contracts = contracts.filter(
            Q(reference__icontains=query)
            | Q(title__icontains=query)
            | Q(member__name__icontains=query)
            | Q(supplier__name__icontains=query)
        )
    page = Paginator(
        contracts.order_by("framework__reference", "reference"), CONTRACTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "can_set_up": request.membership.role in OFFICERS}
    return TemplateResponse(request, "contracts/list.html", context)


@ledger_view()
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A contract's facts, commitments, KPIs, figures by year, entries and history."""
    contract = get_contract_for_user(request.membership, pk)
    scope = Scope(contract.framework.provider, "contract", contract)
    year = latest_year(scope, "reported")
    entries = (
        visible_entries(request.membership)
        .filter(contract=contract)
        .select_related("measure", "submission")
        .order_by("-financial_year", "measure__position", "breakdown_key")
    )
    context = {
        "contract": contract,
        "report": annual_report(scope, year) if year else None,
        "commitments": contract.commitments.select_related("measure", "provider").order_by(
            "-financial_year", "measure__position"
        ),
        "entries": Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page")),
        "history": AuditEvent.objects.about(
            contract, *contract.commitments.all(), *contract.kpis.all()
        ),
        "kpis": kpi_register(contract, timezone.localdate()),
        "spend": contract.spend.all(),
        "emissions": [
            {
                "e": e,
                "year": e.label(e.financial_year),
                "baseline": e.label(e.baseline_year),
                "commitment": e.label(e.commitment_year),
            }
            for e in contract.emissions.order_by("-financial_year")
        ],
        "can_set_up": request.membership.role in OFFICERS,
        **_supply_chain(request.membership, contract),
    }
    if request.membership.role in OFFICERS:
        context["kpi_form"] = KpiForm(provider=contract.framework.provider)
        if context["kpis"].short_by:
            context["kpi_suggestions"] = suggested_kpis(contract)
        context["rating_forms"] = [
            (line, RatingForm(auto_id=f"id_kpi{line.kpi.pk}_%s")) for line in context["kpis"].lines
        ]
    return TemplateResponse(request, "contracts/detail.html", context)


def _supply_chain(membership, contract) -> dict:
    """The contract's subcontractors the person may see, and whether they may name more (the
    supplier's contributors) and invite their people."""
    holds_it = membership.organisation_id == contract.supplier_id
    return {
        "subcontracts": visible_subcontracts(membership)
        .filter(contract=contract)
        .select_related("subcontractor", "under__subcontractor", "contract__supplier"),
        "can_name": holds_it and membership.role == Role.SUPPLIER_CONTRIBUTOR,
    }
