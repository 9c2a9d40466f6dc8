"""The set-up file: frameworks, lots and their suppliers, members and suppliers, contracts,
commitments and spend from one CSV, through the same actions as the pages; every problem of
every row is listed with its row and column, and then nothing at all is written."""

from decimal import Decimal
from pathlib import Path

import pytest

from socialledger.audit.models import AuditEvent
from socialledger.contracts.models import Commitment, Contract, Framework, Lot, Spend
from socialledger.imports.reading import ImportRefused, parse_csv_text, read_csv
from socialledger.imports.setup import import_setup_file
from socialledger.organisations.models import Organisation

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"
HEADER = "record,framework,lot,contract,reference,name,kind,title,member,supplier,suppliers,value,starts_on,ends_on\n"  # noqa: E501


def table(*rows: str):
    return parse_csv_text(HEADER + "\n".join(rows) + "\n")


def counts() -> tuple[int, ...]:
    models = (Organisation, Framework, Lot, Contract, Commitment, Spend, AuditEvent)
    return tuple(model.objects.count() for model in models)


def test_the_sample_sets_up_a_provider_from_nothing(provider, olivia_officer):
    summary = import_setup_file(provider, read_csv(SAMPLES / "setup-sample.csv"), by=olivia_officer)
    assert summary.created["contract"] == 2
    contract = Contract.objects.get(reference="DEC-001")
    assert (contract.member.reference, contract.supplier.reference) == ("LFH", "CRS")
    assert contract.commitments.get().target_quantity == Decimal(20)
    assert sum(s.amount for s in contract.spend.all()) == Decimal(800_000)
    lot = Lot.objects.get(framework__reference="DEC", reference="1")
    assert sorted(s.reference for s in lot.suppliers.all()) == ["BWC", "CRS"]
    assert Commitment.objects.filter(framework__reference="DEC").get().quantity == 40
    assert AuditEvent.objects.filter(actor=olivia_officer, action="contract.created").count() == 2


def test_importing_the_sample_again_changes_nothing(provider, olivia_officer):
    sample = read_csv(SAMPLES / "setup-sample.csv")
    import_setup_file(provider, sample, by=olivia_officer)
    before = counts()
    again = import_setup_file(provider, sample, by=olivia_officer)
    assert not any(again.created.values())
    assert not any(again.changed.values())
    assert counts() == before


def test_a_dry_run_counts_and_writes_nothing(provider, olivia_officer):
    before = counts()
    summary = import_setup_file(
        provider, read_csv(SAMPLES / "setup-sample.csv"), by=olivia_officer, dry_run=True
    )
    assert summary.created["framework"] == 1
    assert counts() == before


def test_the_broken_sample_lists_every_problem_with_its_row_and_column_and_writes_nothing(
    provider, olivia_officer
):
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        import_setup_file(provider, read_csv(SAMPLES / "setup-broken.csv"), by=olivia_officer)
    found = [(p.row, p.column) for p in refused.value.problems]
    assert found == [
        (2, "kind"),
        (4, "ends_on"),
        (6, "suppliers"),
        (7, "value"),
        (8, "measure"),
        (9, "basis"),
        (10, "period_end"),
        (11, "record"),
    ]
    assert counts() == before


def test_a_row_the_file_changes_is_changed_through_the_action_with_before_and_after(
    provider, olivia_officer, framework
):
    import_setup_file(
        provider,
        table("framework,,,,DEC,Decarbonisation 2,,,,,,,2020-04-01,2028-03-31"),
        by=olivia_officer,
    )
    framework.refresh_from_db()
    assert framework.name == "Decarbonisation 2"
    event = AuditEvent.objects.get(action="framework.changed")
    assert event.after == {"name": "Decarbonisation 2"}


def test_a_contract_the_file_gives_to_another_supplier_is_refused(
    provider, olivia_officer, contract
):
    other = Organisation.objects.create(
        kind="supplier", provider=provider, reference="OTH", name="Other"
    )
    contract.lot.suppliers.add(other)
    with pytest.raises(ImportRefused) as refused:
        import_setup_file(
            provider,
            table("contract,DEC,1,,DEC-001,,,Contract DEC-001,LFH,OTH,,2000000,2021-04-01,"),
            by=olivia_officer,
        )
    (problem,) = refused.value.problems
    assert (problem.row, problem.column) == (2, "supplier")
    assert Contract.objects.get(pk=contract.pk).supplier.reference == "CRS"


def test_a_supplier_not_on_the_lot_and_unknown_names_are_each_reported(
    provider, olivia_officer, framework, member, supplier
):
    with pytest.raises(ImportRefused) as refused:
        import_setup_file(
            provider,
            table(
                "contract,DEC,1,,DEC-009,,,Retrofit,LFH,CRS,,1000,2024-04-01,",
                "contract,NOPE,1,,X-1,,,Retrofit,LFH,CRS,,1000,2024-04-01,",
                "contract,DEC,1,,X-2,,,Retrofit,NOBODY,CRS,,1000,2024-04-01,",
            ),
            by=olivia_officer,
        )
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (2, "supplier"),
        (3, "framework"),
        (4, "member"),
    ]
    assert "not appointed" in refused.value.problems[0].expected
    assert not Contract.objects.exists()


def test_another_providers_records_are_never_found(provider, olivia_officer, other_provider):
    from socialledger.contracts.tests.factories import make_framework

    make_framework(other_provider, "OTHER")
    with pytest.raises(ImportRefused) as refused:
        import_setup_file(provider, table("lot,OTHER,,,9,New lot,,,,,,,,"), by=olivia_officer)
    assert refused.value.problems[0].column == "framework"


def test_a_file_with_an_unknown_column_is_refused_before_any_row(provider, olivia_officer):
    with pytest.raises(ImportRefused) as refused:
        import_setup_file(
            provider, parse_csv_text("record,colour\nframework,red\n"), by=olivia_officer
        )
    assert [(p.row, p.column) for p in refused.value.problems] == [(1, "colour")]
