"""Real framework tender notices from Public Contracts Scotland and Sell2Wales import as the
frameworks and lots they describe, checked field by field against the notices; the contract
notice published beside each (not a framework) is skipped and named when the person importing
chooses so, and otherwise refuses the file truthfully."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from socialledger.contracts.models import Framework
from socialledger.imports.actions import import_ocds_package
from socialledger.imports.ocds import read_package
from socialledger.imports.reading import ImportRefused

NOTICES = Path(__file__).parent / "notices"
SCOTLAND = NOTICES / "public-contracts-scotland-tenders.json"
WALES = NOTICES / "sell2wales-tenders.json"


def skipping(provider, path):
    return import_ocds_package(provider, read_package(path), by=None, skip_unreadable=True)


def test_a_scottish_framework_tender_becomes_its_framework_and_lots(provider):
    summary = skipping(provider, SCOTLAND)
    framework = Framework.objects.get(ocid="ocds-r6ebe6-0000561475")
    assert (framework.reference, framework.name) == ("NHSL-349", "EVAR and FEVAR Consumables")
    assert framework.value == Decimal("3600000")
    # The notice gives the lots 720 days and no start: read from the award period's start.
    assert (framework.starts_on, framework.ends_on) == (date(2019, 6, 7), date(2021, 5, 27))
    lots = {lot.reference: lot for lot in framework.lots.all()}
    assert sorted(lots) == ["1", "2"]
    assert (lots["1"].name, lots["1"].value) == ("EVAR Consumables", Decimal("3200000"))
    assert (lots["2"].name, lots["2"].value) == ("FEVAR Consumables", Decimal("400000"))
    assert any("only the lots' durations" in note for note in summary.notes)


def test_a_welsh_framework_tender_becomes_its_framework_and_lots(provider):
    skipping(provider, WALES)
    framework = Framework.objects.get(ocid="ocds-kuma6s-148273")
    assert framework.name == "Peatland Survey Framework 2025"
    assert framework.value == Decimal("700000")
    assert (framework.starts_on, framework.ends_on) == (date(2025, 3, 25), date(2029, 3, 4))
    lots = {lot.reference: lot.name for lot in framework.lots.all()}
    assert sorted(lots) == ["1", "2", "3", "4"]
    assert lots["4"] == "Protected Species ( Water Vole) surveys and advice"


@pytest.mark.parametrize(
    ("path", "contract_ocid"),
    [(SCOTLAND, "ocds-r6ebe6-0000580205"), (WALES, "ocds-kuma6s-148440")],
)
def test_a_notice_that_is_not_a_framework_is_skipped_and_named(provider, path, contract_ocid):
    summary = skipping(provider, path)
    (skipped,) = [note for note in summary.notes if "skipped" in note]
    assert f"{contract_ocid} skipped, not imported" in skipped
    assert "a framework (tender.techniques.hasFrameworkAgreement: true)" in skipped
    assert not Framework.objects.filter(ocid=contract_ocid).exists()
    assert summary.frameworks_created == 1


@pytest.mark.parametrize("path", [SCOTLAND, WALES])
def test_without_skipping_the_file_is_refused_and_nothing_is_written(provider, path):
    with pytest.raises(ImportRefused) as refused:
        import_ocds_package(provider, read_package(path), by=None)
    (problem,) = refused.value.problems
    assert problem.path == "releases[1]"
    assert "--as-framework" in problem.expected
    assert not Framework.objects.exists()


def test_importing_the_notices_again_changes_nothing(provider):
    skipping(provider, SCOTLAND)
    again = skipping(provider, SCOTLAND)
    assert (again.frameworks_created, again.frameworks_updated, again.lots_created) == (0, 0, 0)
