"""Like-for-like: only contracts with figures in both years are compared."""

from decimal import Decimal as D

from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.queries import Scope, annual_report
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return

Y2023, Y2022, Y2021 = FinancialYear(2023), FinancialYear(2022), FinancialYear(2021)


def test_it_counts_only_contracts_with_figures_in_both_years(
    provider, framework, supplier, contract
):
    """DEC-001 reports both years (10 then 12); DEC-002 only the later year (30); DEC-003 only
    the earlier (5). Headline 15 → 42; like-for-like 10 → 12, on one contract."""
    newcomer = make_supplier(provider, "NEW")
    leaver = make_supplier(provider, "OLD")
    second = make_contract(framework, "DEC-002", supplier=newcomer)
    third = make_contract(framework, "DEC-003", supplier=leaver)
    make_return(supplier, [(contract, "jobs-created", 10)], year=Y2022)
    make_return(leaver, [(third, "jobs-created", 5)], year=Y2022)
    make_return(supplier, [(contract, "jobs-created", 12)])
    make_return(newcomer, [(second, "jobs-created", 30)])
    report = annual_report(Scope(provider), Y2023)
    line = report.measure("jobs-created")
    assert (line.previous_headline.value, line.headline.value) == (D(15), D(42))
    assert (line.like_for_like.previous, line.like_for_like.current) == (D(10), D(12))
    assert line.like_for_like.change.percent_label == "+20%"
    assert report.like_for_like_contracts == 1


def test_a_contract_counts_when_it_has_any_measure_in_each_year(provider, supplier, contract):
    make_return(supplier, [(contract, "volunteering-days", 3)], year=Y2022)
    make_return(supplier, [(contract, "jobs-created", 4)])
    line = annual_report(Scope(provider), Y2023).measure("jobs-created")
    assert (line.like_for_like.previous, line.like_for_like.current) == (D(0), D(4))
    assert line.like_for_like.change.percent_label == "new"


def test_it_follows_the_basis_so_unverified_figures_do_not_make_a_contract_count(
    provider, supplier, contract
):
    make_return(supplier, [(contract, "jobs-created", 10)], year=Y2022, status=Status.SUBMITTED)
    make_return(supplier, [(contract, "jobs-created", 12)])
    assert annual_report(Scope(provider), Y2023).like_for_like_contracts == 0
    assert annual_report(Scope(provider), Y2023, basis="reported").like_for_like_contracts == 1


def test_any_earlier_year_can_be_compared(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 8)], year=Y2021)
    make_return(supplier, [(contract, "jobs-created", 12)])
    report = annual_report(Scope(provider), Y2023, against=Y2021)
    line = report.measure("jobs-created")
    assert report.previous_year == Y2021
    assert (line.previous_headline.value, line.change.percent_label) == (D(8), "+50%")
    assert line.like_for_like.previous == 8
