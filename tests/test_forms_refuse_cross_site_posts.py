"""Every form refuses a post that does not carry its CSRF token."""

import pytest
from django.test import Client

from tests.test_permission_matrix import MATRIX, world  # noqa: F401 - the shared test world

POSTED = sorted(name for name, (method, _build, _expected) in MATRIX.items() if method == "post")
FORMS_ALSO_POSTED = [
    "login",
    "password_reset",
    "invite",
    "accept-invitation",
    "two-factor-setup",
    "two-factor-verify",
    "password_change",
    "api-tokens",
    "framework-new",
    "framework-edit",
    "lot-new",
    "setup-lot",
    "organisation-new",
    "setup-organisation",
    "contract-new",
    "contract-edit",
    "commitment-new",
    "spend-new",
]


@pytest.mark.parametrize("route", POSTED + FORMS_ALSO_POSTED)
def test_a_post_without_the_token_is_refused(world, route):  # noqa: F811
    _method, build, _expected = MATRIX[route]
    client = Client(enforce_csrf_checks=True)
    if route != "login":
        client.force_login(world.users["provider_admin"])
    assert client.post(build(world), {}).status_code == 403


def test_the_same_post_with_its_token_is_accepted(world):  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["provider_admin"])
    client.get("/people/")
    token = client.cookies["csrftoken"].value
    assert client.post("/people/security/", {"csrfmiddlewaretoken": token}).status_code == 302
