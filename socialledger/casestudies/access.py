"""Who may see and change case studies: provider staff their provider's, a supplier or member
those on its own contracts; a supplier's contributors and the provider's officers write, and
only officers approve. Anything else answers 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from socialledger.accounts.access import OFFICERS, visible_contracts
from socialledger.accounts.models import Role
from socialledger.casestudies.models import CaseStudy, Consent, Photo

WRITERS = OFFICERS | {Role.SUPPLIER_CONTRIBUTOR}


def visible_case_studies(membership) -> QuerySet:
    """Case studies on the contracts the membership may see."""
    if membership is None:
        return CaseStudy.objects.none()
    return CaseStudy.objects.filter(contract__in=visible_contracts(membership))


def may_write(membership) -> bool:
    return membership is not None and membership.role in WRITERS


def may_approve(membership) -> bool:
    return membership is not None and membership.role in OFFICERS


def get_case_study_for_user(membership, pk: int, *, write: bool = False) -> CaseStudy:
    """A case study the membership may see or, with `write`, change; else 404."""
    found = visible_case_studies(membership).filter(pk=pk).select_related("contract").first()
    if found is None or (write and not may_write(membership)):
        raise Http404("No such case study.")
    return found


def get_consent_for_writer(membership, pk: int) -> Consent:
    """A consent on a case study the membership may change; else 404."""
    found = (
        Consent.objects.filter(pk=pk, case_study__in=visible_case_studies(membership))
        .select_related("case_study__provider")
        .first()
    )
    if found is None or not may_write(membership):
        raise Http404("No such consent.")
    return found


def get_photo_for_user(membership, pk: int) -> Photo:
    found = Photo.objects.filter(pk=pk, case_study__in=visible_case_studies(membership)).first()
    if found is None:
        raise Http404("No such photo.")
    return found
