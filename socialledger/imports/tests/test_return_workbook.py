"""The return as a workbook: downloaded, filled in offline, uploaded back; every cell checked,
nothing written unless all is well, and a clean upload replaces the figures (no doubling)."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from socialledger.contracts.models import Spend
from socialledger.contracts.tests.factories import make_contract
from socialledger.imports.actions import import_return_workbook, return_workbook
from socialledger.imports.reading import ImportRefused
from socialledger.returns.models import Entry, Status
from socialledger.rounds.actions import open_round


@pytest.fixture
def ret(provider, framework, supplier, contract):
    second = make_contract(framework, "DEC-002", supplier=supplier)
    for c in (contract, second):
        Spend.objects.create(contract=c, period_end=date(2025, 3, 31), amount=D(300_000))
    round_ = open_round(
        provider,
        name="2024-25",
        period_start=date(2024, 4, 1),
        period_end=date(2025, 3, 31),
        opens_on=date(2025, 5, 1),
        closes_on=date(2025, 6, 30),
        by=None,
    )
    return round_.returns.get()


def book_of(ret):
    return load_workbook(io.BytesIO(return_workbook(ret)))


def headings(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1]}


def fill(book, rows: list[dict]):
    """Write rows into the Figures sheet: on the prefilled row for their contract and measure
    when it is still empty, else on the first blank row."""
    sheet = book["Figures"]
    cols = headings(sheet)
    for values in rows:
        target = None
        for row in range(2, sheet.max_row + 1):
            contract, measure = (
                sheet.cell(row, cols["Contract"]).value,
                sheet.cell(row, cols["Measure"]).value,
            )
            empty = sheet.cell(row, cols["Quantity"]).value is None
            if empty and (
                (contract, measure) == (values["Contract"], values["Measure"]) or contract is None
            ):
                target = row
                break
        for heading, value in values.items():
            sheet.cell(target, cols[heading], value)
    return book


def upload(book, name="return.xlsx"):
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def test_the_workbook_has_instructions_locked_headings_lists_and_hidden_ids(ret):
    book = book_of(ret)
    assert book.sheetnames == ["Instructions", "Lists", "Figures", "Contracts", "About"]
    assert (book["Lists"].sheet_state, book["About"].sheet_state) == ("veryHidden", "veryHidden")
    figures = book["Figures"]
    assert figures.protection.sheet
    assert figures["A1"].protection.locked
    cols = headings(figures)
    assert figures.cell(2, cols["Quantity"]).protection.locked is False
    assert figures.column_dimensions[
        figures.cell(1, cols["contract id (do not change)"]).column_letter
    ].hidden
    listed = {str(v.sqref).split(":")[0][0] for v in figures.data_validations.dataValidation}
    assert {
        figures.cell(1, cols["Measure"]).column_letter,
        figures.cell(1, cols["Full or part time"]).column_letter,
    } <= listed
    rows = {
        (figures.cell(r, cols["Contract"]).value, figures.cell(r, cols["Measure"]).value)
        for r in range(2, 30)
    }
    assert ("DEC-001", "Jobs created") in rows
    assert ("DEC-002", "Donations of money and materials") in rows


def test_a_filled_workbook_replaces_the_returns_figures(ret, cara_contributor):
    book = fill(
        book_of(ret),
        [
            {
                "Contract": "DEC-001",
                "Measure": "Jobs created",
                "Quantity": 7,
                "Full or part time": "Full-time",
            },
            {
                "Contract": "DEC-001",
                "Measure": "Jobs created",
                "Quantity": 2,
                "Full or part time": "Part-time",
            },
            {
                "Contract": "DEC-002",
                "Measure": "Donations of money and materials",
                "Quantity": 250.5,
                "Money or materials": "Money",
                "Description": "Food bank",
            },
        ],
    )
    summary = import_return_workbook(ret, upload(book), by=cara_contributor)
    assert summary.added == 3
    assert sorted(
        Entry.objects.values_list("contract__reference", "breakdown_key", "quantity")
    ) == [
        ("DEC-001", "hours=full-time", D(7)),
        ("DEC-001", "hours=part-time", D(2)),
        ("DEC-002", "donation-type=money", D("250.5")),
    ]
    again = import_return_workbook(ret, upload(book_of(ret)), by=cara_contributor)
    assert (again.added, again.removed, again.unchanged) == (0, 0, 3)
    assert Entry.objects.count() == 3


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        (
            {"Contract": "DEC-001", "Measure": "Jobs created", "Quantity": "ten"},
            "Quantity",
            "a number",
        ),
        (
            {"Contract": "DEC-001", "Measure": "Jobs created", "Quantity": -1},
            "Quantity",
            "must not be negative",
        ),
        (
            {"Contract": "DEC-001", "Measure": "Jobs created", "Quantity": 1.5},
            "Quantity",
            "whole number",
        ),
        (
            {"Contract": "DEC-999", "Measure": "Jobs created", "Quantity": 1},
            "Contract",
            "one of this return's contracts",
        ),
        (
            {"Contract": "DEC-001", "Measure": "Happiness", "Quantity": 1},
            "Measure",
            "drop-down list",
        ),
        (
            {
                "Contract": "DEC-001",
                "Measure": "Jobs created",
                "Quantity": 1,
                "Full or part time": "Overtime",
            },
            "Full or part time",
            "use one of",
        ),
        (
            {"Contract": "DEC-001", "Measure": "Donations of money and materials", "Quantity": 10},
            "Description",
            "needs a description",
        ),
    ],
)
def test_a_broken_workbook_is_refused_cell_by_cell_and_nothing_is_written(
    ret, cara_contributor, row, column, expected
):
    with pytest.raises(ImportRefused) as refused:
        import_return_workbook(ret, upload(fill(book_of(ret), [row])), by=cara_contributor)
    problem = refused.value.problems[0]
    assert problem.sheet == "Figures"
    assert problem.row >= 2
    assert column in problem.column
    assert expected in problem.expected
    assert not Entry.objects.exists()


def test_a_workbook_for_another_return_is_refused(ret, provider, framework, cara_contributor):
    from socialledger.organisations.tests.factories import make_supplier

    other = make_supplier(provider, "BWC")
    theirs_contract = make_contract(framework, "DEC-050", supplier=other)
    Spend.objects.create(contract=theirs_contract, period_end=date(2025, 3, 31), amount=D(1))
    from socialledger.returns.actions import open_year_return

    theirs = open_year_return(other, provider.financial_year(2024).previous, by=None)
    with pytest.raises(ImportRefused, match="1 problem"):
        import_return_workbook(ret, upload(book_of(theirs)), by=cara_contributor)


def test_a_nil_return_can_be_given_on_the_contracts_sheet(ret, cara_contributor):
    book = fill(book_of(ret), [{"Contract": "DEC-001", "Measure": "Jobs created", "Quantity": 3}])
    contracts = book["Contracts"]
    contracts["D3"], contracts["E3"] = "Yes", "Works paused for the year"
    import_return_workbook(ret, upload(book), by=cara_contributor)
    nil = {s.contract.reference: (s.nil, s.nil_reason) for s in ret.scope.all()}
    assert nil == {"DEC-001": (False, ""), "DEC-002": (True, "Works paused for the year")}


def test_the_web_upload_lists_every_problem_and_keeps_the_figures(client, ret, cara_contributor):
    client.force_login(cara_contributor)
    good = fill(book_of(ret), [{"Contract": "DEC-001", "Measure": "Jobs created", "Quantity": 3}])
    client.post(f"/returns/{ret.pk}/workbook/", {"workbook": upload(good)})
    bad = fill(
        book_of(ret),
        [
            {"Contract": "DEC-002", "Measure": "Jobs created", "Quantity": "many"},
            {"Contract": "DEC-002", "Measure": "Jobs sustained", "Quantity": -4},
        ],
    )
    response = client.post(f"/returns/{ret.pk}/workbook/", {"workbook": upload(bad)}, follow=True)
    page = response.content.decode()
    assert "The file has 2 problems; nothing was written" in page
    assert "<td>Figures</td>" in page  # each with its sheet, row and column
    assert list(Entry.objects.values_list("quantity", flat=True)) == [D(3)]


def test_a_good_web_upload_says_what_it_changed_and_leads_back_to_the_return(
    client, ret, cara_contributor
):
    client.force_login(cara_contributor)
    good = fill(book_of(ret), [{"Contract": "DEC-001", "Measure": "Jobs created", "Quantity": 3}])
    page = client.post(
        f"/returns/{ret.pk}/workbook/", {"workbook": upload(good)}, follow=True
    ).content.decode()
    assert "The workbook was read: 1 figures added, 0 changed, 0 removed, 0 unchanged." in page
    assert f'href="/returns/{ret.pk}/"' in page


def test_a_file_that_is_not_a_workbook_is_refused_clearly(client, ret, cara_contributor):
    client.force_login(cara_contributor)
    response = client.post(
        f"/returns/{ret.pk}/workbook/",
        {"workbook": SimpleUploadedFile("return.xlsx", b"not a zip")},
        follow=True,
    )
    assert "not a readable Excel workbook" in response.content.decode()


def test_the_command_line_writes_and_reads_the_same_workbook(ret, tmp_path, capsys):
    path = tmp_path / "crs.xlsx"
    call_command("template", "--supplier", "CRS", "--year", "2024-25", "-o", str(path))
    book = fill(
        load_workbook(path), [{"Contract": "DEC-002", "Measure": "Jobs sustained", "Quantity": 11}]
    )
    book.save(path)
    call_command("import", str(path))
    assert "Replaced the figures of" in capsys.readouterr().out
    assert Entry.objects.get().quantity == D(11)
    with pytest.raises(CommandError, match="has no return for 2019-20"):
        call_command("template", "--supplier", "CRS", "--year", "2019-20", "-o", str(path))


def test_a_submitted_return_refuses_an_upload(ret, cara_contributor):
    from socialledger.returns.actions import TransitionError, set_nil_return, submit_return

    for scoped in ret.scope.all():
        set_nil_return(ret, scoped.contract, nil=True, reason="Nothing", by=None)
    submit_return(ret, by=None)
    with pytest.raises(TransitionError):
        import_return_workbook(ret, upload(book_of(ret)), by=cara_contributor)
    ret.refresh_from_db()
    assert ret.status == Status.SUBMITTED
