"""A value-set import checks every row first, then stores all of them as a new version, or none."""

import zipfile
from decimal import Decimal as D

import pytest

from socialledger.imports.actions import import_value_set
from socialledger.imports.reading import ImportRefused, Problem, parse_csv_text, read_table
from socialledger.valuation.models import ValueSet, ValueSetChoice

HEADER = "measure,central,low,high,price_year,source,licence,deadweight,duration_years\n"
GOOD = HEADER + (
    "jobs-created,100,80,130,2023-24,TEST VALUE,Test,20%,1\ndonations,1,,,,Face value,n/a,,\n"
)


def load(provider, text, **options):
    return import_value_set(
        provider, parse_csv_text(text), code="mine", name="My set", by=None, **options
    )


def test_it_stores_every_row_as_a_new_version(provider):
    value_set = load(provider, GOOD)
    jobs = value_set.values.get(measure__code="jobs-created")
    assert (jobs.low, jobs.central, jobs.high, jobs.deadweight) == (D(80), D(100), D(130), D("0.2"))
    assert value_set.values.get(measure__code="donations").price_year is None
    assert load(provider, GOOD).version == 2


def test_with_a_reason_to_choose_it_switches_the_provider_to_it(provider):
    value_set = load(provider, GOOD, choose_reason="Our licensed set")
    assert ValueSetChoice.objects.in_force(provider).value_set == value_set


def test_a_dry_run_it_checks_everything_and_stores_nothing(provider):
    load(provider, GOOD, dry_run=True)
    assert not ValueSet.objects.filter(provider=provider).exists()


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            "nonsense,100,,,2023-24,S,L,,",
            Problem(2, "measure", "nonsense", "a measure code such as jobs-created"),
        ),
        (
            "jobs-created,lots,,,2023-24,S,L,,",
            Problem(2, "central", "lots", "£ per unit, e.g. 5980 or 5,980.50"),
        ),
        (
            "jobs-created,100,120,,2023-24,S,L,,",
            Problem(2, "low", "120 / 100 / 100", "low ≤ central ≤ high"),
        ),
        (
            "jobs-created,100,,,,S,L,,",
            Problem(
                2,
                "price_year",
                "",
                "the financial year of the value's prices, e.g. 2019-20 "
                "(only a £ measure may be valued at face value)",
            ),
        ),
        (
            "jobs-created,100,,,1990-91,S,L,,",
            Problem(
                2, "price_year", "1990-91", "a year the GDP deflator covers: 2000-01 to 2024-25"
            ),
        ),
        (
            "jobs-created,100,,,2023-24,S,L,100%,",
            Problem(2, "deadweight", "100%", "a share from 0 to under 1, e.g. 0.2 or 20%"),
        ),
        (
            "jobs-created,100,,,2023-24,S,L,,0",
            Problem(2, "duration_years", "0", "whole years from 1 to 50"),
        ),
        ("jobs-created,100,,,2023-24,S,,,", Problem(2, "licence", "", "give the value's licence")),
        (
            "employment-outcomes,100,,,2023-24,S,L,,",
            Problem(
                2,
                "measure",
                "employment-outcomes",
                "a counted measure; a derived total is valued through its components, "
                "so valuing it too would count twice",
            ),
        ),
    ],
)
def test_a_bad_row_it_names_row_column_value_and_expectation_and_stores_nothing(
    provider, row, problem
):
    with pytest.raises(ImportRefused) as refused:
        load(provider, HEADER + "donations,1,,,,Face value,n/a,,\n" + row + "\n")
    assert Problem(3, problem.column, problem.value, problem.expected) in refused.value.problems
    assert not ValueSet.objects.filter(provider=provider).exists()


def test_a_measure_twice_it_refuses_the_repeat(provider):
    with pytest.raises(ImportRefused) as refused:
        load(provider, GOOD + "jobs-created,100,,,2023-24,S,L,,\n")
    assert refused.value.problems[0].expected == "one row per measure; row 2 already values it"


def test_an_unknown_column_it_refuses_before_reading_rows(provider):
    with pytest.raises(ImportRefused) as refused:
        load(provider, "measure,central,source,licence,colour\njobs-created,1,S,L,red\n")
    assert refused.value.problems[0].column == "colour"


PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _part(name: str, body: str) -> tuple[str, str]:
    return name, '<?xml version="1.0"?>' + body


def _relationship(kind: str, target: str) -> str:
    return (
        f'<Relationships xmlns="{PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{OFFICE}/{kind}" Target="{target}"/></Relationships>'
    )


def _cell(ref: str, value) -> str:
    if isinstance(value, float | int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def write_xlsx(path, rows) -> None:
    """A minimal workbook, written by hand so the test needs no spreadsheet-writing library."""
    sheet_rows = "".join(
        f'<row r="{r}">'
        + "".join(_cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    types = (
        f'<Types xmlns="{PACKAGE}/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{MAIN}.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{MAIN}.worksheet+xml"/></Types>'
    )
    workbook = (
        f'<workbook xmlns="{SHEET_NS}" xmlns:r="{OFFICE}">'
        '<sheets><sheet name="Values" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    parts = [
        _part("[Content_Types].xml", types),
        _part("_rels/.rels", _relationship("officeDocument", "xl/workbook.xml")),
        _part("xl/workbook.xml", workbook),
        _part("xl/_rels/workbook.xml.rels", _relationship("worksheet", "worksheets/sheet1.xml")),
        _part(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{SHEET_NS}"><sheetData>{sheet_rows}</sheetData></worksheet>',
        ),
    ]
    with zipfile.ZipFile(path, "w") as book:
        for name, body in parts:
            book.writestr(name, body)


def test_an_xlsx_file_it_reads_numbers_as_typed_and_checks_them_the_same_way(tmp_path, provider):
    path = tmp_path / "values.xlsx"
    write_xlsx(
        path,
        [
            ["measure", "central", "price_year", "source", "licence", "deadweight"],
            ["jobs-created", 5980, "2019-20", "TEST VALUE", "Test", 0.2],
        ],
    )
    table = read_table(path)
    assert table.rows[0][1]["deadweight"] == "0.2"
    value_set = import_value_set(provider, table, code="x", name="X", by=None)
    assert value_set.values.get().deadweight == D("0.2")


def test_the_figures_import_it_points_a_value_set_file_to_import_values(tmp_path, provider):
    from django.core.management import CommandError, call_command

    path = tmp_path / "values.csv"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(CommandError, match="import_values"):
        call_command("import", str(path))
    assert not ValueSet.objects.filter(provider=provider).exists()
