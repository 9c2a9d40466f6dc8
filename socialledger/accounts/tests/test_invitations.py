"""Provider admins invite people by e-mail: a single-use link that expires."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from socialledger.accounts.actions import (
    InvitationError,
    accept_invitation,
    invite_person,
    revoke_invitation,
)
from socialledger.accounts.models import Invitation, Membership, Role
from socialledger.accounts.tests.factories import make_user
from socialledger.audit.models import AuditEvent

STRONG = "correct-horse-battery-staple"


@pytest.fixture
def ada_admin(provider):
    return make_user("ada", provider, Role.PROVIDER_ADMIN)


def invite(
    client, ada_admin, supplier, email="new.person@example.org", role=Role.SUPPLIER_CONTRIBUTOR
):
    client.force_login(ada_admin)
    response = client.post(
        "/people/invite/", {"email": email, "organisation": supplier.pk, "role": role}
    )
    client.logout()
    return response


def link_in_last_email() -> str:
    return next(
        line for line in mail.outbox[-1].body.splitlines() if "/invitations/" in line
    ).strip()


def test_an_admin_invites_someone_and_they_get_a_link_by_email(
    client, ada_admin, supplier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, ada_admin, supplier).status_code == 302
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert "Calder Retrofit Services" in mail.outbox[0].subject
    assert link_in_last_email().startswith("http://testserver/invitations/")
    assert AuditEvent.objects.filter(action="invitation.sent", actor=ada_admin).exists()


def test_the_token_is_stored_only_as_a_hash(ada_admin, supplier):
    tokens = []
    invitation = invite_person(
        supplier,
        email="a@example.org",
        role=Role.SUPPLIER_VIEWER,
        by=ada_admin,
        link_for=tokens.append,
    )
    assert tokens[0] not in invitation.token_hash
    assert len(invitation.token_hash) == 64


def test_a_new_person_joins_by_choosing_a_username_and_password(
    client, ada_admin, supplier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, ada_admin, supplier)
    path = link_in_last_email().removeprefix("http://testserver")
    response = client.post(
        path, {"username": "newbie", "password": STRONG, "password_again": STRONG}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newbie")
    assert user.email == "new.person@example.org"
    assert Membership.objects.get(user=user).role == Role.SUPPLIER_CONTRIBUTOR
    assert client.get(path).status_code == 404  # single use


def test_a_weak_password_is_refused_with_the_reason(client, ada_admin, supplier):
    tokens = []
    invite_person(
        supplier,
        email="weak@example.org",
        role=Role.SUPPLIER_VIEWER,
        by=ada_admin,
        link_for=tokens.append,
    )
    page = client.post(
        f"/invitations/{tokens[0]}/",
        {"username": "weak", "password": "password1", "password_again": "password1"},
    )
    assert "too short" in page.content.decode() or "too common" in page.content.decode()
    assert not get_user_model().objects.filter(username="weak").exists()


def test_an_expired_invitation_cannot_be_used(ada_admin, supplier):
    tokens = []
    invitation = invite_person(
        supplier,
        email="late@example.org",
        role=Role.SUPPLIER_VIEWER,
        by=ada_admin,
        link_for=tokens.append,
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(InvitationError, match="expired"):
        accept_invitation(tokens[0], username="late", password=STRONG)


def test_a_withdrawn_invitation_cannot_be_used(client, ada_admin, supplier):
    tokens = []
    invitation = invite_person(
        supplier,
        email="gone@example.org",
        role=Role.SUPPLIER_VIEWER,
        by=ada_admin,
        link_for=tokens.append,
    )
    revoke_invitation(invitation, by=ada_admin)
    assert "revoked" in client.get(f"/invitations/{tokens[0]}/").content.decode()


def test_a_signed_in_person_accepts_only_an_invitation_for_their_own_address(
    client, ada_admin, supplier, member
):
    tokens = []
    invite_person(
        member,
        email="mo@example.org",
        role=Role.MEMBER_VIEWER,
        by=ada_admin,
        link_for=tokens.append,
    )
    someone_else = make_user("eve")
    with pytest.raises(InvitationError, match="sign in as that person"):
        accept_invitation(tokens[0], user=someone_else)
    mo = make_user("mo", supplier, Role.SUPPLIER_VIEWER)
    membership = accept_invitation(tokens[0], user=mo)
    assert membership.organisation == member
    assert mo.memberships.count() == 2


def test_an_existing_account_is_asked_to_sign_in_first(client, ada_admin, supplier):
    make_user("existing")
    tokens = []
    invite_person(
        supplier,
        email="existing@example.org",
        role=Role.SUPPLIER_VIEWER,
        by=ada_admin,
        link_for=tokens.append,
    )
    assert (
        "There is already an account" in client.get(f"/invitations/{tokens[0]}/").content.decode()
    )


def test_a_role_must_fit_the_organisation(client, ada_admin, supplier):
    response = invite(client, ada_admin, supplier, role=Role.PROVIDER_OFFICER)
    assert response.status_code == 200
    assert "For a supplier" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_unknown_token_says_the_link_is_not_valid(client, db):
    response = client.get("/invitations/made-up/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
