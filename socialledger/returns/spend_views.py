"""Spend lines on a return's page: the supplier's contributor adds who was paid on a contract,
how much, and whether it is additional or business as usual; what kind of firm each is comes
from the register."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialledger.accounts.access import get_return_for_contributor, ledger_view
from socialledger.accounts.models import Role
from socialledger.organisations.actions import find_or_register_supplier
from socialledger.organisations.classification import CLASSES, classify
from socialledger.returns.actions import TransitionError
from socialledger.returns.models import Additionality
from socialledger.returns.spend_lines import record_spend_line, remove_spend_line

CONTRIBUTORS = frozenset({Role.SUPPLIER_CONTRIBUTOR})
CLASS_WORDS = {"local": "local", "sme": "small or medium-sized", "vcse": "VCSE"}


def spend_rows(ret) -> list[dict]:
    """The return's spend lines, each with what the register says of the firm paid."""
    lines = ret.spend_lines.select_related("contract__member", "paid", "delivered_by")
    rows = []
    for line in lines:
        found = classify(line.paid, line.contract.member)
        words = [CLASS_WORDS[kind] for kind in CLASSES if found.is_(kind)]
        unknown = [CLASS_WORDS[kind] for kind in CLASSES if not found.knows(kind)]
        rows.append({"line": line, "classes": words, "unknown": unknown})
    return rows


@require_POST
@ledger_view(roles=CONTRIBUTORS)
def add_spend_line(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a spend line; a firm not yet in the register is added to it, unclassed."""
    ret = get_return_for_contributor(request.membership, pk)
    contracts = {str(c.pk): c for c in ret.contracts_to_report()}
    contract = contracts.get(request.POST.get("contract", ""))
    try:
        if contract is None:
            raise TransitionError("Choose one of the return's contracts.")
        amount = _pounds(request.POST.get("amount", ""))
        paid = find_or_register_supplier(
            ret.provider,
            name=request.POST.get("paid", ""),
            companies_house_number=request.POST.get("companies_house_number", ""),
            by=request.user,
            via="web",
        )
        record_spend_line(
            ret,
            contract=contract,
            paid=paid,
            amount=amount,
            additionality=_additionality(request.POST.get("additionality", "")),
            reason=request.POST.get("reason", ""),
            by=request.user,
            via="web",
        )
        messages.success(request, f"Spend with {paid} added.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('return-detail', args=[ret.pk])}#spend-lines")


@require_POST
@ledger_view(roles=CONTRIBUTORS)
def remove_spend(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    ret = get_return_for_contributor(request.membership, pk)
    line = get_object_or_404(ret.spend_lines, pk=line_pk)
    try:
        remove_spend_line(line, by=request.user, via="web")
        messages.success(request, "Spend line removed.")
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('return-detail', args=[ret.pk])}#spend-lines")


def _pounds(text: str) -> Decimal:
    cleaned = text.strip().replace(",", "").removeprefix("£")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise TransitionError(f"“{text}” is not an amount in pounds, e.g. 12500.00.") from None
    if not amount.is_finite():
        raise TransitionError(f"“{text}” is not an amount in pounds, e.g. 12500.00.")
    return amount


def _additionality(text: str) -> str:
    if text not in Additionality.values:
        raise TransitionError("Say whether the spend is additional or business as usual.")
    return text
