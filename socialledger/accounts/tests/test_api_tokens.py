"""API tokens: made and revoked on the web, shown once, kept only as a hash, read-only or
read-write, and useless once revoked or once their membership or person is deactivated."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from socialledger.accounts.actions import set_membership_active
from socialledger.accounts.models import ApiToken, Membership
from socialledger.accounts.tests.factories import make_token
from socialledger.audit.models import AuditEvent
from tests.api_helpers import ApiClient


@pytest.fixture
def web(cara_contributor) -> Client:
    client = Client()
    client.force_login(cara_contributor)
    return client


def make_on_the_web(web: Client, cara, *, access: str = "1") -> tuple[str, object]:
    membership = Membership.objects.get(user=cara)
    response = web.post(
        reverse("api-tokens"),
        {"name": "Power BI", "membership": membership.pk, "can_write": access},
    )
    assert response.status_code == 200
    return response.context["secret"], response


def test_it_is_made_on_the_web_and_its_secret_is_shown_once(web, cara_contributor):
    secret, response = make_on_the_web(web, cara_contributor)
    assert secret.startswith("sl_")
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    again = web.get(reverse("api-tokens")).content.decode()
    assert secret not in again
    assert secret[:11] in again  # the visible prefix, so the person knows which is which


def test_only_a_hash_of_the_secret_is_kept(web, cara_contributor):
    secret, _response = make_on_the_web(web, cara_contributor)
    token = ApiToken.objects.get()
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert all(secret not in value for value in stored)


def test_the_token_acts_as_the_chosen_membership(web, cara_contributor, supplier):
    secret, _response = make_on_the_web(web, cara_contributor, access="0")
    me = ApiClient(secret).get("/me").json()
    assert me["organisation"] == supplier.name
    assert me["role"] == "supplier-contributor"
    assert me["can_write"] is False


def test_making_and_revoking_are_audited(web, cara_contributor):
    make_on_the_web(web, cara_contributor)
    token = ApiToken.objects.get()
    web.post(reverse("api-token-revoke", args=[token.pk]))
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["api_token.created", "api_token.revoked"]
    created = AuditEvent.objects.get(action="api_token.created")
    assert created.after["prefix"] == token.prefix
    assert created.actor == cara_contributor


def test_a_revoked_token_is_refused(web, cara_contributor):
    secret, _response = make_on_the_web(web, cara_contributor)
    assert ApiClient(secret).get("/me").status_code == 200
    web.post(reverse("api-token-revoke", args=[ApiToken.objects.get().pk]))
    refused = ApiClient(secret).get("/me")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthenticated"


def test_a_wrong_or_missing_token_is_refused(cara_contributor):
    secret = make_token(cara_contributor)
    for wrong in (secret[:-1] + ("x" if secret[-1] != "x" else "y"), secret[:11], "", "sl_"):
        assert ApiClient(wrong or None).get("/me").status_code == 401


def test_a_read_only_token_is_refused_a_write_with_a_clear_error(cara_contributor):
    secret = make_token(cara_contributor, can_write=False)
    refused = ApiClient(secret).post("/returns", {"year": "2024-25"})
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "read_only_token"
    assert "read only" in error["message"]


def test_a_deactivated_membership_stops_its_token(cara_contributor, olivia_officer):
    secret = make_token(cara_contributor)
    membership = Membership.objects.get(user=cara_contributor)
    set_membership_active(membership, active=False, by=olivia_officer)
    assert ApiClient(secret).get("/me").status_code == 401


def test_a_deactivated_person_stops_their_token(cara_contributor):
    secret = make_token(cara_contributor)
    cara_contributor.is_active = False
    cara_contributor.save()
    assert ApiClient(secret).get("/me").status_code == 401


def test_its_last_use_is_kept(cara_contributor):
    secret = make_token(cara_contributor)
    assert ApiToken.objects.get().last_used_at is None
    ApiClient(secret).get("/me")
    assert ApiToken.objects.get().last_used_at is not None


def test_nobody_revokes_someone_elses_token(cara_contributor, olivia_officer):
    make_token(cara_contributor)
    olivia = Client()
    olivia.force_login(olivia_officer)
    token = ApiToken.objects.get()
    assert olivia.post(reverse("api-token-revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_a_token_is_made_only_for_ones_own_membership(web, cara_contributor, olivia_officer):
    theirs = Membership.objects.get(user=olivia_officer)
    response = web.post(
        reverse("api-tokens"), {"name": "sneaky", "membership": theirs.pk, "can_write": "1"}
    )
    assert "membership" in response.context["form"].errors
    assert not ApiToken.objects.exists()
