"""Large files are read row by row (a million rows never sit in memory at once), with the same
checks, the same problems and the same all-or-nothing writing as small ones."""

import pytest
import xlsxwriter
from django.db import connection

from socialledger.imports import reading
from socialledger.imports.actions import import_entries
from socialledger.imports.reading import ImportRefused, Rows, read_table
from socialledger.imports.tests.helpers import HEADER, csv_text
from socialledger.returns.models import Entry

ROWS = [f"DEC,DEC-001,CRS,LFH,jobs-created,2023-24,{n},person {n}" for n in range(1, 41)]
WITH_PEOPLE = HEADER + ",person_id"


@pytest.fixture(autouse=True)
def every_file_is_large(monkeypatch):
    monkeypatch.setattr(reading, "LARGE", 0)


@pytest.fixture
def ledger(contract):
    return contract.framework.provider


def test_a_large_csv_is_read_row_by_row_and_imported(ledger, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(csv_text(*ROWS, header=WITH_PEOPLE))
    table = read_table(path)
    assert isinstance(table.rows, Rows)
    summary = import_entries(ledger, table, by=None)
    assert (summary.rows, summary.added) == (40, 40)
    assert Entry.objects.count() == 40


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's queries name their indexes")
def test_a_large_import_plans_its_summaries_knowing_the_rows_it_has_just_written(
    ledger, tmp_path, monkeypatch
):
    # Uncommitted rows are invisible to autovacuum: without fresh statistics a million-row import
    # into a young ledger read every entry for each chunk of people it brought up to date.
    monkeypatch.setattr("socialledger.lib.batches.STATISTICS_STALE_AFTER", len(ROWS))
    path = tmp_path / "figures.csv"
    path.write_text(csv_text(*ROWS, header=WITH_PEOPLE))
    import_entries(ledger, read_table(path), by=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Entry._meta.db_table])
        (counted_by_planner,) = cursor.fetchone()
    assert counted_by_planner == Entry.objects.count() == len(ROWS)


def test_a_large_workbook_is_read_row_by_row_and_imported(ledger, tmp_path):
    path = tmp_path / "figures.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for number, line in enumerate([WITH_PEOPLE, *ROWS]):
        cells = line.split(",")
        sheet.write_row(number, 0, [float(c) if c.isdigit() else c for c in cells])
    book.close()
    table = read_table(path)
    assert isinstance(table.rows, Rows)
    assert import_entries(ledger, table, by=None).added == 40


def test_a_large_windows_1252_file_is_read_as_such(ledger, tmp_path):
    path = tmp_path / "figures.csv"
    text = csv_text(*ROWS, "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,1,Zoë", header=WITH_PEOPLE)
    path.write_bytes(text.encode("cp1252"))
    table = read_table(path)
    assert table.encoding == "windows-1252"
    assert import_entries(ledger, table, by=None).added == 41


def test_rows_that_do_not_fit_the_header_are_all_reported_and_nothing_is_written(ledger, tmp_path):
    path = tmp_path / "figures.csv"
    broken = [*ROWS[:3], ROWS[3] + ",surprise", *ROWS[4:10], ROWS[10] + ",again"]
    path.write_text(csv_text(*broken, header=WITH_PEOPLE))
    with pytest.raises(ImportRefused) as refused:
        import_entries(ledger, read_table(path), by=None)
    assert [(p.row, p.value) for p in refused.value.problems] == [(5, "surprise"), (12, "again")]
    assert not Entry.objects.exists()


def test_a_large_file_with_a_heading_twice_is_refused_before_any_row_is_read(ledger, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(csv_text(*ROWS, header=HEADER + ",quantity"))
    with pytest.raises(ImportRefused) as refused:
        read_table(path)
    assert "appears twice" in refused.value.problems[0].expected
