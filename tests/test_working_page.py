"""The working page behind each £ on the dashboard: the same working, for those who may see it."""

import pytest

from socialledger.accounts.tests.factories import make_user
from socialledger.returns.tests.factories import make_return
from socialledger.valuation.tests.factories import make_choice, make_value_set, value
from tests.test_dashboard import sign_in


@pytest.fixture
def valued(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 5)])
    make_choice(provider, make_value_set(provider, {"jobs-created": value(100)}))


def test_the_dashboard_links_each_pound_figure_to_its_working(client, valued, olivia_officer):
    sign_in(client, olivia_officer)
    page = client.get("/?year=2023-24").content.decode()
    assert "Social value in £" in page
    assert "/working/jobs-created/?year=2023-24" in page
    assert "/working/total/?year=2023-24" in page


def test_a_provider_officer_sees_the_working(client, valued, olivia_officer):
    sign_in(client, olivia_officer)
    page = client.get("/working/jobs-created/?year=2023-24").content.decode()
    assert "1. Count: 5 people" in page
    assert "TEST VALUE: synthetic, for tests only" in page


def test_a_member_sees_the_working_for_its_own_contracts(client, valued, mo_member_viewer):
    sign_in(client, mo_member_viewer)
    page = client.get("/working/total/?year=2023-24").content.decode()
    assert "Larkfield Homes, 2023-24" in page


def test_an_outsider_sees_nothing_of_this_provider(client, valued, otto_outsider):
    sign_in(client, otto_outsider)
    assert "TEST VALUE" not in client.get("/working/jobs-created/?year=2023-24").content.decode()


def test_someone_without_a_membership_is_told_so(client, valued):
    sign_in(client, make_user("nobody"))
    page = client.get("/working/total/").content.decode()
    assert "do not act for any provider" in page


def test_an_unknown_measure_is_not_found(client, valued, olivia_officer):
    sign_in(client, olivia_officer)
    assert client.get("/working/nonsense/?year=2023-24").status_code == 404
