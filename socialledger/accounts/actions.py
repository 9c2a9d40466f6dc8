"""Changes to who may act for which organisation."""

from __future__ import annotations

from django.db import transaction

from socialledger.accounts.models import Membership
from socialledger.audit.actions import record


@transaction.atomic
def add_membership(user, organisation, *, role: str, by, via: str = "") -> Membership:
    """Let a person act for an organisation in a role (one membership per organisation)."""
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    record(
        membership,
        "membership.added",
        by=by,
        provider=organisation.home_provider,
        after={"user": user.get_username(), "organisation": organisation.reference, "role": role},
        via=via,
    )
    return membership
