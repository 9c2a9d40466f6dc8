"""The groups' tables give each figure per £1m of contract value and, beside it, per £1m of the
spend recorded on their contracts for periods ending in the year: the one notion of spend."""

from datetime import date
from decimal import Decimal as D

from socialledger.contracts.actions import record_spend
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.queries import Scope, annual_report
from socialledger.returns.tests.factories import make_return

YEAR = FinancialYear(2023)


def supplier_row(provider, reference: str):
    table = next(t for t in annual_report(Scope(provider), YEAR).groups if t.by == "supplier")
    return next(row for row in table.rows if row.reference == reference)


def test_a_figure_is_given_per_million_of_value_and_per_million_spent(provider, supplier, contract):
    record_spend(contract, period_end=date(2023, 6, 30), amount=D(250_000), by=None)
    record_spend(contract, period_end=date(2024, 3, 31), amount=D(250_000), by=None)
    record_spend(contract, period_end=date(2024, 6, 30), amount=D(900_000), by=None)  # next year
    make_return(supplier, [(contract, "jobs-created", 4)])
    row = supplier_row(provider, "CRS")
    cell = row.cell("jobs-created")
    assert (row.contract_value, row.spent) == (D(2_000_000), D(500_000))
    assert (cell.per_million, cell.per_million_spent) == (D(2), D(8))


def test_a_group_with_no_spend_recorded_has_no_rate_per_million_spent(
    provider, framework, supplier, contract
):
    other = make_supplier(provider, "BWC")
    second = make_contract(framework, "DEC-002", supplier=other, value="1000000")
    record_spend(contract, period_end=date(2023, 9, 30), amount=D(100_000), by=None)
    make_return(other, [(second, "jobs-created", 3)])
    row = supplier_row(provider, "BWC")
    assert (row.spent, row.cell("jobs-created").per_million_spent) == (D(0), None)
    assert row.cell("jobs-created").per_million == D(3)


def test_the_report_page_shows_both_rates(client, olivia_officer, provider, supplier, contract):
    record_spend(contract, period_end=date(2023, 6, 30), amount=D(500_000), by=None)
    make_return(supplier, [(contract, "jobs-created", 4)])
    client.force_login(olivia_officer)
    page = client.get("/?year=2023-24&basis=reported").content.decode()
    assert "Per £1m spent" in page
    assert "£500,000" in page
