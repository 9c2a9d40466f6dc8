"""Exporting contracts as OCDS: valid against the shipped schemas, commitments and delivery as
metrics, and a package that imports back as the same contracts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from socialledger.contracts.actions import set_commitment
from socialledger.contracts.models import Contract
from socialledger.imports.actions import import_ocds_package
from socialledger.imports.ocds import read_package
from socialledger.imports.ocds_export import ocds_release_package, package_json
from socialledger.imports.ocds_schemas import release_schemas
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_provider
from socialledger.reports.queries import Scope
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return, measure

YEAR = FinancialYear(2023)


def validator() -> Draft4Validator:
    package_schema, release_schema = release_schemas()
    resource = Resource.from_contents(release_schema, default_specification=DRAFT4)
    registry = Registry().with_resource(release_schema["id"], resource)
    return Draft4Validator(package_schema, registry=registry)


def schema_errors(content: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(content)]


@pytest.fixture
def delivered(provider, contract, supplier):
    """A commitment on the contract, 4 jobs verified in 2023-24 and 2 more reported since."""
    set_commitment(
        provider,
        measure=measure("jobs-created"),
        financial_year=2023,
        quantity=Decimal(10),
        contract=contract,
        by=None,
    )
    make_return(supplier, [(contract, "jobs-created", 4)], year=YEAR)
    make_return(supplier, [(contract, "jobs-created", 2)], year=YEAR.next, status=Status.SUBMITTED)
    return contract


def exported(provider, year=None) -> dict:
    """The package as a file would hold it: written as JSON and read back."""
    import json

    return json.loads(package_json(ocds_release_package(Scope(provider), year)))


def test_the_export_is_valid_against_the_ocds_schemas_and_the_metrics_extension(
    provider, delivered
):
    assert schema_errors(exported(provider)) == []


def test_the_schema_check_would_catch_a_broken_metric(provider, delivered):
    broken = exported(provider)
    metric = broken["releases"][1]["contracts"][0]["implementation"]["metrics"][0]
    metric["observations"][0]["id"] = 7
    assert len(schema_errors(broken)) == 1


def test_commitments_are_agreed_metrics(provider, delivered):
    contract = exported(provider, YEAR)["releases"][1]["contracts"][0]
    (metric,) = contract["agreedMetrics"]
    assert metric["id"] == "jobs-created"
    assert metric["observations"] == [
        {
            "id": "jobs-created-2023-24-target",
            "period": {"startDate": "2023-04-01T00:00:00Z", "endDate": "2024-03-31T23:59:59Z"},
            "measure": 10,
            "unit": {"scheme": "UNCEFACT", "id": "IE", "name": "people"},
        }
    ]


def test_delivery_is_implementation_metrics_with_verified_and_reported_kept_apart(
    provider, delivered
):
    contract = exported(provider)["releases"][1]["contracts"][0]
    jobs = next(m for m in contract["implementation"]["metrics"] if m["id"] == "jobs-created")
    shown = [
        (o["id"], o["dimensions"]["basis"], o["measure"], o["notes"][:9])
        for o in jobs["observations"]
    ]
    assert shown == [
        ("jobs-created-2023-24-verified", "verified", 4, "Verified:"),
        ("jobs-created-2023-24-reported", "reported", 4, "Reported:"),
        ("jobs-created-2024-25-verified", "verified", 0, "Verified:"),
        ("jobs-created-2024-25-reported", "reported", 2, "Reported:"),
    ]


def test_a_year_limits_the_contracts_and_figures(provider, delivered, framework):
    from datetime import date

    from socialledger.contracts.tests.factories import make_contract

    make_contract(framework, "DEC-OLD", starts_on=date(2019, 4, 1), ends_on=date(2020, 3, 31))
    releases = exported(provider, YEAR)["releases"]
    assert [r["contracts"][0]["id"] for r in releases if "contracts" in r] == ["DEC-001"]


def test_an_exported_package_imports_as_the_same_contracts(provider, delivered, tmp_path):
    path = tmp_path / "package.json"
    path.write_text(package_json(ocds_release_package(Scope(provider))), encoding="utf-8")
    elsewhere = make_provider("NWPP2", "Northway again")
    summary = import_ocds_package(elsewhere, read_package(path), by=None, create_missing=True)
    assert summary.contracts_created == 1
    assert described(Contract.objects.for_provider(elsewhere)) == described(
        Contract.objects.for_provider(provider)
    )
    again = import_ocds_package(elsewhere, read_package(path), by=None)
    assert (again.contracts_created, again.contracts_unchanged) == (0, 1)


def test_re_importing_an_export_into_the_same_ledger_changes_nothing_but_the_ocds_ids(
    provider, delivered
):
    summary = import_ocds_package(provider, exported(provider), by=None)
    assert (summary.contracts_created, summary.organisations_created) == (0, 0)
    assert Contract.objects.get().ocid == "ocds-socialledger-NWPP-DEC-DEC-001"
    assert import_ocds_package(provider, exported(provider), by=None).contracts_unchanged == 1


def described(contracts) -> list[tuple]:
    return [
        (
            c.framework.reference,
            c.lot.reference,
            c.reference,
            c.title,
            c.value,
            c.starts_on,
            c.ends_on,
            c.member.reference,
            c.member.name,
            c.supplier.reference,
            c.supplier.name,
        )
        for c in contracts.order_by("reference")
    ]
