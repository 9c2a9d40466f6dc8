"""make_* helpers for people and their memberships."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from socialledger.accounts.actions import add_membership

PASSWORD = "a-long-test-password"


def make_user(username: str, organisation=None, role: str = ""):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    if organisation is not None:
        add_membership(user, organisation, role=role, by=None)
    return user


def make_token(user, *, can_write: bool = True, name: str = "test program") -> str:
    """An API token acting as the person's (first) membership; returns the secret."""
    from socialledger.accounts.actions import create_api_token
    from socialledger.accounts.models import Membership

    membership = Membership.objects.filter(user=user).order_by("pk").first()
    _token, secret = create_api_token(membership, name=name, can_write=can_write, by=user)
    return secret


def bearer(secret: str) -> dict[str, str]:
    """The header a program sends its token in."""
    return {"Authorization": f"Bearer {secret}"}
