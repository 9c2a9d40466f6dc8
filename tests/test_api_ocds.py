"""OCDS through the API: a provider admin posts a release package and its frameworks, lots and
contracts are imported all or nothing, each problem named by its place in the JSON; anyone
exports the contracts they may see as a package valid against the shipped OCDS schemas."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_token, make_user
from socialledger.audit.models import AuditEvent
from socialledger.contracts.models import Contract, Framework
from socialledger.contracts.tests.factories import make_contract
from socialledger.imports.ocds_export import package_json
from socialledger.imports.tests.ocds_packages import call_off_release, framework_release, package
from socialledger.imports.tests.test_ocds_export import delivered, schema_errors  # noqa: F401
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.models import Organisation
from socialledger.organisations.tests.factories import make_member
from tests.api_helpers import ApiClient
from tests.test_api import error_of

SAMPLE = Path(__file__).resolve().parent.parent / "docs" / "samples" / "ocds-framework.json"
YEAR = FinancialYear(2023)


@pytest.fixture
def ada(provider) -> ApiClient:
    """A provider admin's read-and-write token."""
    return ApiClient(make_token(make_user("ada", provider, Role.PROVIDER_ADMIN)))


def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def as_posted(content: dict) -> dict:
    """A package built with exact amounts, as a program would send it: plain JSON."""
    return json.loads(package_json(content))


def ledger_contents() -> tuple[int, int, int]:
    return Framework.objects.count(), Contract.objects.count(), Organisation.objects.count()


def test_the_sample_package_imports_and_importing_again_changes_nothing(ada, provider):
    answer = ada.post("/imports/ocds?create_missing=true", sample())
    assert answer.status_code == 200
    summary = answer.json()
    assert (summary["releases"], summary["frameworks_created"], summary["lots_created"]) == (
        2,
        1,
        2,
    )
    assert (summary["contracts_created"], summary["organisations_created"]) == (1, 3)
    assert summary["summary"].startswith("Imported 2 releases.")
    contract = Contract.objects.get(ocid="ocds-b5fd17-7c1e2a")
    assert (contract.reference, contract.supplier.name, contract.member.name) == (
        "KRF-MHA-001",
        "Fellside Energy Homes Ltd",
        "Moorcroft Housing Association",
    )
    assert contract.framework.provider == provider
    assert AuditEvent.objects.get(action="contract.created").actor_label == "ada (api)"
    again = ada.post("/imports/ocds", sample()).json()
    assert (again["contracts_created"], again["contracts_unchanged"]) == (0, 1)


def test_a_dry_run_counts_and_writes_nothing(ada, provider):
    before = ledger_contents()
    answer = ada.post("/imports/ocds?dry_run=true&create_missing=true", sample())
    assert answer.json()["contracts_created"] == 1
    assert answer.json()["summary"].startswith("Would import")
    assert ledger_contents() == before


def test_a_broken_package_is_refused_with_each_problems_place_and_nothing_written(ada, provider):
    make_member(provider, "MHA", social_housing_number="L0099")
    broken = as_posted(package(framework_release(), call_off_release()))
    contract = broken["releases"][1]["contracts"][0]
    contract["value"]["currency"] = "EUR"
    contract["period"]["startDate"] = "3 June 2024"
    before = ledger_contents()
    answer = ada.post("/imports/ocds", broken)
    assert answer.status_code == 422
    error = error_of(answer)
    assert error["code"] == "invalid"
    assert error["message"] == "4 problem(s) in the package; nothing was written."
    assert [(d["field"], d["value"], d["expected"]) for d in error["details"]] == [
        (
            "releases[0].parties[1].identifier",
            "Fellside Energy Homes Ltd",
            "a supplier registered with this identifier (GB-COH 09900101); add it, or import "
            "with --create-missing to register it",
        ),
        (
            "releases[1].contracts[0].period.startDate",
            "3 June 2024",
            "a date such as 2024-04-01 or 2024-04-01T00:00:00Z",
        ),
        (
            "releases[1].contracts[0].value.currency",
            "EUR",
            "an amount in pounds sterling (GBP)",
        ),
        (
            "releases[1].parties[1].identifier",
            "Fellside Energy Homes Ltd",
            "a supplier registered with this identifier (GB-COH 09900101); add it, or import "
            "with --create-missing to register it",
        ),
    ]
    assert error["details"][2]["message"] == (
        'releases[1].contracts[0].value.currency: "EUR" – an amount in pounds sterling (GBP)'
    )
    assert ledger_contents() == before


def test_a_body_that_is_not_a_package_is_refused_naming_the_field(ada):
    answer = ada.post("/imports/ocds", {"version": "1.1"})
    assert answer.status_code == 422
    assert error_of(answer)["details"][0]["field"] == "releases"


def test_amounts_are_read_exactly_as_written(ada, provider):
    content = package_json(package(framework_release(), call_off_release())).replace(
        '"amount": 6400000', '"amount": 6400000.10'
    )
    answer = ada.client.post(
        "/api/v1/imports/ocds?create_missing=true",
        content,
        content_type="application/json",
        headers=ada.headers,
    )
    assert answer.status_code == 200
    assert Contract.objects.get(ocds_id="KRF-MHA-001").value == Decimal("6400000.10")


def test_a_package_larger_than_the_server_takes_is_answered_413(ada, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answer = ada.post("/imports/ocds", sample())
    assert answer.status_code == 413
    assert error_of(answer)["code"] == "too_large"
    assert "1,000 bytes" in error_of(answer)["message"]
    assert not Framework.objects.exists()


def test_only_provider_admins_import(olivia_officer, cara_contributor):
    for person in (olivia_officer, cara_contributor):
        answer = ApiClient(make_token(person)).post("/imports/ocds?create_missing=true", sample())
        assert answer.status_code == 403
        assert error_of(answer)["code"] == "forbidden"
    assert not Framework.objects.filter(reference="KRF").exists()


# --- Export ---------------------------------------------------------------------------------------


# `delivered`: a commitment on DEC-001, 4 jobs verified in 2023-24 and 2 more reported since.
@pytest.mark.usefixtures("delivered")
def test_the_exported_package_is_valid_against_the_shipped_schemas(olivia_officer):
    answer = ApiClient(make_token(olivia_officer)).get("/exports/ocds", year="2023-24")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    exported = answer.json()
    assert schema_errors(exported) == []
    (contract,) = exported["releases"][1]["contracts"]
    jobs = next(m for m in contract["implementation"]["metrics"] if m["id"] == "jobs-created")
    assert [(o["dimensions"]["basis"], o["measure"]) for o in jobs["observations"]] == [
        ("verified", 4),
        ("reported", 4),
    ]


@pytest.mark.usefixtures("delivered")
def test_a_member_exports_only_its_own_contracts(mo_member_viewer, framework, provider):
    make_contract(framework, "DEC-002", member=make_member(provider, "WBC"))
    exported = ApiClient(make_token(mo_member_viewer)).get("/exports/ocds").json()
    references = [c["id"] for r in exported["releases"] for c in r.get("contracts", [])]
    assert references == ["DEC-001"]
    assert schema_errors(exported) == []


@pytest.mark.usefixtures("delivered")
def test_an_outsider_cannot_name_another_providers_scope(otto_outsider):
    answer = ApiClient(make_token(otto_outsider)).get("/exports/ocds", scope="framework:DEC")
    assert answer.status_code == 404
