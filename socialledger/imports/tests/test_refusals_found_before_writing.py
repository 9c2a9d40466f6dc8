"""Whatever carrying an import out would refuse is found while its rows are checked, and said
against those rows: a return that cannot be submitted, a period that clashes with a return the
supplier has, a new contract that could not be created. A dry run says the same; nothing is
written, and nothing ends in a traceback."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from socialledger.contracts.tests.factories import make_contract
from socialledger.imports.tests.helpers import (
    HEADER,
    csv_text,
    import_text,
    ledger_counts,
    problems_of,
)
from socialledger.lib.periods import FinancialYear
from socialledger.returns.actions import open_return
from socialledger.rounds.tests.factories import make_round_return

YEAR = FinancialYear(2024)
ROW = f"DEC,DEC-001,CRS,LFH,jobs-created,{YEAR.label},4"


@pytest.fixture
def round_return(provider, framework, supplier, contract):
    """A 2024-25 round whose return covers two contracts, DEC-001 and DEC-002."""
    second = make_contract(framework, "DEC-002", supplier=supplier)
    return make_round_return(provider, [contract, second], YEAR)


@pytest.mark.parametrize("dry_run", [False, True])
def test_rows_that_would_submit_an_incomplete_return_are_each_refused(
    provider, round_return, dry_run
):
    before = ledger_counts()
    problems = problems_of(provider, csv_text(ROW), dry_run=dry_run)
    assert [(p.row, p.column) for p in problems] == [(2, "status")]
    assert "cannot be submitted yet" in problems[0].expected
    assert "DEC-002" in problems[0].expected
    assert ledger_counts() == before


def test_the_same_rows_as_draft_go_into_the_return(provider, round_return):
    import_text(provider, csv_text(f"{ROW},draft", header=f"{HEADER},status"))
    assert round_return.entries.count() == 1


def test_figures_for_every_contract_in_scope_may_submit_it(provider, round_return):
    other = ROW.replace("DEC-001", "DEC-002")
    import_text(provider, csv_text(ROW, other))
    round_return.refresh_from_db()
    assert round_return.status == "submitted"


def test_a_year_that_clashes_with_a_shorter_return_is_refused_on_its_row(
    provider, supplier, contract
):
    open_return(supplier, period_start=date(2024, 4, 1), period_end=date(2024, 9, 30), by=None)
    header = "framework,contract,supplier,member,measure,period_start,period_end,quantity"
    row = "DEC,DEC-001,CRS,LFH,jobs-created,2024-10-01,2024-12-31,4"
    problems = problems_of(provider, csv_text(row, header=header))
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.row, problem.column) == (2, "period_end")
    assert "already has a return for 01/04/2024–30/09/2024" in problem.expected


def test_a_new_contract_that_could_not_be_created_is_refused_on_its_row(provider, contract):
    header = (
        "framework,contract,supplier,member,measure,financial_year,quantity,"
        "lot,contract_value,contract_start,contract_end"
    )
    rows = [
        f"DEC,DEC-050,CRS,LFH,jobs-created,{YEAR.label},4,1,-5,2024-04-01,",
        f"DEC,DEC-051,CRS,LFH,jobs-created,{YEAR.label},4,1,500,2024-04-01,2023-04-01",
    ]
    problems = problems_of(provider, csv_text(*rows, header=header), create_missing=True)
    assert [(p.row, p.column) for p in problems] == [
        (2, "contract_value"),
        (3, "contract_end"),
    ]


def test_the_command_line_dry_run_lists_the_rows_instead_of_a_traceback(
    provider, round_return, tmp_path, capsys
):
    path = tmp_path / "figures.csv"
    path.write_text(csv_text(ROW))
    with pytest.raises(CommandError):
        call_command("import", str(path), "--dry-run")
    assert "cannot be submitted yet" in capsys.readouterr().err
