"""KPI ratings as OCDS contract performance notices: a release per contract and rating period,
each KPI a metric whose observation carries the period, the figure, the rating as the UK
extension's measureClassification and the justification; valid by the official validator, and
read back by the import as the same contract."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from socialledger.contracts.models import Contract
from socialledger.imports.actions import import_ocds_package
from socialledger.imports.ocds_export import ocds_release_package, package_json
from socialledger.imports.ocds_performance import performance_notice_package
from socialledger.kpis.models import Rating
from socialledger.kpis.tests.factories import make_kpi, make_rating
from socialledger.reports.queries import Scope
from socialledger.returns.tests.factories import make_return

TODAY = date(2025, 6, 1)


@pytest.fixture
def rated(contract, supplier):
    """Two KPIs rated for 2023-24 (one linked to jobs, one entered) and one for 2024-25."""
    make_return(supplier, [(contract, "jobs-created", 4)])
    jobs = make_kpi(contract, "Local jobs", "jobs-created")
    make_rating(jobs, justification="Four local people hired.")
    homes = make_kpi(contract, "Homes on programme")
    make_rating(homes, rating=Rating.APPROACHING_TARGET, figure=Decimal("96"))
    make_rating(
        homes,
        date(2024, 4, 1),
        date(2025, 3, 31),
        rating=Rating.INADEQUATE,
        justification="Two schemes stalled.",
    )
    return contract


def notices(provider) -> dict:
    return json.loads(package_json(performance_notice_package(Scope(provider), TODAY)))


def test_each_rating_period_of_a_contract_is_one_implementation_release(provider, rated):
    releases = notices(provider)["releases"]
    assert [(r["id"], r["tag"]) for r in releases] == [
        (
            "ocds-socialledger-NWPP-DEC-DEC-001-performance-2023-04-01-2024-03-31",
            ["implementation"],
        ),
        (
            "ocds-socialledger-NWPP-DEC-DEC-001-performance-2024-04-01-2025-03-31",
            ["implementation"],
        ),
    ]
    first = releases[0]["contracts"][0]["implementation"]["metrics"]
    assert [m["title"] for m in first] == ["Local jobs", "Homes on programme"]


def test_an_observation_carries_period_figure_classification_and_justification(provider, rated):
    jobs, homes = notices(provider)["releases"][0]["contracts"][0]["implementation"]["metrics"]
    (linked,) = jobs["observations"]
    assert linked["period"] == {
        "startDate": "2023-04-01T00:00:00Z",
        "endDate": "2024-03-31T23:59:59Z",
    }
    assert (linked["measure"], linked["unit"]) == (
        4,
        {"scheme": "UNCEFACT", "id": "IE", "name": "people"},
    )
    assert linked["measureClassification"] == {"id": "met", "description": "Good"}
    assert linked["notes"] == "Four local people hired."
    (entered,) = homes["observations"]
    assert entered["measure"] == 96
    assert entered["measureClassification"] == {
        "id": "slightlyBelow",
        "description": "Approaching target",
    }


@pytest.mark.parametrize(
    ("rating", "code"),
    [
        (Rating.GOOD, "met"),
        (Rating.APPROACHING_TARGET, "slightlyBelow"),
        (Rating.REQUIRES_IMPROVEMENT, "below"),
        (Rating.INADEQUATE, "significantlyBelow"),
        (Rating.OTHER, "other"),
    ],
)
def test_every_point_of_the_statutory_scale_has_its_uk_code(provider, contract, rating, code):
    make_rating(make_kpi(contract), rating=rating)
    (release,) = notices(provider)["releases"]
    (metric,) = release["contracts"][0]["implementation"]["metrics"]
    assert metric["observations"][0]["measureClassification"]["id"] == code


def test_the_notices_pass_the_official_validator(provider, rated, tmp_path):
    from socialledger.imports.tests.ocds_validation import findings

    assert findings(notices(provider), tmp_path) == {}


def test_the_notices_import_back_as_the_same_contract_and_change_nothing(provider, rated):
    import_ocds_package(
        provider, json.loads(package_json(ocds_release_package(Scope(provider)))), by=None
    )
    before = Contract.objects.values().get()
    summary = import_ocds_package(provider, notices(provider), by=None)
    assert (summary.contracts_created, summary.contracts_unchanged) == (0, 1)
    assert Contract.objects.values().get() == before


def test_the_command_writes_the_notices(provider, rated, tmp_path):
    out = tmp_path / "notices.json"
    call_command("export_ocds", "--performance-notices", "-o", str(out))
    assert len(json.loads(out.read_text())["releases"]) == 2
