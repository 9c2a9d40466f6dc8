"""Provider admins change roles and deactivate memberships; every change is audited."""

import pytest

from socialledger.accounts.models import Membership, Role
from socialledger.accounts.tests.factories import make_user
from socialledger.audit.models import AuditEvent


@pytest.fixture
def ada_admin(provider):
    return make_user("ada", provider, Role.PROVIDER_ADMIN)


def test_an_admin_changes_a_role_and_the_change_is_audited(client, ada_admin, cara_contributor):
    client.force_login(ada_admin)
    membership = Membership.objects.get(user=cara_contributor)
    client.post(f"/people/memberships/{membership.pk}/role/", {"role": Role.SUPPLIER_VIEWER})
    membership.refresh_from_db()
    assert membership.role == Role.SUPPLIER_VIEWER
    event = AuditEvent.objects.get(action="membership.role_changed")
    assert (event.before["role"], event.after["role"], event.actor) == (
        "supplier-contributor",
        "supplier-viewer",
        ada_admin,
    )


def test_a_role_that_does_not_fit_is_refused_with_a_message(client, ada_admin, cara_contributor):
    client.force_login(ada_admin)
    membership = Membership.objects.get(user=cara_contributor)
    page = client.post(
        f"/people/memberships/{membership.pk}/role/", {"role": Role.AUDITOR}, follow=True
    )
    assert "supplier role must be" in page.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.SUPPLIER_CONTRIBUTOR


def test_a_deactivated_person_no_longer_sees_the_organisations_figures(
    client, ada_admin, cara_contributor, contract
):
    client.force_login(ada_admin)
    membership = Membership.objects.get(user=cara_contributor)
    client.post(f"/people/memberships/{membership.pk}/active/", {"active": "0"})
    client.force_login(cara_contributor)
    assert client.get(f"/contracts/{contract.pk}/").status_code == 200  # the no-membership page
    assert "do not act for any provider" in client.get("/").content.decode()
    assert AuditEvent.objects.filter(action="membership.deactivated").count() == 1


def test_an_admin_cannot_deactivate_themselves(client, ada_admin):
    client.force_login(ada_admin)
    own = Membership.objects.get(user=ada_admin)
    page = client.post(f"/people/memberships/{own.pk}/active/", {"active": "0"}, follow=True)
    assert "cannot deactivate your own" in page.content.decode()


def test_people_lists_only_the_providers_own_people(
    client, ada_admin, cara_contributor, otto_outsider
):
    client.force_login(ada_admin)
    page = client.get("/people/").content.decode()
    assert "cara" in page
    assert "otto" not in page


def test_an_auditor_reads_people_but_cannot_change_them(client, provider, cara_contributor):
    auditor = make_user("audrey", provider, Role.AUDITOR)
    client.force_login(auditor)
    page = client.get("/people/").content.decode()
    assert "cara" in page
    assert "Change role" not in page
    membership = Membership.objects.get(user=cara_contributor)
    assert (
        client.post(
            f"/people/memberships/{membership.pk}/role/", {"role": Role.SUPPLIER_VIEWER}
        ).status_code
        == 404
    )


def test_a_person_with_two_memberships_switches_between_them(
    client, provider, supplier, member, contract
):
    both = make_user("pat", supplier, Role.SUPPLIER_CONTRIBUTOR)
    from socialledger.accounts.actions import add_membership

    as_member = add_membership(both, member, role=Role.MEMBER_VIEWER, by=None)
    client.force_login(both)
    client.post("/account/switch/", {"membership": as_member.pk})
    assert "Larkfield Homes" in client.get("/").content.decode()
    assert client.get("/returns/").status_code == 200
    assert (
        "Returns</a>" not in client.get("/contracts/").content.decode()
    )  # members have no returns


def test_switching_to_someone_elses_membership_is_a_404(client, cara_contributor, mo_member_viewer):
    client.force_login(cara_contributor)
    theirs = Membership.objects.get(user=mo_member_viewer)
    assert client.post("/account/switch/", {"membership": theirs.pk}).status_code == 404
