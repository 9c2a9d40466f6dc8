"""The access helpers every view, endpoint and export goes through (one per object type).

A person sees what their acting membership allows: provider staff their provider, a member its
own contracts, a supplier its own contracts and returns. Anything else answers 404, never 403, so
that its existence does not leak.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django_otp import user_has_device

from socialledger.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Role,
    SingleSignOnIdentity,
)
from socialledger.accounts.sso import signed_in_by_sso
from socialledger.contracts.models import Contract
from socialledger.organisations.models import Organisation
from socialledger.returns.models import Return

PROVIDER_ROLES = frozenset({Role.PROVIDER_ADMIN, Role.PROVIDER_OFFICER, Role.AUDITOR})
ADMINS = frozenset({Role.PROVIDER_ADMIN})
READERS_OF_EVERYTHING = frozenset({Role.PROVIDER_ADMIN, Role.AUDITOR})
SESSION_KEY = "membership_id"


# --- Who is acting --------------------------------------------------------------------------


def memberships_of(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.of(user).order_by("organisation__name", "pk"))


def request_memberships(request) -> list[Membership]:
    """The signed-in person's memberships, read once per request: the two-factor check, the
    acting membership and the page header all ask."""
    user_id = getattr(request.user, "pk", None)
    kept = getattr(request, "_memberships", None)
    if kept is None or kept[0] != user_id:  # nothing read yet, or someone signed in since
        kept = request._memberships = (user_id, memberships_of(request.user))
    return kept[1]


def acting_membership(request) -> Membership | None:
    """The membership a person acts under: the one they switched to, else their first."""
    memberships = request_memberships(request)
    chosen = [m for m in memberships if m.pk == request.session.get(SESSION_KEY)]
    return (chosen or memberships or [None])[0]


def switch_membership(request, membership_id: int) -> Membership:
    """Act for another of one's own organisations; anyone else's membership is a 404."""
    found = [m for m in memberships_of(request.user) if m.pk == membership_id]
    if not found:
        raise Http404("No such membership.")
    request.session[SESSION_KEY] = membership_id
    return found[0]


def api_token_for(secret: str) -> ApiToken | None:
    """The usable token a secret belongs to, with its membership; else None.

    The visible prefix finds the row; the hash of the whole secret must then match, compared in
    constant time.
    """
    import hmac

    from socialledger.accounts.actions import TOKEN_PREFIX, token_hash

    prefix = secret[: len(TOKEN_PREFIX) + 8]
    if not prefix.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("membership__organisation__provider", "membership__user")
        .filter(prefix=prefix)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, token_hash(secret)):
        return None
    return token


def get_api_token_for_owner(user, pk: int) -> ApiToken:
    """One of the person's own tokens; anyone else's is a 404."""
    found = ApiToken.objects.of(user).filter(pk=pk).select_related("membership").first()
    if found is None:
        raise Http404("No such token.")
    return found


def needs_two_factor(request) -> str | None:
    """Where to send a signed-in person who must still give a one-time code, if anywhere.

    A single sign-on counts as two-factor only where the instance says its provider always asks
    for a second factor (SOCIALLEDGER_OIDC_COUNTS_AS_TWO_FACTOR)."""
    user = request.user
    if settings.SSO_COUNTS_AS_TWO_FACTOR and signed_in_by_sso(request):
        return None
    if user_has_device(user, confirmed=True):
        return None if user.is_verified() else "two-factor-verify"
    if two_factor_required_of(request_memberships(request)):
        return "two-factor-setup"
    return None


def two_factor_required_of(memberships: list[Membership]) -> bool:
    """A person on the staff of a provider that requires two-factor sign-in must use it."""
    staff_of = {m.organisation for m in memberships if m.role in PROVIDER_ROLES}
    return any(provider.require_two_factor for provider in staff_of)


def must_enrol_in_two_factor(user) -> bool:
    """Required to use two-factor sign-in and not yet enrolled: their API tokens wait until
    they are, so a token made before the requirement cannot go round it (a person who signs in
    through a provider that counts as two-factor is enrolled there)."""
    if settings.SSO_COUNTS_AS_TWO_FACTOR and SingleSignOnIdentity.objects.filter(user=user):
        return False
    return not user_has_device(user, confirmed=True) and two_factor_required_of(
        memberships_of(user)
    )


def must_sign_in_by_sso(user, memberships: list[Membership] | None = None) -> bool:
    """On the staff of a provider that requires single sign-on: passwords are refused."""
    if not settings.SSO_ENABLED:
        return False
    found = memberships_of(user) if memberships is None else memberships
    return any(m.organisation.require_single_sign_on for m in found if m.role in PROVIDER_ROLES)


def ledger_view(*, roles: frozenset[str] | None = None, membership_required: bool = True):
    """Sign-in, two-factor and role checks for a product page; sets `request.membership`.

    A person without the role gets the same 404 as for a page that does not exist.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not signed_in_by_sso(request) and must_sign_in_by_sso(
                request.user, request_memberships(request)
            ):
                # Signed in by password before the provider required single sign-on.
                logout(request)
                return redirect_to_login(request.get_full_path())
            step = needs_two_factor(request)
            if step:
                return redirect(f"{_url(step)}?next={request.get_full_path()}")
            request.membership = acting_membership(request)
            if request.membership is None and membership_required:
                return TemplateResponse(request, "accounts/no_membership.html")
            if roles is not None and (
                request.membership is None or request.membership.role not in roles
            ):
                raise Http404("Not found.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


# --- What they may see --------------------------------------------------------------------------


def is_provider_staff(membership: Membership | None) -> bool:
    return membership is not None and membership.role in PROVIDER_ROLES


def provider_of(membership: Membership) -> Organisation:
    return membership.organisation.home_provider


def visible_contracts(membership: Membership | None) -> QuerySet:
    """Contracts the membership may see."""
    if membership is None:
        return Contract.objects.none()
    organisation = membership.organisation
    if is_provider_staff(membership):
        return Contract.objects.for_provider(organisation)
    if organisation.kind == Organisation.Kind.MEMBER:
        return Contract.objects.for_member(organisation)
    return Contract.objects.for_supplier(organisation)


def visible_returns(membership: Membership | None) -> QuerySet:
    """Returns the membership may see: a provider's all, a supplier's own; members see none."""
    if membership is None:
        return Return.objects.none()
    organisation = membership.organisation
    if is_provider_staff(membership):
        return Return.objects.for_provider(organisation)
    if organisation.kind == Organisation.Kind.SUPPLIER:
        return Return.objects.for_supplier(organisation)
    return Return.objects.none()


def visible_entries(membership: Membership | None) -> QuerySet:
    """Entries the membership may see: a member only those its suppliers have submitted."""
    from django.db.models import Q

    from socialledger.returns.models import Entry, State

    if membership is None:
        return Entry.objects.none()
    organisation = membership.organisation
    if is_provider_staff(membership):
        return Entry.objects.for_provider(organisation)
    if organisation.kind == Organisation.Kind.SUPPLIER:
        # Its own returns' figures (with what its subcontractors entered there), and what it
        # entered as a subcontractor in other suppliers' returns; nothing else of theirs.
        return Entry.objects.filter(
            Q(submission__supplier=organisation) | Q(delivered_by__subcontractor=organisation)
        )
    return Entry.objects.filter(contract__member=organisation).counted_as(State.REPORTED)


def visible_organisations(membership: Membership | None) -> QuerySet:
    """Organisations the membership may name: a provider's all; otherwise only its own."""
    if membership is None:
        return Organisation.objects.none()
    if is_provider_staff(membership):
        return Organisation.objects.in_provider(membership.organisation)
    return Organisation.objects.filter(pk=membership.organisation_id)


def visible_frameworks(membership: Membership | None) -> QuerySet:
    """Frameworks the membership may see: a provider's all; a member or supplier those it has
    contracts under, or (a supplier) a lot on."""
    from django.db.models import Q

    from socialledger.contracts.models import Framework

    if membership is None:
        return Framework.objects.none()
    if is_provider_staff(membership):
        return Framework.objects.for_provider(membership.organisation)
    organisation = membership.organisation
    return Framework.objects.filter(
        Q(contracts__in=visible_contracts(membership)) | Q(lots__suppliers=organisation)
    ).distinct()


def visible_lots(membership: Membership | None) -> QuerySet:
    """Lots of the frameworks the membership may see."""
    from socialledger.contracts.models import Lot

    return Lot.objects.filter(framework__in=visible_frameworks(membership))


def visible_commitments(membership: Membership | None) -> QuerySet:
    """Targets the membership may see: a provider's all; a member those on its contracts and on
    itself; a supplier those on its contracts."""
    from django.db.models import Q

    from socialledger.contracts.models import Commitment

    if membership is None:
        return Commitment.objects.none()
    if is_provider_staff(membership):
        return Commitment.objects.filter(provider=membership.organisation)
    mine = Q(contract__in=visible_contracts(membership))
    if membership.organisation.kind == Organisation.Kind.MEMBER:
        mine |= Q(member=membership.organisation)
    return Commitment.objects.filter(mine)


def get_contract_for_user(membership: Membership | None, pk: int) -> Contract:
    """The contract, if the membership may see it; else 404."""
    contract = visible_contracts(membership).filter(pk=pk).first()
    if contract is None:
        raise Http404("No such contract.")
    return contract


def get_return_for_user(membership: Membership | None, pk: int) -> Return:
    """The return, if the membership may see it; else 404."""
    found = visible_returns(membership).filter(pk=pk).first()
    if found is None:
        raise Http404("No such return.")
    return found


OFFICERS = frozenset({Role.PROVIDER_ADMIN, Role.PROVIDER_OFFICER})


def get_return_for_contributor(membership: Membership | None, pk: int) -> Return:
    """A return the membership fills in: its own supplier's, as a contributor; else 404."""
    found = get_return_for_user(membership, pk)
    if (
        membership.role != Role.SUPPLIER_CONTRIBUTOR
        or found.supplier_id != membership.organisation_id
    ):
        raise Http404("No such return.")
    return found


def get_return_for_officer(membership: Membership | None, pk: int) -> Return:
    """A return the membership may query, verify, reject or reopen: a provider officer's or
    admin's; else 404."""
    found = get_return_for_user(membership, pk)
    if membership.role not in OFFICERS:
        raise Http404("No such return.")
    return found


def visible_subcontracts(membership: Membership | None) -> QuerySet:
    """Supply-chain links the membership may see: a provider's all; a supplier those below the
    contracts it holds and those it is named in itself; members none."""
    from socialledger.contracts.models import Subcontract

    if membership is None:
        return Subcontract.objects.none()
    organisation = membership.organisation
    if is_provider_staff(membership):
        return Subcontract.objects.for_provider(organisation)
    if organisation.kind == Organisation.Kind.SUPPLIER:
        mine = Subcontract.objects.for_prime(organisation) | Subcontract.objects.for_subcontractor(
            organisation
        )
        return mine.distinct()
    return Subcontract.objects.none()


def get_contract_for_naming(membership: Membership | None, pk: int) -> Contract:
    """A contract whose supply chain the membership may add to: a contributor of the supplier
    that holds it, or of a subcontractor named on it (below itself); else 404."""
    contract = Contract.objects.filter(pk=pk).select_related("framework__provider").first()
    if (
        contract is None
        or membership is None
        or membership.role != Role.SUPPLIER_CONTRIBUTOR
        or not (
            contract.supplier_id == membership.organisation_id
            or contract.subcontracts.filter(subcontractor=membership.organisation).exists()
        )
    ):
        raise Http404("No such contract.")
    return contract


def get_subcontract_for_inviting(membership: Membership | None, pk: int):
    """A subcontract whose people the membership may invite: the contributor of the firm it
    works for; else 404."""
    found = (
        visible_subcontracts(membership)
        .filter(pk=pk)
        .select_related("contract", "subcontractor", "under")
        .first()
    )
    if (
        found is None
        or membership.role != Role.SUPPLIER_CONTRIBUTOR
        or found.works_for.pk != membership.organisation_id
    ):
        raise Http404("No such subcontractor.")
    return found


def get_part_for_subcontractor(membership: Membership | None, subcontract_pk: int, return_pk: int):
    """A subcontractor's part of a supplier's return, for the subcontractor's own people (a
    contributor fills it in; a viewer reads it); else 404."""
    from socialledger.contracts.models import Subcontract
    from socialledger.returns.supply_chain import part_of, returns_open_to

    subcontract = (
        Subcontract.objects.filter(pk=subcontract_pk)
        .select_related("contract__framework__provider", "contract__supplier", "subcontractor")
        .first()
    )
    if (
        subcontract is None
        or membership is None
        or subcontract.subcontractor_id != membership.organisation_id
        or membership.role not in (Role.SUPPLIER_CONTRIBUTOR, Role.SUPPLIER_VIEWER)
    ):
        raise Http404("No such part.")
    held = subcontract.parts.filter(submission_id=return_pk).select_related("submission").first()
    if held is not None:
        return held
    ret = returns_open_to(subcontract).filter(pk=return_pk).first()
    if ret is None:
        raise Http404("No such part.")
    return part_of(ret, subcontract)


def get_part_for_prime(membership: Membership | None, pk: int):
    """A subcontractor's part of the membership's own return, for its contributor to accept or
    query; else 404."""
    from socialledger.returns.models import SupplyChainPart

    found = (
        SupplyChainPart.objects.filter(pk=pk)
        .select_related("submission__supplier__provider", "subcontract__subcontractor")
        .first()
    )
    if (
        found is None
        or membership is None
        or membership.role != Role.SUPPLIER_CONTRIBUTOR
        or found.submission.supplier_id != membership.organisation_id
    ):
        raise Http404("No such part.")
    return found


def get_kpi_contract_for_user(membership: Membership | None, pk: int, *, write: bool = False):
    """A contract whose Procurement Act KPI register the membership may read (whoever may see
    the contract: provider staff, its member and its supplier) or, with `write`, keep (a provider
    admin or officer); else 404."""
    contract = get_contract_for_user(membership, pk)
    if write and membership.role not in OFFICERS:
        raise Http404("No such contract.")
    return contract


def get_evidence_for_user(membership: Membership | None, pk: int):
    """Evidence on a return the membership may see; else 404."""
    from socialledger.returns.models import Evidence

    found = Evidence.objects.filter(pk=pk, submission__in=visible_returns(membership)).first()
    if found is None:
        raise Http404("No such evidence.")
    return found


def get_membership_for_admin(membership: Membership, pk: int) -> Membership:
    """A membership within the acting provider admin's provider; else 404."""
    organisations = Organisation.objects.in_provider(provider_of(membership))
    found = (
        Membership.objects.filter(pk=pk, organisation__in=organisations)
        .select_related("user", "organisation")
        .first()
    )
    if found is None:
        raise Http404("No such membership.")
    return found


def get_invitation_for_admin(membership: Membership, pk: int) -> Invitation:
    """An invitation to the acting provider admin's provider; else 404."""
    found = Invitation.objects.for_provider(provider_of(membership)).filter(pk=pk).first()
    if found is None:
        raise Http404("No such invitation.")
    return found


def get_scope_for_user(membership: Membership, text: str | None):
    """The report scope named by text (e.g. "member:LFH"), if the membership may see it; else 404.

    Provider staff may name any scope in their provider; a member or supplier only itself or one
    of its own contracts.
    """
    from socialledger.reports.queries import scope_for_membership, scope_from_text

    own = scope_for_membership(membership)
    if not text:
        return own
    try:
        scope = scope_from_text(own.provider, text)
    except ValueError as error:
        raise Http404(str(error)) from None
    if is_provider_staff(membership) or _within(scope, own):
        return scope
    raise Http404("No such scope.")


def _within(scope, own) -> bool:
    if scope.kind == own.kind:
        return scope.target == own.target
    if scope.kind == "contract":
        return getattr(scope.target, own.kind + "_id", None) == own.target.pk
    return False


def visible_jobs(membership: Membership | None) -> QuerySet:
    """Background jobs the membership may see: provider staff their provider's; anyone else
    those they started themselves."""
    from socialledger.jobs.models import Job

    if membership is None:
        return Job.objects.none()
    if is_provider_staff(membership):
        return Job.objects.for_provider(membership.organisation)
    return Job.objects.for_provider(provider_of(membership)).filter(started_by=membership.user)


def get_job_for_user(membership: Membership | None, pk: int):
    """A job the membership may see; else 404."""
    found = visible_jobs(membership).filter(pk=pk).select_related("started_by").first()
    if found is None:
        raise Http404("No such job.")
    return found
