"""Supply chain pages: a subcontractor's list of the contracts it is named on and its part of
each supplier's return; the supplier's review of those parts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialledger.accounts.access import (
    get_part_for_prime,
    get_part_for_subcontractor,
    ledger_view,
    visible_subcontracts,
)
from socialledger.accounts.models import Role
from socialledger.measures.models import Measure
from socialledger.returns import supply_chain
from socialledger.returns.actions import TransitionError
from socialledger.returns.forms import FiguresBlock

SUPPLIER_ROLES = frozenset({Role.SUPPLIER_CONTRIBUTOR, Role.SUPPLIER_VIEWER})
CONTRIBUTORS = frozenset({Role.SUPPLIER_CONTRIBUTOR})


@ledger_view(roles=SUPPLIER_ROLES)
def supply_chain_home(request: HttpRequest) -> HttpResponse:
    """The contracts the acting firm is named on as a subcontractor, each with the supplier's
    returns it can give figures in, and the parts it has given."""
    named = (
        visible_subcontracts(request.membership)
        .filter(subcontractor=request.membership.organisation)
        .select_related("contract__supplier", "contract__member", "under__subcontractor")
    )
    rows = []
    for subcontract in named:
        parts = list(subcontract.parts.select_related("submission"))
        begun = {part.submission_id for part in parts}
        rows.append(
            {
                "subcontract": subcontract,
                "parts": parts,
                "open": [
                    ret for ret in supply_chain.returns_open_to(subcontract) if ret.pk not in begun
                ],
                "below": list(subcontract.below.select_related("subcontractor")),
            }
        )
    context = {
        "rows": rows,
        "can_edit": request.membership.role == Role.SUPPLIER_CONTRIBUTOR,
    }
    return TemplateResponse(request, "returns/supply_chain_home.html", context)


@ledger_view(roles=SUPPLIER_ROLES)
def part_detail(request: HttpRequest, subcontract_pk: int, pk: int) -> HttpResponse:
    """The subcontractor's figures for its contract in the supplier's return: a block per
    measure, saved all together or not at all."""
    part = get_part_for_subcontractor(request.membership, subcontract_pk, pk)
    can_edit = request.membership.role == Role.SUPPLIER_CONTRIBUTOR and part.is_editable
    blocks = _blocks(part, request.POST if request.method == "POST" and can_edit else None)
    if request.method == "POST":
        if not can_edit:
            messages.error(request, "These figures cannot be changed now.")
            return redirect(_part_url(part))
        changed = [block for block in blocks if block.differs_from(_saved(part, block.measure))]
        wrong = [block for block in changed if not block.is_valid()]
        if not wrong:
            try:
                supply_chain.save_part(
                    part,
                    [(b.contract, b.measure, b.facts()) for b in changed],
                    by=request.user,
                    via="web",
                )
                messages.success(request, "Saved." if changed else "Nothing had changed.")
                return redirect(_part_url(part))
            except TransitionError as error:
                messages.error(request, str(error))
        else:
            messages.error(request, "Nothing was saved: correct the figures marked below.")
    context = {"part": part, "blocks": blocks, "can_edit": can_edit}
    return TemplateResponse(request, "returns/supply_chain_part.html", context)


@require_POST
@ledger_view(roles=CONTRIBUTORS)
def part_send(request: HttpRequest, subcontract_pk: int, pk: int) -> HttpResponse:
    """The subcontractor sends its figures to the supplier."""
    part = get_part_for_subcontractor(request.membership, subcontract_pk, pk)
    try:
        supply_chain.send_part(part, by=request.user, note=request.POST.get("note", ""), via="web")
        messages.success(request, f"Your figures were sent to {part.submission.supplier}.")
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(_part_url(part))


@require_POST
@ledger_view(roles=CONTRIBUTORS)
def part_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """The supplier accepts a subcontractor's figures, or queries them."""
    part = get_part_for_prime(request.membership, pk)
    try:
        if decision == "accept":
            supply_chain.accept_part(part, by=request.user, via="web")
        elif decision == "query":
            supply_chain.query_part(
                part, by=request.user, note=request.POST.get("note", ""), via="web"
            )
        else:
            return HttpResponse("Not found", status=404)
        messages.success(
            request, f"{part.subcontract.subcontractor}: {part.get_status_display().lower()}."
        )
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('return-detail', args=[part.submission_id])}#supply-chain-parts")


def _measures(part) -> list[Measure]:
    return list(
        Measure.objects.available_to(part.submission.provider)
        .counted()
        .prefetch_related("dimensions__values")
    )


def _blocks(part, data) -> list[FiguresBlock]:
    ret, contract = part.submission, part.subcontract.contract
    list(ret.entries.all())  # one query; the blocks read the cached entries
    return [
        FiguresBlock(ret, contract, measure, data, delivered_by=part.subcontract)
        for measure in _measures(part)
    ]


def _saved(part, measure) -> FiguresBlock:
    return FiguresBlock(
        part.submission, part.subcontract.contract, measure, delivered_by=part.subcontract
    )


def _part_url(part) -> str:
    return reverse("part-detail", args=[part.subcontract_id, part.submission_id])
