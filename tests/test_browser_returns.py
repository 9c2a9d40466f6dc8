"""In a real browser: a whole return, from the supplier's first figure to the officer's
verification, on the web and through the workbook."""

from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from socialledger.contracts.models import Spend
from socialledger.contracts.tests.factories import make_contract
from socialledger.returns.models import Entry, Status
from socialledger.returns.tests.factories import measure
from socialledger.rounds.actions import open_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ret(provider, framework, supplier, contract, cara_contributor, olivia_officer):
    second = make_contract(framework, "DEC-002", supplier=supplier)
    for c in (contract, second):
        Spend.objects.create(contract=c, period_end=date(2025, 3, 31), amount=D(250_000))
    round_ = open_round(
        provider,
        name="Annual return 2024-25",
        period_start=date(2024, 4, 1),
        period_end=date(2025, 3, 31),
        opens_on=date(2025, 5, 1),
        closes_on=date(2025, 6, 30),
        by=None,
    )
    return round_.returns.get()


def sign_out(page):
    page.click("text=Sign out")
    page.wait_for_url("**/accounts/login/")


def fill_workbook(path, rows):
    book = load_workbook(path)
    sheet = book["Figures"]
    cols = {cell.value: cell.column for cell in sheet[1]}
    row = next(
        r for r in range(2, sheet.max_row + 1) if sheet.cell(r, cols["Contract"]).value is None
    )
    for offset, values in enumerate(rows):
        for heading, value in values.items():
            sheet.cell(row + offset, cols[heading], value)
    book.save(path)


def test_a_return_goes_from_first_figure_to_verified(
    page, sign_in_with_browser, ret, contract, tmp_path
):
    sign_in_with_browser(page, "cara")
    page.goto(f"/returns/{ret.pk}/")

    # The workbook: download, fill offline, upload; then a broken one is refused cell by cell.
    with page.expect_download() as download:
        page.click("text=Download this return as a workbook")
    path = tmp_path / "return.xlsx"
    download.value.save_as(path)
    fill_workbook(path, [{"Contract": "DEC-002", "Measure": "Jobs sustained", "Quantity": 14}])
    page.set_input_files("input[name=workbook]", str(path))
    page.click("#upload button[type=submit]")
    # The workbook is read by a background job; its page shows what was saved.
    page.locator("p[role=status]:has-text('1 figures added')").wait_for()
    page.goto(f"/returns/{ret.pk}/")
    broken = tmp_path / "broken.xlsx"
    download.value.save_as(broken)
    fill_workbook(
        broken, [{"Contract": "DEC-002", "Measure": "Jobs sustained", "Quantity": "fourteen"}]
    )
    page.set_input_files("input[name=workbook]", str(broken))
    page.click("#upload button[type=submit]")
    page.locator("text=nothing was written").first.wait_for()
    assert "fourteen" in page.locator("table.problems").inner_text()
    assert Entry.objects.get().quantity == D(14)

    # On the web: a total saved without reloading the page, then submit.
    page.goto(f"/returns/{ret.pk}/")
    block = page.locator(f"#c{contract.pk}-m{measure('jobs-created').pk}")
    block.locator("input[name$='-total']").fill("6")
    block.locator("button:has-text('Save')").click()
    page.locator(".saved").first.wait_for()
    assert Entry.objects.filter(contract=contract).get().quantity == D(6)
    page.fill("#submit-note", "All figures from payroll")
    page.click("text=Submit the return")
    assert "has been submitted" in page.locator(".message").first.inner_text()
    sign_out(page)

    # The officer queries it; the supplier answers; the officer verifies.
    sign_in_with_browser(page, "olivia")
    page.goto(f"/returns/{ret.pk}/")
    page.fill("#note-query", "Please attach the payroll extract for DEC-001.")
    page.click("form.decision button:has-text('Query')")
    sign_out(page)
    sign_in_with_browser(page, "cara")
    page.goto(f"/returns/{ret.pk}/")
    assert "Please attach the payroll extract" in page.locator("blockquote.note-from").inner_text()
    page.fill("#submit-note", "Attached, thank you.")
    page.click("text=Resubmit")
    sign_out(page)
    sign_in_with_browser(page, "olivia")
    page.goto(f"/returns/{ret.pk}/")
    page.click("form.decision button:has-text('Verify')")
    ret.refresh_from_db()
    assert ret.status == Status.VERIFIED
    history = page.locator("ol.history").inner_text()
    assert "Please attach the payroll extract" in history
    assert "Attached, thank you." in history
