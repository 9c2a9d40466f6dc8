"""Entries leave as the import's own long format (CSV or XLSX) and come back unchanged: from the
report page, the API and `socialledger export`."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from socialledger.contracts.tests.factories import make_contract
from socialledger.imports.actions import import_entries
from socialledger.imports.exporting import csv_lines, write_xlsx
from socialledger.imports.reading import parse_csv_text, read_table
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.returns.actions import (
    open_year_return,
    reject_return,
    save_entries,
    submit_return,
    verify_return,
)
from socialledger.returns.figures import figure
from socialledger.returns.models import Entry, Return
from socialledger.returns.tests.factories import measure

YEAR = FinancialYear(2023)


@pytest.fixture
def ledger(provider, framework, member, supplier, contract):
    """Two suppliers' 2023-24 returns (one verified, one rejected) with breakdowns, a person,
    a shorter period, and text that a spreadsheet would take for a formula."""
    ret = open_year_return(supplier, YEAR, by=None)
    facts = [
        figure(
            ret,
            contract,
            measure("jobs-created"),
            quantity=Decimal(3),
            breakdowns={"hours": "full-time", "role": '=HYPERLINK("x")'},
            person_id="PAY-001",
        ),
        figure(
            ret,
            contract,
            measure("donations"),
            quantity=Decimal("250.5"),
            description="=SUM(A1) kit for the under-11s",
        ),
        figure(
            ret,
            contract,
            measure("donations"),
            quantity=Decimal(40),
            description="'=already quoted",
        ),
        figure(
            ret,
            contract,
            measure("work-experience"),
            quantity=Decimal(6),
            period_start=date(2023, 7, 1),
            period_end=date(2023, 9, 30),
        ),
    ]
    save_entries(ret, facts, by=None)
    verify_return(submit_return(ret, by=None), by=None)
    rival = make_supplier(provider, "BWC")
    other = make_contract(framework, "DEC-002", member=member, supplier=rival)
    theirs = open_year_return(rival, YEAR, by=None)
    save_entries(
        theirs, [figure(theirs, other, measure("jobs-created"), quantity=Decimal(2))], by=None
    )
    reject_return(submit_return(theirs, by=None), by=None, note="No evidence")
    return provider


def export_csv() -> str:
    """The CSV as a file holds it, read back as text (without Excel's byte-order mark)."""
    text = "".join(csv_lines(Entry.objects.all()))
    assert text.startswith("\ufeff")
    return text.removeprefix("\ufeff")


def test_the_csv_has_one_row_per_entry_under_the_import_headings(ledger):
    lines = export_csv().splitlines()
    assert lines[0].split(",")[:9] == [
        "framework",
        "contract",
        "supplier",
        "member",
        "measure",
        "financial_year",
        "period_start",
        "period_end",
        "quantity",
    ]
    assert len(lines) == 1 + Entry.objects.count()
    assert "DEC,DEC-001,CRS,LFH,work-experience,2023-24,2023-07-01,2023-09-30,6," in export_csv()


def test_text_that_would_run_as_a_formula_is_neutralised(ledger):
    text = export_csv()
    assert "'=SUM(A1) kit for the under-11s" in text
    assert "''=already quoted" in text
    assert ",=" not in text
    assert '"=' not in text


def test_importing_the_export_again_changes_nothing(ledger):
    summary = import_entries(ledger, parse_csv_text(export_csv()), by=None)
    assert (summary.added, summary.changed) == (0, 0)
    assert summary.unchanged == Entry.objects.count()


def test_an_exported_file_rebuilds_the_same_entries_in_an_empty_ledger(ledger):
    before = export_csv()
    Return.objects.all().delete()
    import_entries(ledger, parse_csv_text(before), by=None)
    assert export_csv() == before
    donation = Entry.objects.get(quantity=Decimal("250.5"))
    assert donation.description == "=SUM(A1) kit for the under-11s"
    assert Entry.objects.get(quantity=Decimal(40)).description == "'=already quoted"


def test_the_xlsx_round_trips_too(ledger, tmp_path):
    before = export_csv()
    path = tmp_path / "entries.xlsx"
    assert write_xlsx(Entry.objects.all(), str(path)) == Entry.objects.count()
    Return.objects.all().delete()
    call_command("import", str(path), stdout=io.StringIO())
    assert export_csv() == before
    assert read_table(path).rows[0][1]["quantity"] == "3"


def test_the_command_exports_a_scope_and_year(ledger, tmp_path):
    path = tmp_path / "crs.csv"
    out = io.StringIO()
    call_command(
        "export",
        "--year",
        "2023-24",
        "--scope",
        "supplier:CRS",
        "--format",
        "csv",
        "-o",
        str(path),
        stdout=out,
    )
    rows = read_table(path).rows
    assert {values["supplier"] for _number, values in rows} == {"CRS"}
    assert len(rows) == 4
    assert "Wrote 4 entries" in out.getvalue()
    call_command("export", "--year", "2022-23", "-o", str(path), stdout=io.StringIO())
    assert read_table(path).rows == ()


def test_the_command_refuses_a_bad_year_clearly(ledger, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2023-25"):
        call_command("export", "--year", "2023-25", "-o", str(tmp_path / "x.csv"))


def test_the_report_page_offers_the_entries_of_what_the_person_may_see(
    ledger, cara_contributor, mo_member_viewer
):
    cara = Client()
    cara.force_login(cara_contributor)
    page = cara.get("/?year=2023-24").content.decode()
    assert "/entries.csv?year=2023-24" in page
    download = cara.get("/entries.csv?year=2023-24")
    assert download.streaming
    assert download["Content-Disposition"].endswith('entries-nwpp-supplier-crs-2023-24.csv"')
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert ",BWC," not in text
    assert text.count("\r\n") == 5
    mo = Client()
    mo.force_login(mo_member_viewer)
    # A member sees submitted figures only; the rejected return counts nowhere.
    member_text = b"".join(mo.get("/entries.csv?year=2023-24").streaming_content).decode()
    assert ",CRS," in member_text
    assert ",BWC," not in member_text
    workbook = cara.get("/entries.xlsx?year=2023-24")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(workbook.streaming_content).startswith(b"PK")
