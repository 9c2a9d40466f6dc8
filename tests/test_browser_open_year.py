"""A year in progress in real Chromium: with one 2024-25 return verified and another still
waiting, no headline card says "down 100%"; publishing shows what will go out and asks first,
then marks the public page provisional; a figure restated after publication says "since
restated" beside it on the public page, and staff are told to republish."""

import pytest

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.models import PublishedReport
from socialledger.returns.actions import (
    reopen_return,
    replace_entries,
    submit_return,
    verify_return,
)
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import fact, make_return

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LAST, NOW = FinancialYear(2023), FinancialYear(2024)


@pytest.fixture
def open_year(provider, framework, supplier, contract):
    """2023-24 closed on two contracts (10 and 346 jobs); in 2024-25 Calder's return is verified
    (12 jobs) and the other supplier's is submitted but not yet decided."""
    other = make_supplier(provider, "OTH", "Other Works")
    second = make_contract(framework, "DEC-002", supplier=other, value="3000000")
    make_return(
        supplier, [(contract, "jobs-created", 10), (contract, "jobs-sustained", 4)], year=LAST
    )
    make_return(other, [(second, "jobs-created", 346)], year=LAST)
    verified = make_return(supplier, [(contract, "jobs-created", 12)], year=NOW)
    make_return(other, [(second, "jobs-created", 300)], year=NOW, status=Status.SUBMITTED)
    make_user("ada", provider, Role.PROVIDER_ADMIN)
    make_user("olivia", provider, Role.PROVIDER_OFFICER)
    return verified


def test_an_open_year_is_told_honestly_published_as_provisional_and_restated(
    page, browser, live_server, sign_in_with_browser, contract, open_year
):
    sign_in_with_browser(page, "ada")
    page.goto("/?year=2024-25")
    assert "a year in progress — provisional figures" in page.inner_text("#year-status")
    cards = page.locator("#headlines .card")
    assert cards.count() > 3
    for text in cards.all_inner_texts():
        assert "down 100%" not in text
    jobs = page.locator(".card", has_text="Jobs created").first.inner_text()
    assert "like-for-like (provisional)" in jobs

    # Publishing shows what will go out and asks first.
    page.click("text=Review and publish the verified 2024-25 report")
    page.wait_for_load_state()
    assert "Read what will go out before you confirm" in page.content()
    assert "Coverage: 1 of 2 expected returns verified" in page.inner_text("main")
    page.click("button:has-text('Publish as provisional')")  # not ticked: the browser holds it
    assert "/reports/2024-25/publish/" in page.url
    assert not PublishedReport.objects.exists()
    page.check("input[name=confirm]")
    page.click("button:has-text('Publish as provisional')")
    page.wait_for_url("**/public/NWPP/2024-25/")
    assert "Provisional: published while 2024-25 was still in progress" in page.content()

    # A verified figure is restated after publication.
    reopen_return(open_year, by=None, note="Two starters were counted twice")
    replace_entries(open_year, [fact(contract, "jobs-created", 11, NOW)], by=None)
    verify_return(submit_return(open_year, by=None), by=None)

    visitor = browser.new_context(base_url=live_server.url)
    public = visitor.new_page()
    public.goto("/public/NWPP/2024-25/")
    beside = public.locator(".card", has_text="Jobs created").first.locator(".card-restated")
    assert "Since restated on" in beside.inner_text()
    assert "now 11 (published as 12)" in beside.inner_text()
    visitor.close()

    page.goto("/?year=2024-25")
    assert "republish it so the public page shows them" in page.inner_text("main")
