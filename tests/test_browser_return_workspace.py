"""In a real browser: the supplier fills in a return, is warned before leaving with figures not
yet saved, saves everything at once and submits; the officer's question then leads the
supplier's home page; the supplier answers, and the officer sees last year's figure, the
commitment and what changed since the first submission."""

from datetime import date
from decimal import Decimal as D

import pytest

from socialledger.contracts.actions import set_commitment
from socialledger.contracts.models import Spend
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.returns.models import Entry
from socialledger.returns.tests.factories import make_return, measure
from socialledger.rounds.actions import open_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = FinancialYear(2024)


@pytest.fixture
def two_contracts(framework, supplier, contract):
    second = make_contract(framework, "DEC-002", supplier=supplier)
    for c in (contract, second):
        Spend.objects.create(contract=c, period_end=date(2025, 3, 31), amount=D(250_000))
    return contract, second


@pytest.fixture
def ret(provider, supplier, two_contracts, cara_contributor, olivia_officer):
    contract, _ = two_contracts
    make_return(supplier, [(contract, "jobs-created", 8)], year=YEAR.previous)
    set_commitment(
        provider,
        measure=measure("jobs-created"),
        financial_year=YEAR.start_year,
        quantity=D(20),
        contract=contract,
        by=None,
    )
    round_ = open_round(
        provider,
        name="Annual return 2024-25",
        period_start=YEAR.start,
        period_end=YEAR.end,
        opens_on=date(2025, 5, 1),
        closes_on=date(2025, 6, 30),
        by=None,
    )
    return round_.returns.get()


def block(page, contract, code="jobs-created"):
    return page.locator(f"#c{contract.pk}-m{measure(code).pk}")


def sign_out(page):
    page.click("text=Sign out")
    page.wait_for_url("**/accounts/login/")


def test_a_return_is_filled_saved_at_once_queried_and_answered(
    page, sign_in_with_browser, ret, two_contracts
):
    first, second = two_contracts
    sign_in_with_browser(page, "cara")
    page.goto(f"/returns/{ret.pk}/")
    here = page.url

    # Typed but not saved: leaving the page asks first, and staying keeps what was typed.
    block(page, first).locator("input[name$='-total']").fill("10")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.click("nav a >> nth=0")
    page.wait_for_timeout(500)
    page.remove_listener("dialog", stay)
    assert asked == ["beforeunload"]
    assert page.url == here
    assert block(page, first).locator("input[name$='-total']").input_value() == "10"
    assert not Entry.objects.filter(submission=ret).exists()

    # One Save for the whole page.
    block(page, second).locator("input[name$='-total']").fill("3")
    page.click("button:has-text('Save all')")
    page.wait_for_load_state()
    saved = Entry.objects.filter(submission=ret).values_list("quantity", flat=True)
    assert sorted(saved) == [D(3), D(10)]
    page.fill("#submit-note", "From payroll")
    page.click("text=Submit the return")
    assert "has been submitted" in page.locator(".message").first.inner_text()
    sign_out(page)

    sign_in_with_browser(page, "olivia")
    page.goto(f"/returns/{ret.pk}/")
    page.fill("#note-query", "Ten jobs on DEC-001? Please check.")
    page.click("form.decision button:has-text('Query')")
    sign_out(page)

    # The question leads the supplier's home page, and the answer goes back with the figures.
    sign_in_with_browser(page, "cara")
    page.goto("/")
    asked_of_cara = page.locator("section.asked").inner_text()
    assert "Ten jobs on DEC-001? Please check." in asked_of_cara
    page.locator("section.asked a").first.click()
    block(page, first).locator("input[name$='-total']").fill("12")
    page.click("button:has-text('Save all')")
    page.wait_for_load_state()
    page.fill("#submit-note", "Twelve: two were missed")
    page.click("text=Resubmit")
    sign_out(page)

    # The officer sees last year, the commitment and its delivery, and the change.
    sign_in_with_browser(page, "olivia")
    page.goto(f"/returns/{ret.pk}/")
    row = page.locator(f"#review-c{first.pk}-m{measure('jobs-created').pk}").inner_text()
    for seen in ("12", "8", "20", "60%", "was 10"):
        assert seen in row
    thread = page.locator("body").inner_text()
    assert "Ten jobs on DEC-001? Please check." in thread
    assert "Twelve: two were missed" in thread
