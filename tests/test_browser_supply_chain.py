"""In a real browser: Sam, for the subcontractor Mersey Groundworks, enters what it delivered on
Calder Retrofit Services' contract DEC-001 and sends it; Cara sees it in Calder's return beside
her own figures and accepts it. Sam sees only what Mersey entered."""

from decimal import Decimal as D

import pytest

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.contracts.actions import name_subcontractor
from socialledger.returns import actions
from socialledger.returns.models import Entry, PartStatus
from socialledger.returns.tests.factories import DEFAULT_YEAR, fact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mersey(contract):
    return name_subcontractor(contract, name="Mersey Groundworks Ltd", by=None)


@pytest.fixture
def cara_return(supplier, contract, cara_contributor):
    ret = actions.open_year_return(supplier, DEFAULT_YEAR, by=None)
    actions.save_entries(ret, [fact(contract, "jobs-created", 7, DEFAULT_YEAR)], by=None)
    return ret


@pytest.fixture
def sam(mersey):
    return make_user("sam", mersey.subcontractor, Role.SUPPLIER_CONTRIBUTOR)


def test_sam_enters_a_figure_that_cara_then_sees_in_her_return(
    page, sign_in_with_browser, cara_return, mersey, sam
):
    sign_in_with_browser(page, "sam")
    page.goto("/supply-chain/")
    assert "DEC-001" in page.locator("main").inner_text()
    page.click(f"a:has-text('{cara_return.period_label}')")
    page.get_by_role("heading", name="what Mersey Groundworks Ltd delivered").wait_for()
    # Calder's own seven jobs are not on Sam's page: only what Mersey enters is.
    values = page.locator("input").evaluate_all("inputs => inputs.map(i => i.value)")
    assert "7" not in values
    heading = page.get_by_role("heading", name="Apprenticeships created")
    block = page.locator("fieldset", has=heading)
    block.get_by_label("Total").fill("3")
    page.click("button:has-text('Save')")
    page.locator("text=Saved.").wait_for()
    page.click("button:has-text('Send my figures')")
    page.locator("text=Your figures were sent to").wait_for()
    assert page.goto(f"/returns/{cara_return.pk}/").status == 404
    page.click("text=Sign out")
    page.wait_for_url("**/accounts/login/")

    sign_in_with_browser(page, "cara")
    page.goto(f"/returns/{cara_return.pk}/")
    parts = page.locator("#supply-chain-parts")
    assert "Mersey Groundworks Ltd on DEC-001" in parts.inner_text()
    assert "Apprenticeships created" in parts.inner_text()
    assert "3" in parts.locator("td.num").all_inner_texts()
    parts.get_by_role("button", name="Accept these figures").click()
    page.locator("#supply-chain-parts >> text=Accepted by the supplier").wait_for()
    assert cara_return.parts.get().status == PartStatus.ACCEPTED
    delivered = Entry.objects.get(delivered_by=mersey)
    assert (delivered.measure.code, delivered.quantity) == ("apprenticeships-created", D(3))
