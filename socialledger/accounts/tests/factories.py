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
