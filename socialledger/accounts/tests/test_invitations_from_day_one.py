"""A provider set up a minute ago invites the first staff of a supplier it has just registered:
the link comes by e-mail through Django's mail settings, expires, can be sent again (the old link
then stops working), and removing someone ends their access at once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from socialledger.accounts.actions import InvitationError, invite_person, resend_invitation
from socialledger.accounts.models import Invitation, Membership, Role
from socialledger.accounts.tests.factories import bearer, make_token, make_user
from socialledger.audit.models import AuditEvent

STRONG = "correct-horse-battery-staple"


@pytest.fixture
def ada_admin(provider):
    return make_user("ada", provider, Role.PROVIDER_ADMIN)


@pytest.fixture
def new_supplier(client, ada_admin):
    """A supplier registered on the set-up page just now, with nobody acting for it yet."""
    client.force_login(ada_admin)
    client.post("/setup/organisations/new/supplier/", {"reference": "NEW", "name": "New Co"})
    return ada_admin.memberships.get().organisation.registered.get(reference="NEW")


def links_sent() -> list[str]:
    return [
        line.strip().removeprefix("http://testserver")
        for message in mail.outbox
        for line in message.body.splitlines()
        if "/invitations/" in line
    ]


def test_the_first_staff_of_a_new_supplier_are_invited_and_join(
    client, ada_admin, new_supplier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/people/invite/",
            {
                "email": "sam@newco.example",
                "organisation": new_supplier.pk,
                "role": Role.SUPPLIER_CONTRIBUTOR,
            },
        )
    assert mail.outbox[0].to == ["sam@newco.example"]  # sent, not only written to a log
    client.logout()
    client.post(links_sent()[0], {"username": "sam", "password": STRONG, "password_again": STRONG})
    membership = Membership.objects.get(user__username="sam")
    assert (membership.organisation, membership.role) == (new_supplier, Role.SUPPLIER_CONTRIBUTOR)


def test_an_invitation_sent_again_has_a_fresh_link_and_the_old_one_stops_working(
    client, ada_admin, new_supplier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_person(
            new_supplier,
            email="sam@newco.example",
            role=Role.SUPPLIER_VIEWER,
            by=ada_admin,
            link_for=lambda t: f"http://testserver/invitations/{t}/",
        )
        response = client.post(f"/people/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    first, second = links_sent()
    assert first != second
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert AuditEvent.objects.filter(action="invitation.resent", actor=ada_admin).exists()


def test_an_expired_invitation_can_be_sent_again_for_the_full_time(ada_admin, new_supplier):
    invitation = invite_person(
        new_supplier,
        email="sam@newco.example",
        role=Role.SUPPLIER_VIEWER,
        by=ada_admin,
        link_for=str,
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(hours=1)
    )
    invitation.refresh_from_db()
    assert invitation.state == "expired"
    resend_invitation(invitation, by=ada_admin, link_for=str)
    assert invitation.state == "pending"
    assert invitation.expires_at > timezone.now() + timedelta(days=6)


def test_a_used_or_withdrawn_invitation_is_not_sent_again(ada_admin, new_supplier):
    invitation = invite_person(
        new_supplier,
        email="sam@newco.example",
        role=Role.SUPPLIER_VIEWER,
        by=ada_admin,
        link_for=str,
    )
    invitation.revoked_at = timezone.now()
    invitation.save()
    with pytest.raises(InvitationError, match="revoked"):
        resend_invitation(invitation, by=ada_admin, link_for=str)


def test_removing_someone_ends_their_access_on_the_web_and_in_the_api_at_once(
    client, ada_admin, supplier, contract
):
    cara = make_user("cara", supplier, Role.SUPPLIER_CONTRIBUTOR)
    secret = make_token(cara)
    cara_client = client.__class__()
    cara_client.force_login(cara)
    assert cara_client.get(f"/contracts/{contract.pk}/").status_code == 200
    membership = cara.memberships.get()
    client.force_login(ada_admin)
    client.post(f"/people/memberships/{membership.pk}/active/", {"active": "0"})
    page = cara_client.get(f"/contracts/{contract.pk}/")
    assert page.templates[0].name == "accounts/no_membership.html"
    assert contract.title not in page.content.decode()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
