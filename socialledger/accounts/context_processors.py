"""What the page header needs to know about the signed-in person: one query per page."""

from __future__ import annotations

from socialledger.accounts.access import (
    ADMINS,
    OFFICERS,
    PROVIDER_ROLES,
    READERS_OF_EVERYTHING,
    acting_membership,
    request_memberships,
)
from socialledger.organisations.models import Organisation


def navigation(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    memberships = request_memberships(request)
    membership = getattr(request, "membership", None) or acting_membership(request)
    role = membership.role if membership else ""
    return {
        "membership": membership,
        "other_memberships": [m for m in memberships if m != membership],
        "nav_returns": membership is not None
        and membership.organisation.kind != Organisation.Kind.MEMBER,
        "nav_people": role in READERS_OF_EVERYTHING,
        "nav_rounds": role in PROVIDER_ROLES,
        "nav_jobs": role in OFFICERS,
        "nav_admin": role in ADMINS,
        "nav_setup": role in OFFICERS,
    }
