"""The shipped open set: present in every database, only open values, each with its source."""

import re
import tomllib
from decimal import Decimal as D

import pytest

from socialledger.measures.models import Measure
from socialledger.valuation.actions import sync_open_values
from socialledger.valuation.library import (
    DEFLATOR_FILE,
    DataFileError,
    deflator_series,
    read_open_values,
)
from socialledger.valuation.models import ValueSet

PROPRIETARY = re.compile(r"\b(TOMs?|HACT|Social Value Portal|Social Value Bank)\b")


def test_it_is_in_the_database_after_migrate(db):
    value_set = ValueSet.objects.shipped().get(code="open-default", version=1)
    assert {v.measure.code for v in value_set.values.all()} == {"jobs-created", "donations"}


def test_jobs_created_it_carries_the_green_book_range_in_2019_20_prices(db):
    jobs = (
        ValueSet.objects.shipped().get(code="open-default").values.get(measure__code="jobs-created")
    )
    # 0.46 × £13,000; 0.38 × £10,000; 0.53 × £16,000 (Wellbeing Guidance, Annex 2)
    assert (jobs.low, jobs.central, jobs.high) == (D(3800), D(5980), D(8480))
    assert jobs.price_year == 2019
    assert jobs.licence == "Open Government Licence v3.0"


def test_every_counted_measure_it_values_or_says_why_not(db):
    spec = read_open_values()
    valued = {v.measure for v in spec.values}
    counted = set(Measure.objects.filter(provider=None).counted().values_list("code", flat=True))
    assert counted == valued | set(spec.unvalued)
    assert not valued & set(spec.unvalued)


def test_every_value_it_names_a_source_licence_and_how_it_was_checked():
    # The source names the publication and its date; how it was looked up is not a source.
    for value in read_open_values().values:
        for field in ("source", "licence", "checked"):
            assert value.fields.get(field), f"{value.measure} has no {field}"


def test_no_value_or_reason_it_ships_comes_from_the_proprietary_sets():
    spec = read_open_values()
    texts = [text for v in spec.values for text in v.fields.values()]
    texts += [spec.description, *spec.unvalued.values()]
    assert [t for t in texts if PROPRIETARY.search(t)] == []


def test_a_changed_value_without_a_new_version_it_refuses(db):
    spec = read_open_values()
    jobs = next(v for v in spec.values if v.measure == "jobs-created")
    changed = jobs.fields | {"central": "6000"}
    tampered = spec.__class__(
        spec.code,
        spec.name,
        spec.version,
        spec.description,
        tuple(v if v is not jobs else v.__class__(v.measure, changed) for v in spec.values),
        spec.unvalued,
    )
    with pytest.raises(DataFileError, match="raise the version"):
        sync_open_values(tampered)


def test_the_deflator_it_is_by_financial_year_with_2024_25_as_100():
    series = deflator_series()
    assert series.indices[2024] == D(100)
    assert set(range(2000, 2025)) <= set(series.indices)
    assert all(series.indices[y] < series.indices[y + 1] for y in range(2000, 2024))
    with DEFLATOR_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    assert data["licence"] == "Open Government Licence v3.0"
    assert "March 2026" in data["release"]
