"""A contract's KPI register: contracts above the threshold need three KPIs; linked figures come
from the entries; ratings fall due every twelve months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from socialledger.contracts.tests.factories import make_contract
from socialledger.kpis.queries import contracts_short_of_kpis, kpi_register, ratings_due
from socialledger.kpis.tests.factories import make_kpi, make_rating
from socialledger.lib.periods import FinancialYear
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return

TODAY = date(2024, 6, 1)


def test_a_contract_above_the_threshold_with_fewer_than_three_kpis_is_short(contract, settings):
    settings.KPI_THRESHOLD = 1_000_000
    make_kpi(contract, "Jobs")
    register = kpi_register(contract, TODAY)
    assert (register.required, register.short_by) == (True, 2)
    assert contracts_short_of_kpis(contract.__class__.objects.all()) == [contract]


def test_a_contract_at_or_below_the_threshold_needs_none(contract, settings):
    settings.KPI_THRESHOLD = 2_000_000  # the contract is worth exactly £2m
    register = kpi_register(contract, TODAY)
    assert (register.required, register.short_by) == (False, 0)
    assert contracts_short_of_kpis(contract.__class__.objects.all()) == []


def test_three_kpis_are_enough(contract, settings):
    settings.KPI_THRESHOLD = 1_000_000
    for title in ("Jobs", "Apprentices", "Homes on programme"):
        make_kpi(contract, title)
    assert kpi_register(contract, TODAY).short_by == 0


def test_a_linked_kpis_figure_is_its_measures_verified_and_reported_apart(contract, supplier):
    year = FinancialYear(2023)
    make_return(
        supplier, [(contract, "jobs-created", 4), (contract, "jobs-sustained", 3)], year=year
    )
    make_return(
        supplier, [(contract, "jobs-created", 9)], year=year.previous, status=Status.SUBMITTED
    )
    kpi = make_kpi(contract, "Employment", "jobs-created", "jobs-sustained")
    make_rating(kpi, start=year.start, end=year.end)
    make_rating(kpi, start=year.previous.start, end=year.previous.end)
    figures = [
        (line.rating.period_start.year, line.linked.verified, line.linked.reported)
        for line in kpi_register(contract, TODAY).lines[0].ratings
    ]
    assert figures == [(2023, Decimal(7), Decimal(7)), (2022, Decimal(0), Decimal(9))]


def test_a_rating_is_due_twelve_months_after_the_last_period_rated(contract):
    rated = make_kpi(contract, "Jobs")
    make_rating(rated, start=date(2022, 4, 1), end=date(2023, 3, 31))
    never = make_kpi(contract, "Apprentices")  # the contract started on 1 April 2021
    recent = make_kpi(contract, "Homes")
    make_rating(recent, start=date(2023, 4, 1), end=date(2024, 3, 31))
    due = ratings_due(contract.__class__.objects.all(), TODAY)
    assert [(line.kpi, line.due_on, line.status) for line in due] == [
        (never, date(2022, 3, 31), "overdue"),
        (rated, date(2024, 3, 31), "overdue"),
    ]
    soon = ratings_due(contract.__class__.objects.all(), date(2025, 2, 1))
    assert (recent, date(2025, 3, 31), "due") in [(x.kpi, x.due_on, x.status) for x in soon]


def test_a_contract_rated_to_its_end_has_nothing_due(framework, member, supplier):
    ended = make_contract(
        framework, "DEC-END", member=member, supplier=supplier, ends_on=date(2023, 3, 31)
    )
    kpi = make_kpi(ended)
    make_rating(kpi, start=date(2022, 4, 1), end=date(2023, 3, 31))
    assert ratings_due(ended.__class__.objects.all(), TODAY) == []
    assert kpi_register(ended, TODAY).lines[0].status == "complete"
