"""The reports in real Chromium: dashboards with charts, drill-down, the PDF download, and the
public page; screenshots of the main pages are kept in docs/screenshots for the README."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.demo.builder import build_demo
from socialledger.lib.periods import FinancialYear
from socialledger.reports.actions import publish_report
from socialledger.reports.queries import Scope, annual_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture
def demo(db):
    provider = build_demo()
    people = {}
    for username, organisation in (("ada", provider),):
        people[username] = make_user(username, organisation, Role.PROVIDER_ADMIN)
    from socialledger.organisations.models import Organisation

    member = Organisation.objects.get(reference="LFH")
    supplier = Organisation.objects.get(reference="CRS")
    people["mo"] = make_user("mo", member, Role.MEMBER_VIEWER)
    people["cara"] = make_user("cara", supplier, Role.SUPPLIER_CONTRIBUTOR)
    return provider, people


def _no_csp_errors(messages):
    return [m for m in messages if "Content Security Policy" in m or "Refused" in m]


@pytest.mark.parametrize(("username", "heading"), [
    ("ada", "Northway Procurement Partnership, 2023-24"),
    ("mo", "Larkfield Homes, 2023-24"),
    ("cara", "Calder Retrofit Services Ltd, 2023-24"),
])  # fmt: skip
def test_each_dashboard_renders_with_its_charts(
    page, sign_in_with_browser, demo, username, heading
):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    sign_in_with_browser(page, username)
    page.goto("/?year=2023-24")
    assert heading in page.inner_text("h1")
    charts = page.locator("svg.chart")
    assert charts.count() >= 2
    assert charts.first.bounding_box()["height"] > 50
    assert _no_csp_errors(messages) == []
    if username in ("ada", "mo"):
        page.screenshot(path=str(SCREENSHOTS / f"dashboard-{username}.png"), full_page=False)


def test_a_headline_figure_drills_down_to_its_entries(page, sign_in_with_browser, demo):
    sign_in_with_browser(page, "ada")
    page.goto("/?year=2023-24")
    card = page.locator(".card", has_text="Apprenticeships created").first
    figure = card.locator(".card-value").inner_text()
    card.locator("a.drill").click()
    page.wait_for_load_state()
    assert "A figure's history" in page.content()
    assert page.locator("[data-total]").inner_text() == figure
    assert page.locator("tbody tr").count() > 1
    page.screenshot(path=str(SCREENSHOTS / "drill-down.png"))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is needed")
def test_the_pdf_downloads_and_holds_the_headline_figures(
    page, sign_in_with_browser, demo, tmp_path
):
    provider, _people = demo
    sign_in_with_browser(page, "ada")
    page.goto("/?year=2023-24")
    # Drawing the PDF takes a few seconds; more on a busy machine.
    with page.expect_download(timeout=120_000) as download:
        page.click("a[data-format=pdf]", no_wait_after=True)
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(  # noqa: S603 - a fixed local tool on our own file
        [shutil.which("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    report = annual_report(Scope(provider), FinancialYear(2023))
    for code in ("jobs-created", "jobs-sustained", "apprenticeships-created", "donations"):
        line = report.measure(code)
        shown = f"£{line.headline.value:,.0f}" if line.is_money else f"{line.headline.value:,.0f}"
        assert shown in text


def test_the_public_page_shows_no_suppressed_cell(browser, live_server, demo):
    provider, people = demo
    publish_report(provider, FinancialYear(2023), by=people["ada"])
    private = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    tab = private.new_page()
    messages = []
    tab.on("console", lambda message: messages.append(message.text))
    tab.goto("/public/NWPP/2023-24/")
    assert "Published social value report" in tab.content()
    hidden = tab.locator(".suppressed")
    assert hidden.count() > 0
    for text in hidden.all_inner_texts():
        assert re.fullmatch(
            r"fewer than 5|suppressed|withheld: one of its counts is suppressed", text
        )
    assert "/reports/entries/" not in tab.content()
    assert _no_csp_errors(messages) == []
    tab.screenshot(path=str(SCREENSHOTS / "public-report.png"))
    private.close()
