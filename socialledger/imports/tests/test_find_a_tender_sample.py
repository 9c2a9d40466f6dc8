"""Find a Tender's own published sample release package (its API documentation's answer for one
notice; no live procurement) imports as the framework and lot it describes, checked field by
field against the file: a framework tender whose term is given only as its lot's duration, read
from the award period's start."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from socialledger.contracts.models import Framework
from socialledger.imports.actions import import_ocds_package
from socialledger.imports.ocds import read_package

SAMPLE = Path(__file__).parent / "notices" / "find-a-tender-api-sample.json"


def test_the_sample_framework_tender_becomes_its_framework_and_lot(provider):
    summary = import_ocds_package(provider, read_package(SAMPLE), by=None)
    (release,) = json.loads(SAMPLE.read_text(encoding="utf-8"))["releases"]
    tender = release["tender"]
    framework = Framework.objects.get(ocid=release["ocid"])
    assert (framework.reference, framework.name) == (tender["id"], tender["title"])
    assert framework.value == Decimal(str(tender["value"]["amount"]))
    start = date.fromisoformat(tender["awardPeriod"]["startDate"][:10])
    (given,) = tender["lots"]
    assert framework.starts_on == start
    assert framework.ends_on == start + timedelta(days=given["contractPeriod"]["durationInDays"])
    (lot,) = framework.lots.all()
    assert (lot.reference, lot.value) == (given["id"], Decimal(str(given["value"]["amount"])))
    assert lot.name == "Lot 1"  # the lot has no title, only a description
    assert (summary.frameworks_created, summary.lots_created) == (1, 1)
    assert any("only the lots' durations" in note for note in summary.notes)


def test_importing_the_sample_again_changes_nothing(provider):
    import_ocds_package(provider, read_package(SAMPLE), by=None)
    again = import_ocds_package(provider, read_package(SAMPLE), by=None)
    assert (again.frameworks_created, again.frameworks_updated, again.lots_created) == (0, 0, 0)
