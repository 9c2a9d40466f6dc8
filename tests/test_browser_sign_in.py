"""In a real browser: a persona signs in and sees their report; the page runs without CSP errors."""

import pytest

from socialledger.returns.tests.factories import make_return

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_signs_in_and_reads_the_report(
    page, sign_in_with_browser, olivia_officer, supplier, contract
):
    make_return(supplier, [(contract, "apprenticeships-created", 7)])
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    sign_in_with_browser(page, "olivia")
    assert page.locator("h1").inner_text() == "Northway Procurement, 2023-24"
    narrative = page.locator("ul.narrative:not(.strength-summaries)").inner_text()
    assert "7 apprenticeships were created in 2023-24" in narrative
    page.select_option("select[name=basis]", "reported")  # changes nothing until Show is pressed
    assert "basis=reported" not in page.url
    page.click("form.controls button[type=submit]")
    page.wait_for_url("**/?*basis=reported*")
    assert problems == []


def test_a_wrong_password_is_explained(page, olivia_officer):
    page.goto("/accounts/login/")
    page.fill("#id_username", "olivia")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    assert "did not match" in page.locator(".message.error").inner_text()
