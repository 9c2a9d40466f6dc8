"""The PDF is a real publication: tagged (PDF/UA-1) with its title, language, author, subject
and bookmarks, its chart text kept as text, nothing drawn outside a page, and no log on stderr.

Checked for the demo's 2023-24 report at every scope (provider, framework, member, supplier,
contract) and for its published, suppressed snapshot: pypdf reads the structure, poppler's
pdftotext the place of every word.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from socialledger.contracts.models import Contract
from socialledger.demo.builder import build_demo
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.models import Organisation
from socialledger.reports.actions import publish_report
from socialledger.reports.documents import pdf_from_body, render_body, render_pdf
from socialledger.reports.queries import Scope, annual_report

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is needed"
)
YEAR = FinancialYear(2023)
WORD = re.compile(
    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>'
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)


@pytest.fixture
def demo(db):
    return build_demo()


def scopes(provider) -> dict[str, Scope]:
    contract = Contract.objects.filter(framework__provider=provider).first()
    return {
        "provider": Scope(provider),
        "framework": Scope(provider, "framework", contract.framework),
        "member": Scope(provider, "member", Organisation.objects.get(reference="LFH")),
        "supplier": Scope(provider, "supplier", Organisation.objects.get(reference="CRS")),
        "contract": Scope(provider, "contract", contract),
    }


def the_demo_pdfs(provider) -> dict[str, bytes]:
    pdfs = {name: render_pdf(annual_report(s, YEAR)) for name, s in scopes(provider).items()}
    published = publish_report(provider, YEAR, by=None)
    pdfs["published"] = pdf_from_body(
        published.title,
        published.contents,
        published.body_html,
        made_at=published.published_at,
        author=str(provider),
        published=True,
    )
    return pdfs


def words_outside_their_page(pdf: bytes, tmp_path) -> list[str]:
    """Each word whose box leaves its page's box, as "page n: word"."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    boxes = subprocess.run(  # noqa: S603 - a fixed local tool on our own file
        [shutil.which("pdftotext"), "-bbox", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    outside = []
    for number, (width, height, words) in enumerate(PAGE.findall(boxes), 1):
        for x0, y0, x1, y1, word in WORD.findall(words):
            if (
                float(x0) < 0
                or float(y0) < 0
                or float(x1) > float(width)
                or float(y1) > float(height)
            ):
                outside.append(f"page {number}: {word}")
    return outside


def test_every_scope_of_the_demo_prints_a_tagged_pdf_that_fits_its_pages(demo, tmp_path, capfd):
    pdfs = the_demo_pdfs(demo)
    assert capfd.readouterr().err == ""  # no font-subsetting or other log while drawing
    for name, pdf in pdfs.items():
        reader = PdfReader(io.BytesIO(pdf))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root, f"{name}: untagged"
        assert root["/MarkInfo"]["/Marked"], name
        assert root["/Lang"] == "en-GB", name
        assert reader.metadata.title.startswith("Social value report 2023-24"), name
        assert reader.metadata.author == "Northway Procurement Partnership", name
        assert reader.metadata.subject, name
        assert reader.outline, f"{name}: no bookmarks"
        assert words_outside_their_page(pdf, tmp_path) == [], name


def test_chart_text_is_drawn_as_text_with_a_text_alternative(demo):
    body = render_body(annual_report(Scope(demo), YEAR))
    charts = re.findall(r'<svg class="chart".*?</svg>', body, flags=re.DOTALL)
    assert len(charts) >= 3
    for chart in charts:
        assert "<text" in chart  # words a reader and a search can find
        assert 'id="DejaVuSans-' not in chart  # not glyph outlines
        assert re.search(r'role="img" aria-labelledby="\S+-t \S+-d"', chart)
        assert re.search(r"<title id=[^>]+>[^<]+</title><desc id=[^>]+>[^<]+</desc>", chart)
