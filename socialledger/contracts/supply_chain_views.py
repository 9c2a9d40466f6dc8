"""Naming a contract's subcontractors and inviting their people (a supplier's pages)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialledger.accounts.access import (
    get_contract_for_naming,
    get_subcontract_for_inviting,
    ledger_view,
)
from socialledger.accounts.models import Role
from socialledger.contracts import actions

CONTRIBUTORS = frozenset({Role.SUPPLIER_CONTRIBUTOR})


@require_POST
@ledger_view(roles=CONTRIBUTORS)
def subcontractor_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Name a subcontractor on a contract: below the supplier, or below the acting firm where
    it is itself a subcontractor there."""
    contract = get_contract_for_naming(request.membership, pk)
    mine = contract.subcontracts.filter(subcontractor=request.membership.organisation).first()
    try:
        named = actions.name_subcontractor(
            contract,
            name=request.POST.get("name", ""),
            companies_house_number=request.POST.get("companies_house_number", ""),
            under=mine,
            by=request.user,
            via="web",
        )
        messages.success(
            request,
            f"{named.subcontractor} is now named on {contract.reference} (tier {named.tier}).",
        )
    except actions.SupplyChainError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_back(request, contract, mine))


@require_POST
@ledger_view(roles=CONTRIBUTORS)
def subcontractor_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite a person to enter what a subcontractor delivered."""
    subcontract = get_subcontract_for_inviting(request.membership, pk)
    email = request.POST.get("email", "").strip()
    try:
        validate_email(email)
        actions.invite_subcontractor_staff(
            subcontract,
            email=email,
            by=request.user,
            link_for=lambda token: request.build_absolute_uri(
                reverse("accept-invitation", args=[token])
            ),
        )
        messages.success(
            request, f"An invitation to {subcontract.subcontractor} was sent to {email}."
        )
    except actions.SupplyChainError as error:
        messages.error(request, str(error))
    except ValidationError:
        messages.error(request, "Give the person's e-mail address, such as name@example.org.")
    mine = subcontract.under
    return redirect(_back(request, subcontract.contract, mine))


def _back(request: HttpRequest, contract, mine) -> str:
    """Where the form was: the contract's page for its supplier, the supply chain page for a
    subcontractor."""
    if mine is None:
        return f"{reverse('contract-detail', args=[contract.pk])}#supply-chain"
    return reverse("supply-chain")
