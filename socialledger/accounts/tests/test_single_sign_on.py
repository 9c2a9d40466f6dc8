"""Single sign-on: the whole OpenID Connect flow against a real OIDC provider on a local port.

The provider is oidc-provider-mock (a real OpenID provider server, signing ID tokens with its own
RSA key); the browser's part is played by the test client and plain HTTP posts to the
provider's sign-in form. People are matched by verified e-mail to their account or invitation;
nobody gains a membership by signing in.
"""

from __future__ import annotations

import os
from datetime import timedelta
from urllib.parse import quote, urlsplit

import httpx
import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialledger.accounts.actions import require_single_sign_on, token_hash
from socialledger.accounts.models import Invitation, Membership, Role, SingleSignOnIdentity
from socialledger.accounts.tests.factories import PASSWORD, make_token, make_user
from socialledger.audit.models import AuditEvent
from tests.api_helpers import ApiClient


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID provider for the whole run, on an unused local port (or the one given)."""
    from oidc_provider_mock import run_server_in_thread

    port = int(os.environ.get("SOCIALLEDGER_TEST_OIDC_PORT", "0"))
    with run_server_in_thread(port=port) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(settings, oidc_provider):
    """The instance set up for single sign-on with that provider, as docs/deploy.md says."""
    settings.SSO_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "social-ledger"
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{oidc_provider}/oauth2/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{oidc_provider}/oauth2/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{oidc_provider}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{oidc_provider}/jwks"
    # This provider signs with one key and names it by no key id (Entra ID and Google do).
    settings.OIDC_VERIFY_KID = False
    return oidc_provider


def at_the_provider(provider_url: str, subject: str, **claims) -> None:
    """The organisation's directory holds this person with these claims."""
    answer = httpx.put(f"{provider_url}/users/{quote(subject)}", json=claims)
    assert answer.status_code == 204


def sign_in_through_the_provider(client, subject: str, next_page: str = ""):
    """What a browser does: start here, sign in at the provider, come back with its code."""
    start = client.get("/accounts/sso/start/" + (f"?next={next_page}" if next_page else ""))
    assert start.status_code == 302
    authorise = start["Location"]
    assert authorise.startswith(client_settings_endpoint())
    back = httpx.post(authorise, data={"sub": subject})
    assert back.status_code == 302, back.text
    parts = urlsplit(back.headers["location"])
    assert parts.path == "/accounts/sso/callback/"
    return client.get(f"{parts.path}?{parts.query}")


def client_settings_endpoint() -> str:
    from django.conf import settings

    return settings.OIDC_OP_AUTHORIZATION_ENDPOINT


def signed_in_as(client):
    from django.contrib.auth import get_user

    return get_user(client)


def test_olivia_signs_in_with_her_organisations_account_and_lands_on_her_dashboard(
    client, sso, olivia_officer
):
    at_the_provider(sso, "entra-olivia", email="Olivia@Example.org", email_verified=True)
    answer = sign_in_through_the_provider(client, "entra-olivia")
    assert answer.status_code == 302
    assert answer["Location"] == "/"
    assert signed_in_as(client) == olivia_officer
    assert client.get("/").status_code == 200
    identity = SingleSignOnIdentity.objects.get(user=olivia_officer)
    assert identity.subject == "entra-olivia"
    assert AuditEvent.objects.filter(action="account.single_sign_on_linked").exists()


def test_the_sign_in_page_offers_the_organisations_button_only_when_set_up(client, settings, sso):
    settings.SSO_BUTTON_LABEL = "Sign in with Microsoft"
    assert "Sign in with Microsoft" in client.get("/accounts/login/").content.decode()
    settings.SSO_ENABLED = False
    assert "Sign in with Microsoft" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/sso/start/").status_code == 404


