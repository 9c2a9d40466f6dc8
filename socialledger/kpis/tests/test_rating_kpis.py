"""Rating a KPI: the statutory scale, a justification, a period of at most twelve months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from socialledger.audit.models import AuditEvent
from socialledger.kpis.actions import KpiError, add_kpi, remove_kpi
from socialledger.kpis.models import Rating
from socialledger.kpis.tests.factories import make_kpi, make_rating
from socialledger.returns.tests.factories import measure


def test_it_records_the_rating_its_period_and_justification(contract, olivia_officer):
    kpi = make_kpi(contract)
    rated = make_rating(kpi, rating=Rating.APPROACHING_TARGET, justification="Late start.")
    assert rated.get_rating_display() == "Approaching target"
    assert (rated.period_start, rated.period_end) == (date(2023, 4, 1), date(2024, 3, 31))
    event = AuditEvent.objects.get(action="kpi.rated")
    assert (event.note, event.after["rating"]) == ("Late start.", "approaching-target")


def test_the_scale_is_the_procurement_acts():
    assert [label for _value, label in Rating.choices] == [
        "Good",
        "Approaching target",
        "Requires improvement",
        "Inadequate",
        "Other",
    ]


def test_it_refuses_a_rating_without_a_justification(contract):
    with pytest.raises(ValidationError, match="Say why"):
        make_rating(make_kpi(contract), justification="  ")


def test_it_refuses_a_period_longer_than_twelve_months(contract):
    with pytest.raises(ValidationError, match="at most 12 months"):
        make_rating(make_kpi(contract), start=date(2023, 4, 1), end=date(2024, 4, 1))


def test_it_refuses_a_period_overlapping_an_earlier_rating(contract):
    kpi = make_kpi(contract)
    make_rating(kpi)
    with pytest.raises(KpiError, match="already rated for part of that period"):
        make_rating(kpi, start=date(2024, 3, 1), end=date(2024, 6, 30))


def test_it_refuses_a_period_before_the_contract_or_still_to_come(contract):
    kpi = make_kpi(contract)
    with pytest.raises(KpiError, match="before the contract"):
        make_rating(kpi, start=date(2020, 4, 1), end=date(2021, 3, 31))
    with pytest.raises(KpiError, match="has passed"):
        make_rating(kpi, start=date(2099, 4, 1), end=date(2099, 6, 30))


def test_a_figure_is_entered_only_for_a_kpi_linked_to_no_measure(contract):
    with pytest.raises(KpiError, match="comes from its measures"):
        make_rating(make_kpi(contract, "Jobs", "jobs-created"), figure=Decimal(5))
    rated = make_rating(make_kpi(contract, "Homes on programme"), figure=Decimal("96.5"))
    assert rated.figure == Decimal("96.5")


def test_a_kpis_measures_must_share_a_unit(contract):
    with pytest.raises(KpiError, match="share a unit"):
        add_kpi(
            contract,
            title="Mixed",
            measures=[measure("jobs-created"), measure("donations")],
            by=None,
        )


def test_a_rated_kpi_stays_in_the_register(contract):
    kpi = make_kpi(contract)
    make_rating(kpi)
    with pytest.raises(KpiError, match="stays in the register"):
        remove_kpi(kpi, by=None)
    unrated = make_kpi(contract, "Apprentices")
    remove_kpi(unrated, by=None)
    assert list(contract.kpis.all()) == [kpi]
