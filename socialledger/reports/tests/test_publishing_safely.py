"""Publishing safely: the provider admin reads what will go out before confirming; a year in
progress goes out only as provisional and says so on its public page and downloads; a figure
restated after publication says "since restated" beside it, and staff are told to republish."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.actions import publish_report
from socialledger.reports.models import PublishedReport
from socialledger.returns.actions import (
    reopen_return,
    replace_entries,
    submit_return,
    verify_return,
)
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import fact, make_return

YEAR = FinancialYear(2023)


@pytest.fixture
def ada_admin(provider):
    return make_user("ada", provider, Role.PROVIDER_ADMIN)


@pytest.fixture
def verified(supplier, contract):
    """A closed 2023-24: one return, verified."""
    return make_return(supplier, [(contract, "jobs-created", 30)], year=YEAR)


@pytest.fixture
def in_progress(provider, framework, verified):
    """2023-24 still in progress: another supplier's return is only a draft."""
    other = make_supplier(provider, "OTH")
    second = make_contract(framework, "DEC-002", supplier=other)
    make_return(other, [(second, "jobs-created", 3)], year=YEAR, status=Status.DRAFT)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_reads_coverage_warnings_and_hidden_cells_before_publishing(ada_admin, verified):
    page = signed_in(ada_admin).get("/reports/2023-24/publish/?threshold=50").content.decode()
    assert "Coverage: 1 of 1 expected returns verified" in page
    assert "0 open, 0 checked by an officer" in page
    assert "Jobs created, 2023-24: the headline figure" in page  # 30 is below 50
    assert not PublishedReport.objects.exists()


def test_nothing_is_published_until_the_admin_confirms(ada_admin, verified):
    client = signed_in(ada_admin)
    unconfirmed = client.post("/reports/2023-24/publish/", {"threshold": "5"})
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    assert not PublishedReport.objects.exists()
    client.post("/reports/2023-24/publish/", {"threshold": "5", "confirm": "yes"})
    assert not PublishedReport.objects.get().provisional


def test_a_year_in_progress_is_published_only_as_provisional(provider, ada_admin, in_progress):
    with pytest.raises(ValidationError, match="only as provisional"):
        publish_report(provider, YEAR, by=ada_admin)
    preview = signed_in(ada_admin).get("/reports/2023-24/publish/").content.decode()
    assert "Publish as provisional" in preview
    published = publish_report(provider, YEAR, by=ada_admin, provisional=True)
    assert published.provisional
    public = Client().get("/public/NWPP/2023-24/").content.decode()
    assert "Provisional: published while 2023-24 was still in progress" in public
    record = json.loads(Client().get("/public/NWPP/2023-24/report.json").content)
    assert record["provisional"] is True


def test_a_figure_restated_after_publication_says_since_restated_with_the_new_figure(
    provider, contract, ada_admin, olivia_officer, cara_contributor, verified
):
    publish_report(provider, YEAR, by=ada_admin)
    reopen_return(verified, by=olivia_officer, note="Two starters were counted twice")
    replace_entries(verified, [fact(contract, "jobs-created", 28, YEAR)], by=cara_contributor)
    verify_return(submit_return(verified, by=cara_contributor), by=olivia_officer)

    public = Client().get("/public/NWPP/2023-24/").content.decode()
    assert 'data-restated="jobs-created"' in public  # beside the card, in the snapshot
    assert "Since restated on" in public
    assert "now 28 (published as 30)" in public
    record = json.loads(Client().get("/public/NWPP/2023-24/report.json").content)
    assert record["since_restated"][0]["now"] == "28"
    dashboard = signed_in(olivia_officer).get("/?year=2023-24").content.decode()
    assert "republish it so the public page shows them" in dashboard


def test_an_unchanged_publication_claims_no_restatement(
    provider, ada_admin, olivia_officer, verified
):
    publish_report(provider, YEAR, by=ada_admin)
    assert "Since restated" not in Client().get("/public/NWPP/2023-24/").content.decode()
    assert "republish it" not in signed_in(olivia_officer).get("/?year=2023-24").content.decode()
