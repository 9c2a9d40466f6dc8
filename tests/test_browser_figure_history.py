"""In real Chromium: a reader of the PDF follows a figure's reference to its whole history, and
the total there is the figure the PDF printed."""

import re
import shutil
import subprocess
import zlib

import pytest

from socialledger.lib.numbers import format_quantity
from socialledger.lib.periods import FinancialYear
from socialledger.reports.queries import Scope, annual_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    from socialledger.accounts.models import Role
    from socialledger.accounts.tests.factories import make_user
    from socialledger.demo.builder import build_demo

    provider = build_demo()
    make_user("ada", provider, Role.PROVIDER_ADMIN)
    return provider


def links_in(pdf: bytes) -> list[str]:
    """The addresses a PDF links to, from its (compressed) objects."""
    found = re.findall(rb"/URI\s*\(([^)]*)\)", pdf)
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            found += re.findall(rb"/URI\s*\(([^)]*)\)", zlib.decompress(stream))
        except zlib.error:
            continue
    return [link.decode() for link in found]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is needed")
def test_a_figures_reference_in_the_pdf_opens_its_history(
    page, sign_in_with_browser, demo, live_server, settings, tmp_path
):
    settings.BASE_URL = live_server.url
    sign_in_with_browser(page, "ada")
    page.goto("/?year=2023-24")
    with page.expect_download(timeout=120_000) as download:
        page.click("a[data-format=pdf]", no_wait_after=True)
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(  # noqa: S603 - a fixed local tool on our own file
        [shutil.which("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # A narrow column wraps the reference over lines; read across them.
    joined = re.sub(r"\s*\n\s*", "", text)
    # (pdftotext drops the hyphen where a line breaks after one.)
    assert re.search(r"Ref\.\s?2023-24/jobs-?sustained/verified", joined)
    target = next(link for link in links_in(pdf.read_bytes()) if "/jobs-sustained/" in link)
    page.goto(target)
    figure = annual_report(Scope(demo), FinancialYear(2023)).measure("jobs-sustained").headline
    assert "Jobs sustained, 2023-24" in page.inner_text("h1")
    assert page.inner_text("[data-total]") == format_quantity(figure.value)
    assert page.locator("table.strengths").count() == 1
