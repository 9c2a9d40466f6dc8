"""The dashboard: sign-in required, and each person sees the report for what they act for."""

import pytest

from socialledger.accounts.tests.factories import make_user
from socialledger.contracts.tests.factories import make_contract
from socialledger.organisations.tests.factories import make_member, make_supplier
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return


@pytest.fixture
def figures(provider, framework, supplier, contract):
    other = make_supplier(provider, "BWC", "Brightwell Construction")
    theirs = make_contract(
        framework, "DEC-002", supplier=other, member=make_member(provider, "WBC")
    )
    make_return(supplier, [(contract, "jobs-created", 5)])
    make_return(other, [(theirs, "jobs-created", 8)], status=Status.SUBMITTED)


def sign_in(client, user):
    client.force_login(user)


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_sign_in_page_renders(client, db):
    assert "Sign in" in client.get("/accounts/login/").content.decode()


def test_a_provider_officer_sees_the_whole_providers_report(client, figures, olivia_officer):
    sign_in(client, olivia_officer)
    page = client.get("/").content.decode()
    assert "Northway Procurement, 2023-24" in page
    assert "Brightwell Construction" in page
    assert "5 jobs were created in 2023-24" in page  # verified only by default


def test_everything_reported_can_be_shown_instead(client, figures, olivia_officer):
    sign_in(client, olivia_officer)
    assert "13 jobs were created in 2023-24" in client.get("/?basis=reported").content.decode()


def test_a_member_sees_only_its_own_contracts(client, figures, mo_member_viewer):
    sign_in(client, mo_member_viewer)
    page = client.get("/?basis=reported").content.decode()
    assert "Larkfield Homes, 2023-24" in page
    assert "5 jobs were created" in page
    assert "Brightwell" not in page


def test_a_bad_year_is_explained_and_the_default_shown(client, figures, olivia_officer):
    sign_in(client, olivia_officer)
    page = client.get("/?year=nonsense").content.decode()
    assert "is not a financial year" in page
    assert "2023-24" in page


def test_someone_without_a_membership_sees_an_explanation(client, db):
    sign_in(client, make_user("nobody"))
    assert "do not act for any provider" in client.get("/").content.decode()


def test_a_provider_without_figures_sees_an_empty_state(client, olivia_officer):
    sign_in(client, olivia_officer)
    assert "No figures yet" in client.get("/").content.decode()


def test_the_report_downloads_as_csv_json_markdown_and_text(client, figures, olivia_officer):
    sign_in(client, olivia_officer)
    for extension, needle in [
        ("csv", "section,measure"),
        ("json", '"year": "2023-24"'),
        ("md", "# Social value report"),
        ("txt", "Jobs created"),
    ]:
        response = client.get(f"/report.{extension}?year=2023-24")
        assert response.status_code == 200
        assert needle in response.content.decode()
        assert "attachment" in response["Content-Disposition"]
    assert client.get("/report.exe").status_code == 404


def test_a_download_for_a_member_holds_only_its_figures(client, figures, mo_member_viewer):
    sign_in(client, mo_member_viewer)
    body = client.get("/report.json?basis=reported").content.decode()
    assert "Brightwell" not in body


def test_the_admin_opens_for_a_site_administrator(admin_client):
    assert admin_client.get("/admin/").status_code == 200