def test_an_unverified_email_is_refused_and_nobody_is_signed_in(client, sso, olivia_officer):
    at_the_provider(sso, "unverified-olivia", email="olivia@example.org", email_verified=False)
    answer = sign_in_through_the_provider(client, "unverified-olivia")
    assert answer.status_code == 403
    assert "did not confirm your e-mail address" in answer.content.decode()
    assert not signed_in_as(client).is_authenticated
    assert not SingleSignOnIdentity.objects.exists()


def test_an_email_with_no_word_on_verification_is_refused_too(client, sso, olivia_officer):
    at_the_provider(sso, "silent-olivia", email="olivia@example.org")
    answer = sign_in_through_the_provider(client, "silent-olivia")
    assert answer.status_code == 403
    assert not signed_in_as(client).is_authenticated


def test_entra_ids_verification_claim_is_read_when_configured(
    client, settings, sso, olivia_officer
):
    settings.SSO_EMAIL_VERIFIED_CLAIM = "xms_edov"
    at_the_provider(sso, "entra-oid-1", email="olivia@example.org", xms_edov=True)
    sign_in_through_the_provider(client, "entra-oid-1")
    assert signed_in_as(client) == olivia_officer


def test_a_stranger_is_refused_and_no_account_is_made(client, sso, provider):
    at_the_provider(sso, "stranger", email="stranger@example.org", email_verified=True)
    answer = sign_in_through_the_provider(client, "stranger")
    assert answer.status_code == 403
    assert "no Social Ledger account for stranger@example.org" in answer.content.decode()
    assert "invite you" in answer.content.decode()
    assert not signed_in_as(client).is_authenticated
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="stranger@example.org").exists()


