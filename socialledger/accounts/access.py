"""The access helpers every view, endpoint and export goes through (one per object type).

A person sees what their memberships allow: provider staff their provider, a member its own
contracts, a supplier its own contracts and returns. Anything else answers 404, never 403, so
that its existence does not leak.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from socialledger.accounts.models import Membership, Role
from socialledger.contracts.models import Contract
from socialledger.organisations.models import Organisation
from socialledger.returns.models import Return

PROVIDER_ROLES = {Role.PROVIDER_ADMIN, Role.PROVIDER_OFFICER, Role.AUDITOR}
WRITING_ROLES = {Role.PROVIDER_ADMIN, Role.PROVIDER_OFFICER, Role.SUPPLIER_CONTRIBUTOR}


def memberships_of(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.of(user).order_by("pk"))


def acting_membership(user, membership_id: int | None = None) -> Membership | None:
    """The membership a person is acting under: the one they chose, else their first."""
    memberships = memberships_of(user)
    chosen = [m for m in memberships if m.pk == membership_id]
    return (chosen or memberships or [None])[0]


def visible_contracts(membership: Membership | None) -> QuerySet:
    """Contracts the membership may see."""
    if membership is None:
        return Contract.objects.none()
    organisation = membership.organisation
    if membership.role in PROVIDER_ROLES:
        return Contract.objects.for_provider(organisation)
    if organisation.kind == Organisation.Kind.MEMBER:
        return Contract.objects.for_member(organisation)
    return Contract.objects.for_supplier(organisation)


def visible_returns(membership: Membership | None) -> QuerySet:
    """Returns the membership may see: a provider's all, a supplier's own; members see none."""
    if membership is None:
        return Return.objects.none()
    organisation = membership.organisation
    if membership.role in PROVIDER_ROLES:
        return Return.objects.for_provider(organisation)
    if organisation.kind == Organisation.Kind.SUPPLIER:
        return Return.objects.for_supplier(organisation)
    return Return.objects.none()


def get_contract_for_user(
    membership: Membership | None, pk: int, *, write: bool = False
) -> Contract:
    """The contract, if the membership may see it (and change it, with write=True); else 404."""
    _refuse_unless_writer(membership, write)
    contract = visible_contracts(membership).filter(pk=pk).first()
    if contract is None:
        raise Http404("No such contract.")
    return contract


def get_return_for_user(membership: Membership | None, pk: int, *, write: bool = False) -> Return:
    """The return, if the membership may see it (and act on it, with write=True); else 404."""
    _refuse_unless_writer(membership, write)
    found = visible_returns(membership).filter(pk=pk).first()
    if found is None:
        raise Http404("No such return.")
    return found


def _refuse_unless_writer(membership: Membership | None, write: bool) -> None:
    if write and (membership is None or membership.role not in WRITING_ROLES):
        raise Http404("Not found.")
