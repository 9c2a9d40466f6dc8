"""The groups' tables give each figure per £1m of contract value and, beside it, per £1m of the
spend recorded on their contracts for periods ending in the year: the one notion of spend."""

from datetime import date
from decimal import Decimal as D

from socialledger.accounts.tests.factories import bearer, make_token
from socialledger.contracts.actions import record_spend
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import csv_rows, render_markdown, render_text, report_data
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


def a_year_with_spend(supplier, contract):
    """£2m of contract value and £500,000 spent in 2023-24; 4 jobs created, 3 a year before."""
    record_spend(contract, period_end=date(2023, 6, 30), amount=D(200_000), by=None)
    record_spend(contract, period_end=date(2024, 3, 31), amount=D(300_000), by=None)
    make_return(supplier, [(contract, "jobs-created", 4)])
    return annual_report(Scope(contract.framework.provider), YEAR, basis="reported")


def test_the_json_download_gives_both_rates_with_what_they_are_divided_by(
    provider, supplier, contract
):
    data = report_data(a_year_with_spend(supplier, contract))
    table = next(t for t in data["groups"] if t["by"] == "supplier")
    row = table["rows"][0]
    assert (row["contract_value"], row["spent"]) == ("2000000", "500000")
    figures = row["figures"]["jobs-created"]
    assert (figures["per_million_of_contract_value"], figures["per_million_spent"]) == (
        "2.0",
        "8.0",
    )


def test_the_csv_download_gives_both_rates_and_their_value_and_spend(provider, supplier, contract):
    rows = list(csv_rows(a_year_with_spend(supplier, contract)))
    mine = [r for r in rows if r[6] == "supplier" and r[7] == "Calder Retrofit Services"]
    by_section = {(r[0], r[1]): r[8] for r in mine}
    assert by_section[("group-per-million-value", "jobs-created")] == "2.0"
    assert by_section[("group-per-million-spent", "jobs-created")] == "8.0"
    assert by_section[("group-contract-value", "")] == D(2_000_000)
    assert by_section[("group-spent", "")] == D(500_000)


def test_markdown_and_text_give_each_group_both_rates(provider, supplier, contract):
    report = a_year_with_spend(supplier, contract)
    for rendered in (render_markdown(report), render_text(report)):
        assert "per £1m of contract value live in the year / per £1m spent" in rendered.lower()
        calder = next(
            line
            for line in rendered.splitlines()
            if "Calder Retrofit Services" in line and "£500,000" in line
        )
        assert "£2,000,000" in calder
        assert "2.0 / 8.0" in calder


def test_a_rate_with_nothing_to_divide_by_is_a_dash_in_words_and_null_in_data(
    provider, supplier, contract
):
    make_return(supplier, [(contract, "jobs-created", 4)])
    report = annual_report(Scope(provider), YEAR, basis="reported")
    table = next(t for t in report_data(report)["groups"] if t["by"] == "supplier")
    assert table["rows"][0]["figures"]["jobs-created"]["per_million_spent"] is None
    assert "2.0 / –" in render_text(report)


def test_the_api_report_carries_the_rates(client, olivia_officer, provider, supplier, contract):
    a_year_with_spend(supplier, contract)
    answer = client.get(
        "/api/v1/reports/annual?year=2023-24&basis=reported",
        headers=bearer(make_token(olivia_officer)),
    ).json()
    table = next(t for t in answer["groups"] if t["by"] == "supplier")
    assert table["rows"][0]["figures"]["jobs-created"]["per_million_spent"] == "8.0"


def test_rates_are_shown_to_one_decimal_place_rounded_half_up(provider, supplier, contract):
    record_spend(contract, period_end=date(2023, 6, 30), amount=D(400_000), by=None)
    make_return(supplier, [(contract, "jobs-created", D("0.1"))])  # 0.25 per £1m spent
    report = annual_report(Scope(provider), YEAR, basis="reported")
    table = next(t for t in report_data(report)["groups"] if t["by"] == "supplier")
    assert table["rows"][0]["figures"]["jobs-created"]["per_million_spent"] == "0.3"