def test_an_invited_person_takes_up_their_invitation_and_nothing_more(
    client, sso, supplier, olivia_officer
):
    Invitation.objects.create(
        organisation=supplier,
        email="newcomer@example.org",
        role=Role.SUPPLIER_VIEWER,
        token_hash=token_hash("invitation-secret"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    at_the_provider(sso, "google-newcomer", email="newcomer@example.org", email_verified=True)
    sign_in_through_the_provider(client, "google-newcomer")
    newcomer = signed_in_as(client)
    assert newcomer.email == "newcomer@example.org"
    assert not newcomer.has_usable_password()
    memberships = list(Membership.objects.filter(user=newcomer))
    assert [(m.organisation, m.role) for m in memberships] == [(supplier, Role.SUPPLIER_VIEWER)]
    assert Invitation.objects.get().state == "accepted"


def test_an_expired_invitation_is_no_way_in(client, sso, supplier):
    Invitation.objects.create(
        organisation=supplier,
        email="late@example.org",
        role=Role.SUPPLIER_VIEWER,
        token_hash=token_hash("late-secret"),
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    at_the_provider(sso, "late", email="late@example.org", email_verified=True)
    assert sign_in_through_the_provider(client, "late").status_code == 403
    assert not Membership.objects.exists()


def test_signing_in_gives_an_existing_person_no_membership(client, sso, provider):
    loner = make_user("loner")
    at_the_provider(sso, "loner", email="loner@example.org", email_verified=True)
    sign_in_through_the_provider(client, "loner")
    assert signed_in_as(client) == loner
    assert not Membership.objects.filter(user=loner).exists()
    assert "do not act for any provider" in client.get("/").content.decode()


def test_a_reused_address_at_the_provider_cannot_take_over_the_linked_account(
    client, sso, olivia_officer
):
    at_the_provider(sso, "olivia-first", email="olivia@example.org", email_verified=True)
    sign_in_through_the_provider(client, "olivia-first")
    client.logout()
    at_the_provider(sso, "someone-later", email="olivia@example.org", email_verified=True)
    answer = sign_in_through_the_provider(client, "someone-later")
    assert answer.status_code == 403
    assert "already linked to another sign-in" in answer.content.decode()
    assert not signed_in_as(client).is_authenticated


def test_a_deactivated_person_is_refused_and_their_sso_session_ends_at_once(
    client, sso, olivia_officer
):
    at_the_provider(sso, "olivia-sub", email="olivia@example.org", email_verified=True)
    sign_in_through_the_provider(client, "olivia-sub")
    assert client.get("/").status_code == 200
    olivia_officer.is_active = False
    olivia_officer.save(update_fields=["is_active"])
    assert client.get("/")["Location"].startswith("/accounts/login/")
    assert sign_in_through_the_provider(client, "olivia-sub").status_code == 403


def test_the_providers_own_one_time_code_is_still_asked_after_sso_unless_it_counts(
    client, settings, sso, olivia_officer
):
    TOTPDevice.objects.create(user=olivia_officer, name="phone", confirmed=True)
    at_the_provider(sso, "olivia-2fa", email="olivia@example.org", email_verified=True)
    sign_in_through_the_provider(client, "olivia-2fa")
    assert client.get("/")["Location"].startswith("/account/two-factor/verify/")
    settings.SSO_COUNTS_AS_TWO_FACTOR = True
    assert client.get("/").status_code == 200


def test_when_sso_counts_as_two_factor_an_sso_persons_tokens_keep_working(
    settings, sso, provider, olivia_officer, client
):
    from socialledger.accounts.actions import require_two_factor

    at_the_provider(sso, "olivia-tokens", email="olivia@example.org", email_verified=True)
    sign_in_through_the_provider(client, "olivia-tokens")
    secret = make_token(olivia_officer)
    require_two_factor(provider, required=True, by=None)
    assert ApiClient(secret).get("/me").status_code == 401
    settings.SSO_COUNTS_AS_TWO_FACTOR = True
    assert ApiClient(secret).get("/me").status_code == 200


def test_a_provider_that_requires_sso_refuses_its_staffs_passwords(
    client, sso, provider, olivia_officer, cara_contributor
):
    require_single_sign_on(provider, required=True, by=None)
    refused = client.post(
        "/accounts/login/", {"username": "olivia", "password": PASSWORD}, follow=False
    )
    assert refused.status_code == 200
    assert "use the button" in refused.content.decode()
    assert not signed_in_as(client).is_authenticated
    # A supplier's people are not the provider's staff: their passwords still work.
    assert client.post("/accounts/login/", {"username": "cara", "password": PASSWORD}).status_code
    assert signed_in_as(client) == cara_contributor
    client.logout()
    at_the_provider(sso, "olivia-required", email="olivia@example.org", email_verified=True)
    sign_in_through_the_provider(client, "olivia-required")
    assert client.get("/").status_code == 200


def test_a_password_session_from_before_the_requirement_ends(client, sso, provider, olivia_officer):
    client.post("/accounts/login/", {"username": "olivia", "password": PASSWORD})
    assert client.get("/").status_code == 200
    require_single_sign_on(provider, required=True, by=None)
    assert client.get("/")["Location"].startswith("/accounts/login/")
    assert not signed_in_as(client).is_authenticated


def test_sso_cannot_be_required_before_the_instance_has_it(settings, provider):
    from django.core.exceptions import ValidationError

    settings.SSO_ENABLED = False
    with pytest.raises(ValidationError, match="not set up"):
        require_single_sign_on(provider, required=True, by=None)


def test_an_admin_requires_sso_on_the_people_page(client, sso, provider):
    admin = make_user("ada", provider, Role.PROVIDER_ADMIN)
    at_the_provider(sso, "ada", email="ada@example.org", email_verified=True)
    sign_in_through_the_provider(client, "ada")
    page = client.get("/people/").content.decode()
    assert "must sign in through the organisation&#x27;s single sign-on" in page
    client.post("/people/security/", {"single_sign_on": "on"})
    provider.refresh_from_db()
    assert provider.require_single_sign_on
    assert AuditEvent.objects.filter(action="provider.single_sign_on_required").exists()
    assert signed_in_as(client) == admin  # signed in by SSO, so still in
