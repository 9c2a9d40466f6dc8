"""Every file a person downloads is safe to open and imports back unchanged: text that a
spreadsheet would run as a formula is written as text, and a CSV saved with semicolons or tabs
reads as one saved with commas."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from socialledger.imports.actions import import_entries, import_return_workbook, return_workbook
from socialledger.imports.exporting import csv_lines
from socialledger.imports.reading import ImportRefused, delimiter_of, parse_csv_text
from socialledger.imports.tests.helpers import import_text
from socialledger.lib.periods import FinancialYear
from socialledger.returns.actions import open_year_return, save_entries
from socialledger.returns.figures import figure
from socialledger.returns.models import Entry, Return
from socialledger.returns.tests.factories import measure

YEAR = FinancialYear(2024)
AWKWARD = {
    '=HYPERLINK("http://example.com","click")': D("1250.5"),
    "+44 laptops for the youth club": D("0.01"),
    "-5 °C freezer for the food bank": D("99999.99"),
    "@home learning packs": D(40),
    "'=already quoted": D(3),
}


@pytest.fixture
def ret(supplier, contract):
    """A draft with donations whose descriptions a spreadsheet would take for formulas, and a
    figure for one person."""
    ret = open_year_return(supplier, YEAR, by=None)
    facts = [
        figure(ret, contract, measure("donations"), quantity=amount, description=text)
        for text, amount in AWKWARD.items()
    ]
    facts.append(figure(ret, contract, measure("jobs-created"), quantity=2, person_id="PAY-7"))
    save_entries(ret, facts, by=None)
    return ret


def entries(ret) -> list[tuple]:
    return sorted(
        (e.measure.code, e.quantity, e.description, e.person_key, e.breakdown_key)
        for e in ret.entries.select_related("measure")
    )


def test_the_return_workbook_writes_descriptions_as_text_never_as_formulas(ret):
    sheet = load_workbook(io.BytesIO(return_workbook(ret)))["Figures"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    descriptions = [
        sheet.cell(row, columns["Description"])
        for row in range(2, sheet.max_row + 1)
        if sheet.cell(row, columns["Description"]).value
    ]
    assert {cell.data_type for cell in descriptions} == {"s"}
    assert '\'=HYPERLINK("http://example.com","click")' in {c.value for c in descriptions}
    assert not any(str(cell.value).startswith(("=", "+", "-", "@")) for cell in descriptions)


def test_the_return_workbook_uploaded_unchanged_changes_nothing(ret):
    before = entries(ret)
    upload = SimpleUploadedFile("return.xlsx", return_workbook(ret))
    summary = import_return_workbook(ret, upload, by=None)
    assert (summary.added, summary.changed, summary.removed) == (0, 0, 0)
    assert entries(ret) == before


def test_the_entries_export_rebuilds_awkward_descriptions_and_money_exactly(ret):
    before = entries(ret)
    provider = ret.provider
    text = "".join(csv_lines(Entry.objects.all())).removeprefix("\ufeff")
    Return.objects.all().delete()
    import_entries(provider, parse_csv_text(text), by=None)
    (rebuilt,) = Return.objects.all()
    assert entries(rebuilt) == before


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_csv_saved_with_commas_semicolons_or_tabs_imports_alike(ret, delimiter):
    header = ["framework", "contract", "supplier", "member", "measure", "financial_year"]
    rows = [
        [*header, "quantity", "status"],
        ["DEC", "DEC-001", "CRS", "LFH", "volunteering-days", YEAR.label, "1250.5", "draft"],
    ]
    text = "\n".join(delimiter.join(row) for row in rows) + "\n"
    assert delimiter_of(text) == delimiter
    import_text(ret.provider, text)
    assert ret.entries.get(measure=measure("volunteering-days")).quantity == D("1250.5")


def test_a_row_split_another_way_than_its_header_says_what_was_expected(ret):
    text = "framework|contract|supplier\nDEC,DEC-001,CRS\n"
    with pytest.raises(ImportRefused) as refused:
        parse_csv_text(text)
    assert "by commas, semicolons or tabs" in refused.value.problems[0].expected


def test_semicolons_in_the_cells_of_a_comma_separated_file_stay_in_their_cells(ret):
    header = "framework,contract,supplier,member,measure,financial_year,quantity,description"
    text = f'{header}\nDEC,DEC-001,CRS,LFH,donations,{YEAR.label},5,"tea; biscuits; cake"\n'
    assert delimiter_of(text) == ","
    import_text(ret.provider, text)
    assert ret.entries.filter(description="tea; biscuits; cake").exists()
