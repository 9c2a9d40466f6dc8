"""A real Contracts Finder framework award notice imports: it says neither framework nor
call-off, so the person importing says it is a framework; it has no lots, so it is one lot; its
suppliers are created by their Companies House numbers, the one with only a name by its name;
the party id given two names is reported."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from socialledger.contracts.models import Framework
from socialledger.imports.actions import import_ocds_package
from socialledger.imports.ocds import read_package
from socialledger.imports.reading import ImportRefused
from socialledger.organisations.models import Organisation

NOTICE = Path(__file__).parent / "notices" / "contracts-finder-espo-framework-award.json"


def test_without_being_told_it_is_a_framework_the_notice_is_refused_truthfully(provider):
    with pytest.raises(ImportRefused) as refused:
        import_ocds_package(provider, read_package(NOTICE), by=None, create_missing=True)
    (problem,) = refused.value.problems
    assert "--as-framework" in problem.expected


def test_told_it_is_a_framework_it_creates_the_framework_its_lot_and_suppliers(provider):
    summary = import_ocds_package(
        provider, read_package(NOTICE), by=None, create_missing=True, as_framework=True
    )
    framework = Framework.objects.get(ocid="ocds-b5fd17-8d84c691-fc64-4f64-b240-443a0af1ba82")
    assert (framework.reference, framework.name) == (
        "215_24",
        "215_24 Specialist Vehicles (outright purchase)",
    )
    assert (framework.starts_on, framework.ends_on) == (date(2024, 12, 1), date(2028, 11, 30))
    assert framework.value == Decimal(400000000)
    (lot,) = framework.lots.all()
    assert lot.reference == "1"
    suppliers = lot.suppliers.all()
    assert suppliers.count() == 34  # 35 listed, DENNIS EAGLE twice under one number
    assert Organisation.objects.with_identifier("GB-COH", "SC268016").get().name == (
        "ALEXANDER DENNIS LIMITED"
    )
    assert suppliers.filter(name="ROMAQUIP LTD").exists()
    assert summary.organisations_created == 34
    assert any("GB-COH-03794455 is used twice" in note for note in summary.notes)


def test_a_company_number_without_its_leading_zeros_matches_the_same_supplier(provider):
    import_ocds_package(
        provider, read_package(NOTICE), by=None, create_missing=True, as_framework=True
    )
    assert Organisation.objects.with_identifier("GB-COH", "557725").get().name == (
        "AEBI SCHMIDT UK LIMITED"
    )


def test_importing_it_again_creates_nothing(provider):
    import_ocds_package(
        provider, read_package(NOTICE), by=None, create_missing=True, as_framework=True
    )
    again = import_ocds_package(
        provider, read_package(NOTICE), by=None, create_missing=True, as_framework=True
    )
    assert again.frameworks_created == 0
