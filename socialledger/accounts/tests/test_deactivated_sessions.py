"""A person deactivated while signed in is stopped on their very next request."""

from socialledger.accounts.actions import set_membership_active
from socialledger.accounts.models import Membership


def test_a_deactivated_persons_open_session_ends_at_once(client, cara_contributor, contract):
    client.force_login(cara_contributor)
    assert client.get(f"/contracts/{contract.pk}/").status_code == 200
    cara_contributor.is_active = False
    cara_contributor.save(update_fields=["is_active"])
    answer = client.get(f"/contracts/{contract.pk}/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


def test_a_deactivated_membership_shows_nothing_more_in_the_open_session(
    client, cara_contributor, olivia_officer, contract
):
    client.force_login(cara_contributor)
    assert contract.reference in client.get("/contracts/").content.decode()
    membership = Membership.objects.get(user=cara_contributor)
    set_membership_active(membership, active=False, by=olivia_officer)
    page = client.get("/contracts/").content.decode()
    assert contract.reference not in page
    assert "do not act for any provider" in page
