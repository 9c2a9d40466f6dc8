"""Every kind of bad row is reported with its row, column, value and what was expected."""

import pytest

from socialledger.contracts.tests.factories import make_contract
from socialledger.imports.reading import ImportRefused, parse_csv_text
from socialledger.imports.tests.helpers import HEADER, csv_text, problems_of
from socialledger.organisations.tests.factories import make_member, make_supplier
from socialledger.returns.models import Entry, Return


@pytest.fixture
def ledger(contract):
    return contract.framework.provider


GOOD = "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,4"


def only_problem(provider, *rows, header=HEADER):
    problems = problems_of(provider, csv_text(*rows, header=header))
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        ("XXX,DEC-001,CRS,LFH,jobs-created,2023-24,4", "framework", "not a framework of"),
        ("DEC,DEC-999,CRS,LFH,jobs-created,2023-24,4", "contract", "not a contract under DEC"),
        ("DEC,DEC-001,Nobody Ltd,LFH,jobs-created,2023-24,4", "supplier", "not a supplier of"),
        ("DEC,DEC-001,CRS,Nobody,jobs-created,2023-24,4", "member", "not a member of"),
        ("DEC,DEC-001,CRS,LFH,jobs-invented,2023-24,4", "measure", "not a measure code"),
        ("DEC,DEC-001,CRS,LFH,employment-outcomes,2023-24,4", "measure", "give those instead"),
        ("DEC,DEC-001,CRS,LFH,jobs-created,2023-25,4", "financial_year", "second year must follow"),
        (
            "DEC,DEC-001,CRS,LFH,jobs-created,last year,4",
            "financial_year",
            "is not a financial year",
        ),
        ("DEC,DEC-001,CRS,LFH,jobs-created,2023-24,four", "quantity", "write it in digits"),
        ("DEC,DEC-001,CRS,LFH,jobs-created,2023-24,-4", "quantity", "must not be negative"),
        ("DEC,DEC-001,CRS,LFH,jobs-created,2023-24,2.5", "quantity", "whole number of people"),
        (
            "DEC,DEC-001,CRS,LFH,volunteering-days,2023-24,1.23456",
            "quantity",
            "more than 4 decimal places",
        ),
        ("DEC,DEC-001,CRS,LFH,jobs-created,2023-24,", "quantity", "give a quantity in people"),
        (",DEC-001,CRS,LFH,jobs-created,2023-24,4", "framework", "must not be empty"),
        ("DEC,DEC-001,CRS,LFH,jobs-created,,4", "financial_year", "give the financial year"),
    ],
)
def test_a_bad_cell_is_named_with_row_column_value_and_expectation(ledger, row, column, expected):
    problem = only_problem(ledger, GOOD, row)
    assert (problem.row, problem.column) == (3, column)
    assert expected in problem.expected
    assert problem.value == dict(zip(HEADER.split(","), row.split(","), strict=True)).get(
        column, ""
    )


def test_a_contract_let_to_another_supplier_is_refused(ledger, provider):
    make_supplier(provider, "BWC")
    problem = only_problem(ledger, "DEC,DEC-001,BWC,LFH,jobs-created,2023-24,4")
    assert (problem.column, problem.expected) == (
        "supplier",
        "the contract is with Calder Retrofit Services (CRS)",
    )


def test_a_contract_with_another_member_is_refused(ledger, provider):
    make_member(provider, "WBC")
    assert only_problem(ledger, "DEC,DEC-001,CRS,WBC,jobs-created,2023-24,4").column == "member"


def test_suppliers_and_members_may_be_named_instead_of_referenced(ledger):
    text = csv_text("DEC,DEC-001,calder retrofit services,LARKFIELD HOMES,jobs-created,2023-24,4")
    assert problems_of_or_none(ledger, text) is None


def problems_of_or_none(provider, text):
    from socialledger.imports.tests.helpers import import_text

    try:
        import_text(provider, text)
    except ImportRefused as refused:
        return refused.problems
    return None


@pytest.mark.parametrize(
    ("header", "row", "column", "expected"),
    [
        (
            HEADER + ",hours",
            "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,4,overtime",
            "hours",
            "use one of: full-time, part-time",
        ),
        (
            HEADER + ",trade",
            "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,4,plumbing",
            "trade",
            "not broken down by trade",
        ),
        (
            HEADER + ",description",
            "DEC,DEC-001,CRS,LFH,donations,2023-24,500,",
            "description",
            "needs a description",
        ),
        (
            HEADER + ",status",
            "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,4,approved",
            "status",
            "draft, submitted or verified",
        ),
        (
            HEADER + ",person_key",
            "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,1,Jane Smith",
            "person_key",
            "never a name",
        ),
        (
            HEADER + ",description",
            "DEC,DEC-001,CRS,LFH,donations,2023-24,12.345,Raffle",
            "quantity",
            "more than 2 decimal places",
        ),
    ],
)
def test_breakdowns_descriptions_and_statuses_are_checked(ledger, header, row, column, expected):
    problem = only_problem(ledger, row, header=header)
    assert problem.column == column
    assert expected in problem.expected


