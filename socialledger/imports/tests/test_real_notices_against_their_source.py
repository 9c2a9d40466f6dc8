"""Every real notice in tests/notices, imported, is checked field by field against the notice's
own JSON (read here from the file, not retyped): each framework's title, value and term, each
lot's id, title and value, and each appointed supplier's name and Companies House number."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from socialledger.contracts.models import Framework
from socialledger.imports.actions import import_ocds_package
from socialledger.imports.ocds import read_package
from socialledger.organisations.models import Organisation

NOTICES = Path(__file__).parent / "notices"
CONTRACTS_FINDER = NOTICES / "contracts-finder-espo-framework-award.json"
SCOTLAND = NOTICES / "public-contracts-scotland-tenders.json"
WALES = NOTICES / "sell2wales-tenders.json"


def source(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["releases"]


def amount(value: dict | None) -> Decimal | None:
    return None if value is None else Decimal(str(value["amount"]))


def day(text: str) -> date:
    return date.fromisoformat(text[:10])


def frameworks_in(releases: list[dict]) -> list[dict]:
    return [
        r for r in releases if (r["tender"].get("techniques") or {}).get("hasFrameworkAgreement")
    ]


@pytest.mark.parametrize("path", [SCOTLAND, WALES], ids=["scotland", "wales"])
def test_each_framework_tender_is_stored_as_the_notice_gives_it(provider, path):
    import_ocds_package(provider, read_package(path), by=None, skip_unreadable=True)
    for release in frameworks_in(source(path)):
        tender = release["tender"]
        framework = Framework.objects.get(ocid=release["ocid"])
        assert framework.name == tender["title"]
        assert framework.value == amount(tender["value"])
        lots = {lot.reference: lot for lot in framework.lots.all()}
        assert sorted(lots) == sorted(lot["id"] for lot in tender["lots"])
        for given in tender["lots"]:
            stored = lots[given["id"]]
            assert stored.name == given["title"]
            assert stored.value == amount(given.get("value"))
        # The lots give only a duration and no start: the term runs that many days from the
        # award period's start (the earliest a framework let on the notice can begin).
        longest = max(lot["contractPeriod"]["durationInDays"] for lot in tender["lots"])
        assert framework.starts_on == day(tender["awardPeriod"]["startDate"])
        assert (framework.ends_on - framework.starts_on).days == longest


def test_the_framework_award_notice_is_stored_as_the_notice_gives_it(provider):
    import_ocds_package(
        provider,
        read_package(CONTRACTS_FINDER),
        by=None,
        create_missing=True,
        as_framework=True,
    )
    (release,) = source(CONTRACTS_FINDER)
    tender, (award,) = release["tender"], release["awards"]
    framework = Framework.objects.get(ocid=release["ocid"])
    assert (framework.reference, framework.name) == (tender["id"], tender["title"])
    assert framework.value == amount(tender["value"])
    assert framework.starts_on == day(tender["contractPeriod"]["startDate"])
    assert framework.ends_on == day(tender["contractPeriod"]["endDate"])
    (lot,) = framework.lots.all()
    appointed = set(lot.suppliers.values_list("pk", flat=True))
    parties = {party["id"]: party for party in release["parties"]}
    first_names: dict[str, str] = {}
    for supplier in award["suppliers"]:
        party = parties[supplier["id"]]
        first_names.setdefault(party["id"], party["name"])
        identifier = party.get("identifier") or {}
        if identifier.get("scheme") == "GB-COH":
            stored = Organisation.objects.with_identifier("GB-COH", identifier["id"]).get()
        else:
            stored = Organisation.objects.get(provider=provider, name=party["name"])
        assert stored.name == first_names[party["id"]]
        assert stored.pk in appointed
    assert len(appointed) == len(first_names)
