"""Changing value set never silently rewrites history: a year valued under an earlier set is
restated, with the old £, the new £ and the reason, on the same entries.

Synthetic test values: set A £100 per job created, set B £150; 10 jobs in 2023-24, all in
2023-24 prices, reported in 2023-24 prices so no deflator is involved.
"""

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from socialledger.lib.periods import FinancialYear
from socialledger.lib.valuation import Band
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render
from socialledger.returns.tests.factories import make_return
from socialledger.valuation.tests.factories import make_choice, make_value_set, value

Y2023 = FinancialYear(2023)


def on(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


@pytest.fixture
def ten_jobs(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 10)], year=Y2023)


@pytest.fixture
def switched(provider, ten_jobs):
    a = make_value_set(provider, {"jobs-created": value(100)}, code="a", name="Set A")
    b = make_value_set(provider, {"jobs-created": value(150)}, code="b", name="Set B")
    make_choice(provider, a, "First set", when=on("2024-01-15"))
    make_choice(provider, b, "Better evidence on recruits", when=on("2024-06-01"))


def report(provider, year=Y2023):
    return annual_report(Scope(provider), year, price_year=year.start_year)


def test_it_values_the_year_with_the_set_now_in_force(provider, switched):
    assert report(provider).money.verified.net == Band.of(D(1500))


def test_it_restates_the_year_with_the_old_and_new_pounds_and_the_reason(provider, switched):
    (note,) = report(provider).money.restatements
    assert note.before == Band.of(D(1000))
    assert note.after == Band.of(D(1500))
    assert note.before_label == "Set A, version 1"
    assert note.reason == "Better evidence on recruits"


def test_every_export_it_prints_the_restatement(provider, switched):
    for fmt in ("text", "markdown"):
        assert "Restated: 2023-24 was valued under Set A, version 1 at £1k" in render(
            report(provider), fmt
        )
    assert '"reason": "Better evidence on recruits"' in render(report(provider), "json")


def test_a_year_that_began_after_the_change_it_does_not_restate(provider, supplier, contract):
    a = make_value_set(provider, {"jobs-created": value(100)}, code="a", name="Set A")
    b = make_value_set(provider, {"jobs-created": value(150)}, code="b", name="Set B")
    make_choice(provider, a, "First", when=on("2023-06-01"))
    make_choice(provider, b, "Second", when=on("2024-03-01"))
    make_return(supplier, [(contract, "jobs-created", 10)], year=FinancialYear(2024))
    assert report(provider, FinancialYear(2024)).money.restatements == ()


def test_a_new_version_with_the_same_values_it_has_nothing_to_restate(provider, ten_jobs):
    first = make_value_set(provider, {"jobs-created": value(100)}, code="a", name="Set A")
    again = make_value_set(provider, {"jobs-created": value(100)}, code="a", name="Set A")
    make_choice(provider, first, "First", when=on("2024-01-15"))
    make_choice(provider, again, "Re-issued", when=on("2024-06-01"))
    assert report(provider).money.restatements == ()