def test_period_dates_must_lie_in_one_financial_year(ledger):
    header = "framework,contract,supplier,member,measure,period_start,period_end,quantity"
    problem = only_problem(
        ledger, "DEC,DEC-001,CRS,LFH,jobs-created,2024-01-01,2024-06-30,4", header=header
    )
    assert (problem.column, problem.row) == ("period_end", 2)
    assert "straddles two financial years" in problem.expected


def test_period_dates_and_year_must_agree(ledger):
    header = HEADER.replace("quantity", "period_start,period_end,quantity")
    problem = only_problem(
        ledger, "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,01/04/2022,30/06/2022,4", header=header
    )
    assert problem.expected == "the period given falls in 2022-23, not 2023-24"


def test_a_row_repeating_another_is_refused_rather_than_added(ledger):
    problem = only_problem(ledger, GOOD, "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,5")
    assert (problem.row, problem.expected.split(" (")[0]) == (3, "repeats row 2")


def test_one_return_cannot_be_given_two_statuses(ledger):
    header = HEADER + ",status"
    problem = only_problem(
        ledger,
        GOOD + ",verified",
        "DEC,DEC-001,CRS,LFH,jobs-sustained,2023-24,9,draft",
        header=header,
    )
    assert problem.column == "status"
    assert "one return has one status" in problem.expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("framework,contract,supplier,member,measure,financial_year", "this column is required"),
        (HEADER + ",colour", "not a column of the import format"),
        (
            "framework,contract,supplier,member,measure,quantity",
            "give financial_year, or period_start and period_end",
        ),
    ],
)
def test_a_bad_header_is_reported_before_any_row(ledger, header, expected):
    problems = problems_of(
        ledger, csv_text("DEC,DEC-001,CRS,LFH,jobs-created,2023-24", header=header)
    )
    assert any(p.row == 1 and expected in p.expected for p in problems)


def test_a_repeated_heading_is_refused(ledger):
    problems = problems_of(ledger, csv_text(GOOD + ",4", header=HEADER + ",quantity"))
    assert problems[0].expected == "this heading appears twice; keep one"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("   \n\n", "the file is empty"),
        (HEADER + "\n", "no rows of figures"),
    ],
)
def test_empty_files_are_refused(ledger, text, expected):
    assert expected in problems_of(ledger, text)[0].expected


def test_a_row_with_more_cells_than_headings_is_refused(ledger):
    with pytest.raises(ImportRefused) as refused:
        parse_csv_text(csv_text(GOOD + ",surprise"))
    assert "more cells than the 7 headings" in refused.value.problems[0].expected


def test_every_problem_in_the_file_is_listed_at_once(ledger):
    problems = problems_of(
        ledger,
        csv_text(
            "XXX,DEC-001,CRS,LFH,jobs-created,2023-24,4",
            GOOD,
            "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,-1",
            "DEC,DEC-001,CRS,LFH,nonsense,20x,abc",
        ),
    )
    assert [(p.row, p.column) for p in problems] == [
        (2, "framework"),
        (4, "quantity"),
        (5, "financial_year"),
        (5, "measure"),
        (5, "quantity"),
    ]
    assert Entry.objects.count() == 0
    assert Return.objects.count() == 0


def test_a_problem_reads_as_a_sentence(ledger):
    problem = only_problem(ledger, "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,-4")
    assert (
        str(problem)
        == 'row 2, column quantity: "-4" – Jobs created: the quantity must not be negative'
    )


def test_a_new_contract_needs_its_value_and_lot_when_created(ledger, framework):
    problems = problems_of(
        ledger, csv_text("DEC,DEC-777,CRS,LFH,jobs-created,2023-24,4"), create_missing=True
    )
    assert {(p.column, p.expected.split(";")[0]) for p in problems} == {
        ("lot", "DEC has 2 lots"),
        ("contract_value", "give the new contract's value in £ to create it"),
    }


def test_another_suppliers_contract_cannot_hide_in_a_new_one(ledger, framework, provider):
    other = make_supplier(provider, "BWC")
    make_contract(framework, "DEC-002", supplier=other)
    problem = only_problem(ledger, "DEC,DEC-002,CRS,LFH,jobs-created,2023-24,4")
    assert problem.column == "supplier"
