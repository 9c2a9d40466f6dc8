"""API: who the token acts as."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema

from socialledger.apikit import acting, answers

router = Router(tags=["Token"])


class MeOut(Schema):
    username: str
    organisation_id: int
    organisation: str
    organisation_kind: str
    role: str
    token: str = Field(description="The token's name")
    token_prefix: str
    can_write: bool
    last_used_at: datetime | None


@router.get("/me", response=answers({200: MeOut}))
def me(request):
    """The person, organisation and role the token acts as, and whether it may write."""
    membership, token = acting(request), request.auth
    return {
        "username": membership.user.get_username(),
        "organisation_id": membership.organisation_id,
        "organisation": membership.organisation.name,
        "organisation_kind": membership.organisation.kind,
        "role": membership.role,
        "token": token.name,
        "token_prefix": token.prefix,
        "can_write": token.can_write,
        "last_used_at": token.last_used_at,
    }
