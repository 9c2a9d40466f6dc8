"""An import writes every row or none, never doubles a figure, and a dry run writes nothing."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from socialledger.audit.models import AuditEvent
from socialledger.contracts.models import Contract
from socialledger.imports.tests.helpers import HEADER, csv_text, import_text, problems_of
from socialledger.organisations.models import Organisation
from socialledger.returns.models import Entry, Return, Status
from socialledger.returns.tests.factories import make_return

ROWS = (
    "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,4",
    "DEC,DEC-001,CRS,LFH,jobs-sustained,2023-24,11",
    "DEC,DEC-001,CRS,LFH,apprenticeships-created,2022-23,2",
)


@pytest.fixture
def ledger(contract):
    return contract.framework.provider


def counts():
    return (
        Entry.objects.count(),
        Return.objects.count(),
        AuditEvent.objects.count(),
        Contract.objects.count(),
    )


def test_a_good_file_is_written_and_its_returns_submitted(ledger):
    summary = import_text(ledger, csv_text(*ROWS))
    assert (summary.rows, summary.added, summary.returns_opened, summary.returns_submitted) == (
        3,
        3,
        2,
        2,
    )
    assert set(Return.objects.values_list("financial_year", "status")) == {
        (2023, "submitted"),
        (2022, "submitted"),
    }


def test_one_bad_row_means_nothing_is_written(ledger):
    before = counts()
    problems_of(ledger, csv_text(*ROWS, "DEC,DEC-001,CRS,LFH,jobs-created,2021-22,lots"))
    assert counts() == before


def test_importing_the_same_file_twice_does_not_double_any_figure(ledger):
    import_text(ledger, csv_text(*ROWS, header=HEADER), create_missing=False)
    again = import_text(ledger, csv_text(*ROWS))
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    assert Entry.objects.count() == 3
    assert Entry.objects.get(measure__code="jobs-sustained").quantity == D(11)


def test_a_dry_run_counts_everything_and_writes_nothing(ledger):
    before = counts()
    summary = import_text(ledger, csv_text(*ROWS), dry_run=True)
    assert (summary.added, summary.dry_run) == (3, True)
    assert str(summary).startswith("Would import 3 rows. Entries: 3 added, 0 changed")
    assert counts() == before


def test_a_verified_return_is_not_changed_by_a_second_import(ledger, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 4)], status=Status.VERIFIED)
    problems = problems_of(ledger, csv_text("DEC,DEC-001,CRS,LFH,jobs-created,2023-24,5"))
    assert (
        "is verified; this row would change 4 to 5; reopen the return first" in problems[0].expected
    )
    assert Entry.objects.get().quantity == D(4)


def test_a_verified_return_with_the_same_figures_imports_as_unchanged(ledger, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 4)], status=Status.VERIFIED)
    summary = import_text(ledger, csv_text("DEC,DEC-001,CRS,LFH,jobs-created,2023-24,4"))
    assert (summary.added, summary.unchanged) == (0, 1)
    assert Return.objects.get().status == Status.VERIFIED


def test_figures_may_be_imported_as_verified(ledger):
    import_text(ledger, csv_text(ROWS[0] + ",verified", header=HEADER + ",status"))
    assert Return.objects.get().status == Status.VERIFIED
    assert (
        AuditEvent.objects.filter(action="return.verified", actor_label="system (import)").count()
        == 1
    )


def test_draft_figures_stay_in_a_draft_return(ledger):
    import_text(ledger, csv_text(ROWS[0] + ",draft", header=HEADER + ",status"))
    assert Return.objects.get().status == Status.DRAFT


def test_missing_organisations_and_contracts_are_created_on_request(ledger):
    header = HEADER + ",lot,contract_value,contract_title"
    row = (
        "DEC,DEC-050,Brightwell Construction Ltd,Westmere Borough Council,"
        'jobs-created,2023-24,7,2,"1,500,000",Boilers'
    )
    summary = import_text(ledger, csv_text(row, header=header), create_missing=True)
    assert (summary.contracts_created, summary.organisations_created) == (1, 2)
    contract = Contract.objects.get(reference="DEC-050")
    assert (contract.value, contract.lot.reference, contract.title) == (
        D(1_500_000),
        "2",
        "Boilers",
    )
    assert contract.supplier.reference == "BRIGHTWELL-CONSTRUCTION-LTD"
    assert Organisation.objects.filter(name="Westmere Borough Council", kind="member").exists()


def test_a_file_saved_by_excel_as_windows_1252_is_read(ledger, tmp_path):
    path = tmp_path / "figures.csv"
    text = csv_text(
        "DEC,DEC-001,CRS,LFH,donations,2023-24,£250,Café vouchers", header=HEADER + ",description"
    )
    path.write_bytes(text.encode("cp1252"))
    call_command("import", str(path))
    assert Entry.objects.get().description == "Café vouchers"


def test_the_command_line_lists_every_problem_and_fails(ledger, tmp_path, capsys):
    path = tmp_path / "broken.csv"
    path.write_text(
        csv_text(
            "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,-1",
            "XXX,DEC-001,CRS,LFH,jobs-created,2023-24,1",
        )
    )
    with pytest.raises(CommandError, match="2 problem\\(s\\) found; nothing was written"):
        call_command("import", str(path))
    err = capsys.readouterr().err
    assert 'row 2, column quantity: "-1"' in err
    assert 'row 3, column framework: "XXX"' in err
    assert Entry.objects.count() == 0


def test_the_command_line_dry_run_writes_nothing(ledger, tmp_path, capsys):
    path = tmp_path / "good.csv"
    path.write_text(csv_text(*ROWS))
    call_command("import", str(path), "--dry-run")
    assert "Would import 3 rows" in capsys.readouterr().out
    assert Entry.objects.count() == 0
