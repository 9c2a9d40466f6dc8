"""Targets against delivery: the pro-rata expectation and the red/amber/green rule, by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from socialledger.contracts.actions import set_commitment
from socialledger.lib.periods import FinancialYear
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.targets import share_of_year, target_status
from socialledger.returns.tests.factories import make_return, measure

Y2023 = FinancialYear(2023)  # 1 April 2023 to 31 March 2024: 366 days (a leap year)


def test_the_share_of_the_year_counts_days_passed_including_today():
    assert share_of_year(Y2023, date(2023, 3, 31)) == 0
    assert share_of_year(Y2023, date(2023, 4, 1)) == D(1) / D(366)
    assert share_of_year(Y2023, date(2023, 9, 30)) == D(183) / D(366)  # 30+31+30+31+31+30
    assert share_of_year(Y2023, date(2024, 3, 31)) == 1
    assert share_of_year(Y2023, date(2025, 1, 1)) == 1


@pytest.mark.parametrize(
    ("target", "delivered", "share", "expected", "status"),
    [
        # Half-way through, 30 promised: 15 expected; 15 is on track.
        (D(30), D(15), D("0.5"), D(15), "green"),
        # 12 of 15 is exactly 80%: amber, not red.
        (D(30), D(12), D("0.5"), D(15), "amber"),
        # 11.99 of 15 is just under 80%: red.
        (D(30), D("11.99"), D("0.5"), D(15), "red"),
        # The year is over: the whole target is expected; 29 of 30 is 96.7%: amber.
        (D(30), D(29), D(1), D(30), "amber"),
        # Before the year starts nothing is expected yet.
        (D(30), D(0), D(0), D(0), "not-due"),
        # A zero target is never due.
        (D(0), D(3), D(1), D(0), "not-due"),
    ],
)
def test_it_judges_delivery_against_the_pro_rata_expectation(
    target, delivered, share, expected, status
):
    result = target_status(target, delivered, share)
    assert (result.expected, result.status) == (expected, status)


def test_the_report_carries_each_contracts_status_on_its_date(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 10)])
    set_commitment(
        provider,
        measure=measure("jobs-created"),
        financial_year=2023,
        quantity=D(30),
        contract=contract,
        by=None,
    )
    # 30 September 2023: 183 of 366 days, so 30 × 183/366 = 15 expected; 10 is 66.7%: red.
    report = annual_report(Scope(provider), Y2023, as_of=date(2023, 9, 30))
    c = report.measure("jobs-created").commitments
    assert c.on_contracts_status.expected == D(15)
    assert c.on_contracts_status.status == "red"
    assert [(t.reference, t.status.status) for t in c.contracts] == [("DEC-001", "red")]
    # After the year: all 30 expected; 10 is still red.
    after = annual_report(Scope(provider), Y2023, as_of=date(2024, 6, 1))
    assert after.measure("jobs-created").commitments.on_contracts_status.expected == 30


def test_a_target_for_the_whole_scope_is_judged_on_everything_delivered(
    provider, supplier, contract
):
    make_return(supplier, [(contract, "apprenticeships-created", 9)])
    set_commitment(
        provider,
        measure=measure("apprenticeships-created"),
        financial_year=2023,
        quantity=D(10),
        by=None,
    )
    report = annual_report(Scope(provider), Y2023, as_of=date(2024, 4, 1))
    status = report.measure("apprenticeships-created").commitments.scope_status
    assert (status.delivered, status.expected, status.status) == (D(9), D(10), "amber")
