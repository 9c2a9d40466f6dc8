"""A year in progress is told honestly: it says so with its coverage, a missing figure is "no
figure yet" (never a fall of 100%), changes are provisional and like-for-like, a derived total
with a missing part is incomplete, and a person lands on the latest closed year."""

import csv
import io
import json
from datetime import date
from decimal import Decimal as D

import pytest

from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.queries import Scope, annual_report, default_year
from socialledger.reports.renderers import render
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return

LAST, NOW = FinancialYear(2023), FinancialYear(2024)
MID_YEAR = date(2024, 11, 1)


@pytest.fixture
def open_year(provider, framework, supplier, contract):
    """Two contracts reported in 2023-24; in 2024-25 (in progress) one return is verified and
    the other still a draft."""
    other = make_supplier(provider, "OTH")
    second = make_contract(framework, "DEC-002", supplier=other, value="3000000")
    make_return(
        supplier, [(contract, "jobs-created", 10), (contract, "jobs-sustained", 4)], year=LAST
    )
    make_return(other, [(second, "jobs-created", 346), (second, "volunteering-days", 9)], year=LAST)
    make_return(supplier, [(contract, "jobs-created", 12)], year=NOW)
    make_return(other, [(second, "jobs-created", 1)], year=NOW, status=Status.DRAFT)
    return annual_report(Scope(provider), NOW, as_of=MID_YEAR)


def test_it_says_the_year_is_in_progress_with_its_coverage(open_year):
    status = open_year.status
    assert status.provisional
    assert "2024-25 has not ended" in status.why_open
    assert "1 return not yet decided" in status.why_open
    assert (status.returns_verified, status.returns_submitted, status.returns_expected) == (1, 1, 2)
    assert status.share_covered == D("0.4")  # DEC-001 (£2m) of £5m live in the year


def test_a_measure_with_no_figure_yet_has_no_change_and_never_reads_down_100(open_year):
    line = open_year.measure("volunteering-days")
    assert line.headline_change is None
    assert line.change_words == "no figure yet"
    text = render(open_year, "text") + render(open_year, "markdown")
    assert "-100%" not in text
    assert "down 100%" not in text


def test_a_change_is_provisional_and_like_for_like_beside_the_whole(open_year):
    line = open_year.measure("jobs-created")
    assert line.lead_with_like_for_like
    assert line.change.percent_label == "-97%"  # 356 → 12 over the whole scope so far
    assert line.headline_change.percent_label == "+20%"  # 10 → 12 on the same contract
    assert line.change_words == "up 20% like-for-like (provisional)"


def test_a_derived_total_with_a_missing_part_is_incomplete_and_names_it(open_year):
    line = open_year.measure("employment-outcomes")
    assert line.missing_parts == ("jobs sustained",)
    assert line.headline_change is None
    assert line.change_words == "incomplete: no figure yet for jobs sustained"
    assert "jobs sustained (0)" not in render(open_year, "text")
    assert "jobs sustained (no figure yet)" in render(open_year, "markdown")


def test_every_format_says_the_year_is_provisional(open_year):
    assert "2024-25 is in progress" in render(open_year, "text")
    assert "2024-25 is in progress" in render(open_year, "markdown")
    data = json.loads(render(open_year, "json"))
    assert data["year_status"]["provisional"] is True
    assert data["year_status"]["returns_expected"] == 2
    jobs = next(m for m in data["measures"] if m["code"] == "jobs-created")
    assert jobs["like_for_like"]["leads"] is True
    assert jobs["like_for_like"]["change"]["label"] == "+20%"
    rows = list(csv.DictReader(io.StringIO(render(open_year, "csv"))))
    assert {"split_by": "closed", "value": "0"}.items() <= next(
        r for r in rows if r["section"] == "year-status" and r["split_by"] == "closed"
    ).items()
    changes = {
        (r["split_by"], r["group"], round(D(r["value"])))
        for r in rows
        if r["section"] == "change" and r["measure"] == "jobs-created"
    }
    assert changes == {("whole", "provisional", -97), ("like-for-like", "provisional", 20)}
    none = next(r for r in rows if r["section"] == "change" and r["measure"] == "volunteering-days")
    assert (none["split_by"], none["group"]) == ("none", "no figure yet")


def test_a_closed_year_says_so_and_its_changes_are_final(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 10)], year=FinancialYear(2022))
    make_return(supplier, [(contract, "jobs-created", 12)], year=LAST)
    report = annual_report(Scope(provider), LAST, as_of=date(2024, 11, 1))
    assert report.status.closed
    assert report.measure("jobs-created").change_words == "up 20%"
    assert "2023-24 is closed" in render(report, "text")


def test_a_person_lands_on_the_latest_closed_year(provider, supplier, contract):
    """Today's year is still running, so it is in progress however many returns are in."""
    running = FinancialYear.containing(date.today())
    make_return(supplier, [(contract, "jobs-created", 10)], year=LAST)
    make_return(supplier, [(contract, "jobs-created", 1)], year=running)
    assert default_year(Scope(provider)) == LAST


def test_the_workbook_says_the_year_is_provisional_and_why_a_figure_has_no_change(open_year):
    from openpyxl import load_workbook

    from socialledger.reports.documents import render_xlsx

    book = load_workbook(io.BytesIO(render_xlsx(open_year)))
    summary = [tuple(row) for row in book["Summary"].iter_rows(values_only=True)]
    assert any(row[0] == "Year status" and "in progress" in row[1] for row in summary)
    figures = list(book["Figures"].iter_rows(values_only=True))
    volunteering = next(row for row in figures if row[1] == "volunteering-days")
    assert volunteering[5] == "no figure yet"
