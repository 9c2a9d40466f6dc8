"""Importing OCDS release packages: frameworks, lots and call-off contracts, all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from socialledger.contracts.models import Contract, Framework
from socialledger.imports.actions import import_ocds_package
from socialledger.imports.reading import ImportRefused
from socialledger.imports.tests.ocds_packages import call_off_release, framework_release, package
from socialledger.organisations.models import Organisation
from socialledger.organisations.tests.factories import make_member, make_supplier


@pytest.fixture
def parties(provider):
    """The supplier and buyer of the packages, known by their public register numbers."""
    return {
        "supplier": make_supplier(provider, "FEH", companies_house_number="09900101"),
        "member": make_member(provider, "MHA", social_housing_number="L0099"),
    }


def problems_of(provider, content, **options) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        import_ocds_package(provider, content, by=None, **options)
    return [str(problem) for problem in refused.value.problems]


def test_it_creates_the_framework_its_lots_and_appointments(provider, parties):
    summary = import_ocds_package(provider, package(framework_release()), by=None)
    framework = Framework.objects.get(provider=provider, ocid="ocds-h6vhtk-0f1a01")
    assert (framework.reference, framework.name) == ("KRF", "Kestrel Retrofit Framework")
    assert (framework.starts_on, framework.ends_on) == (date(2024, 4, 1), date(2028, 3, 31))
    assert framework.value == Decimal(60000000)
    assert [lot.reference for lot in framework.lots.all()] == ["1", "2"]
    assert all(parties["supplier"] in lot.suppliers.all() for lot in framework.lots.all())
    assert (summary.frameworks_created, summary.lots_created) == (1, 2)


def test_it_lets_a_call_off_to_the_parties_its_identifiers_name(provider, parties):
    import_ocds_package(provider, package(framework_release(), call_off_release()), by=None)
    contract = Contract.objects.get(ocid="ocds-b5fd17-7c1e2a", ocds_id="KRF-MHA-001")
    assert (contract.member, contract.supplier) == (parties["member"], parties["supplier"])
    assert (contract.reference, contract.lot.reference) == ("KRF-MHA-001", "1")
    assert contract.value == Decimal(6400000)
    assert (contract.starts_on, contract.ends_on) == (date(2024, 6, 3), date(2026, 5, 29))


def test_it_matches_an_identifier_from_the_organisations_identifier_list(provider, parties):
    from socialledger.organisations.actions import add_identifier

    other = make_supplier(provider, "HIS")
    add_identifier(other, scheme="GB-PPON", value="PAAA-1111-BBBB", by=None)
    release = framework_release(suppliers=[("PAAA-1111-BBBB", "Harbour")])
    release["parties"][1]["identifier"]["scheme"] = "GB-PPON"
    release["parties"][1]["id"] = release["awards"][0]["suppliers"][0]["id"] = "GB-PPON-X"
    import_ocds_package(provider, package(release), by=None)
    assert other in Framework.objects.get(reference="KRF").lots.first().suppliers.all()


def test_it_names_the_place_of_an_organisation_the_ledger_does_not_know(provider):
    found = problems_of(provider, package(framework_release()))
    assert found == [
        'releases[0].parties[1].identifier: "Fellside Energy Homes Ltd" – a supplier registered '
        "with this identifier (GB-COH 09900101); add it, or import with --create-missing to "
        "register it"
    ]


def test_it_registers_missing_organisations_with_their_identifiers_on_request(provider):
    summary = import_ocds_package(
        provider, package(framework_release(), call_off_release()), by=None, create_missing=True
    )
    supplier = Organisation.objects.suppliers().get(provider=provider)
    assert supplier.name == "Fellside Energy Homes Ltd"
    assert supplier.reference == "FELLSIDE-ENERGY-HOMES-LTD"
    assert [str(i) for i in supplier.identifiers.all()] == ["GB-COH-09900101"]
    assert (
        Organisation.objects.members().get(provider=provider).name
        == "Moorcroft Housing Association"
    )
    assert (summary.organisations_created, summary.contracts_created) == (2, 1)


def test_every_bad_value_is_reported_with_its_path_and_what_was_expected(provider, parties):
    call_off = call_off_release(amount="lots", start="3 June 2024", lot="9")
    call_off["contracts"][0]["value"]["currency"] = "EUR"
    found = problems_of(provider, package(framework_release(), call_off))
    assert found == [
        'releases[1].awards[0].relatedLots: "9" – exactly one lot of the framework (1, 2)',
        'releases[1].contracts[0].period.startDate: "3 June 2024" – a date such as 2024-04-01 '
        "or 2024-04-01T00:00:00Z",
        'releases[1].contracts[0].value.currency: "EUR" – an amount in pounds sterling (GBP)',
    ]


def test_a_call_off_under_a_framework_nobody_knows_is_refused(provider, parties):
    found = problems_of(provider, package(call_off_release(framework="ocds-h6vhtk-999999")))
    assert found == [
        'releases[0].relatedProcesses[0].identifier: "ocds-h6vhtk-999999" – the ocid of a '
        "framework in this package or already in the ledger"
    ]


def test_nothing_is_written_when_any_release_has_a_problem(provider, parties):
    broken = call_off_release()
    del broken["contracts"][0]["period"]
    with pytest.raises(ImportRefused):
        import_ocds_package(provider, package(framework_release(), broken), by=None)
    assert not Framework.objects.exists()
    assert not Contract.objects.exists()


def test_a_dry_run_counts_and_writes_nothing(provider, parties):
    summary = import_ocds_package(
        provider, package(framework_release(), call_off_release()), by=None, dry_run=True
    )
    assert (summary.frameworks_created, summary.contracts_created) == (1, 1)
    assert not Contract.objects.exists()


def test_importing_the_same_package_again_updates_and_never_duplicates(provider, parties):
    import_ocds_package(provider, package(framework_release(), call_off_release()), by=None)
    again = import_ocds_package(
        provider,
        package(framework_release(), call_off_release(amount=Decimal("6550000.50"))),
        by=None,
    )
    assert Contract.objects.count() == 1
    assert Contract.objects.get().value == Decimal("6550000.50")
    assert (again.contracts_created, again.contracts_updated) == (0, 1)
    assert (again.frameworks_created, again.lots_created) == (0, 0)


def test_a_re_import_may_not_move_a_contract_to_another_supplier(provider, parties):
    make_supplier(provider, "HIS", companies_house_number="09900102")
    import_ocds_package(provider, package(framework_release(), call_off_release()), by=None)
    moved = call_off_release(supplier=("09900102", "Harbour Insulation Services Ltd"))
    found = problems_of(provider, package(moved))
    assert found == [
        "releases[0].contracts[0] – the same supplier as contract KRF-MHA-001 has in the ledger "
        "(Supplier FEH); the package names Supplier HIS"
    ]


def test_the_changes_are_in_the_audit_log_as_an_import(provider, parties):
    from socialledger.audit.models import AuditEvent

    import_ocds_package(provider, package(framework_release(), call_off_release()), by=None)
    created = AuditEvent.objects.filter(action="contract.created").get()
    assert created.actor_label == "system (import)"


def test_it_names_text_no_database_can_store_instead_of_failing_halfway(provider, parties):
    release = framework_release()
    release["tender"]["title"] = "Kestrel\x00Retrofit"
    release["parties"][1]["address"] = {"locality": "Kendal\ud800"}
    assert problems_of(provider, package(release)) == [
        'releases[0].parties[1].address.locality: "Kendal\ufffd" – text without a NUL character '
        "(\\u0000) or half a surrogate pair (\\ud800)",
        'releases[0].tender.title: "Kestrel\ufffdRetrofit" – text without a NUL character '
        "(\\u0000) or half a surrogate pair (\\ud800)",
    ]
    assert not Framework.objects.exists()


def test_it_names_an_identifier_or_amount_too_large_to_keep(provider):
    release = framework_release()
    release["parties"][1]["identifier"]["id"] = "9" * 101
    release["tender"]["value"]["amount"] = Decimal("1e14")
    found = problems_of(provider, package(release), create_missing=True)
    assert [problem.split(":")[0] for problem in found] == [
        "releases[0].parties[1].identifier.id",
        "releases[0].tender.value.amount",
    ]
    assert found[1].endswith("– an amount in pounds from 0 to 10,000,000,000,000")
    assert not Organisation.objects.suppliers().filter(provider=provider).exists()
