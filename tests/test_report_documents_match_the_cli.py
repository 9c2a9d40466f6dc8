"""Every figure of the command-line report appears, to the last digit, in the PDF, the XLSX
workbook and the published page of the demo's 2023-24 report."""

import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from socialledger.demo.builder import build_demo
from socialledger.lib.periods import FinancialYear
from socialledger.reports.actions import publish_report
from socialledger.reports.documents import render_pdf, render_xlsx
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render
from socialledger.reports.suppression import suppress
from socialledger.reports.templatetags.ledger import rate as rate_words
from socialledger.reports.working import pence_words
from socialledger.returns.models import Status

FIGURE = re.compile(r"[£+-]?\d+(?:,\d{3})*(?:\.\d+)?[%mkp]?")
YEAR = re.compile(r"\b\d{4}-\d{2}\b")


@pytest.fixture
def demo_report(db):
    provider = build_demo()
    return provider, annual_report(Scope(provider), FinancialYear(2023))


def cli_figures(report) -> set[str]:
    """Every number the text report prints (years and measure codes aside)."""
    text = YEAR.sub(" ", render(report, "text"))
    return {f for f in FIGURE.findall(text) if not re.fullmatch(r"\d{4}", f)}


def missing(figures: set[str], text: str) -> set[str]:
    tokens = set(FIGURE.findall(YEAR.sub(" ", text)))
    return {f for f in figures if f not in tokens and f.lstrip("+") not in tokens}


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is needed")
def test_the_pdf_holds_every_figure_of_the_cli_report(demo_report, tmp_path):
    _provider, report = demo_report
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(report))
    pdftotext = shutil.which("pdftotext")
    text = subprocess.run(  # noqa: S603 - a fixed local tool on our own file
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Contents" in text
    assert "Method" in text
    assert "Page 1 of" in text
    assert missing(cli_figures(report), text) == set()


def test_the_published_page_holds_every_figure_of_the_cli_report(demo_report, client):
    provider, report = demo_report
    publish_report(provider, FinancialYear(2023), by=None)
    page = client.get(f"/public/{provider.reference}/2023-24/").content.decode()
    text = re.sub(r"<[^>]+>", " ", page.split("</header>", 1)[1])
    # Only the £ per £1 of a group with a suppressed count, a suppressed count's rates per £1m
    # and the data-quality warnings' lines (each names a contract's figure) are withheld
    # (docs/reports.md).
    hidden = suppress(report, 5)
    withheld = (
        {
            token
            for table in report.money.per_pound
            for row in table.rows
            if hidden.hides_group(table.by, row.reference)
            for token in FIGURE.findall(pence_words(row.per_pound))
        }
        | {
            token
            for table in report.groups
            for row in table.rows
            for cell in row.cells
            if hidden.hides("group", table.by, row.reference, cell.code, "current")
            for rate in (cell.per_million, cell.per_million_spent)
            for token in FIGURE.findall(rate_words(rate))
        }
        | {token for line in report.quality.lines for token in FIGURE.findall(YEAR.sub(" ", line))}
    )
    shown_elsewhere = set(FIGURE.findall(text))
    assert missing(cli_figures(report), text) - (withheld - shown_elsewhere) == set()
    assert "fewer than 5" in text


def test_the_workbook_holds_every_figure_as_a_number(demo_report):
    _provider, report = demo_report
    book = CalamineWorkbook.from_filelike(io.BytesIO(render_xlsx(report)))
    figures = book.get_sheet_by_name("Figures").to_python()
    header, rows = figures[0], {row[1]: row for row in figures[1:]}
    this, last = header.index("2023-24"), header.index("2022-23")
    for line in report.measures:
        row = rows[line.code]
        assert Decimal(str(row[this])) == line.headline.value, line.code
        assert Decimal(str(row[last])) == line.previous_headline.value, line.code
        lfl = header.index("Like-for-like 2023-24")
        assert Decimal(str(row[lfl])) == line.like_for_like.current, line.code
    donations = book.get_sheet_by_name("Donations").to_python()[1:]
    assert [Decimal(str(row[5])) for row in donations[: len(report.donations.shown)]] == [
        d.amount for d in report.donations.shown
    ]
    assert set(book.sheet_names) >= {
        "Summary", "Figures", "Commitments", "Trends", "Breakdowns", "By framework",
        "By member", "By supplier", "League tables", "Social value in £", "Donations",
    }  # fmt: skip


def test_text_that_would_run_as_a_formula_is_neutralised_in_the_workbook(
    provider, supplier, contract
):
    from socialledger.returns.tests.factories import fact, make_return

    ret = make_return(supplier, [], status=Status.DRAFT)
    from socialledger.returns.actions import save_entries, submit_return, verify_return

    save_entries(
        ret,
        [
            fact(
                contract,
                "donations",
                100,
                FinancialYear(2023),
                '=HYPERLINK("x")',
                donation_type="money",
            )
        ],
        by=None,
    )
    verify_return(submit_return(ret, by=None), by=None)
    report = annual_report(Scope(provider), FinancialYear(2023))
    book = CalamineWorkbook.from_filelike(io.BytesIO(render_xlsx(report)))
    first = book.get_sheet_by_name("Donations").to_python()[1]
    assert first[0] == '\'=HYPERLINK("x")'
