"""Reports are kept while the ledger behind them stands still, and never a moment longer.

A dashboard is built once and served again until something is recorded in the provider's (or the
system's) audit chain: every write that can move a figure records there in its own transaction.
Each test below makes one kind of change through the product's own actions and checks that the
next look at the report page shows it.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from socialledger.contracts.actions import set_commitment, update_contract
from socialledger.lib.periods import FinancialYear
from socialledger.measures.actions import set_opening_balance
from socialledger.reports.queries import Scope, current_report
from socialledger.returns.actions import reopen_return, save_entries, submit_return, verify_return
from socialledger.returns.tests.factories import fact, make_return, measure
from socialledger.valuation.tests.factories import make_choice, make_value_set, value

Y2023 = FinancialYear(2023)


@pytest.fixture
def five_jobs(supplier, contract):
    return make_return(supplier, [(contract, "jobs-created", 5)], year=Y2023)


@pytest.fixture
def olivia_looking(client, olivia_officer, five_jobs):
    """Olivia has the 2023-24 dashboard open: the report is now kept."""
    client.force_login(olivia_officer)
    assert "5 jobs were created in 2023-24" in page(client)
    return client


def page(client, query: str = "") -> str:
    return client.get(f"/?year=2023-24{query}").content.decode()


def test_an_unchanged_ledger_it_answers_with_the_report_it_already_built(provider, five_jobs):
    first = current_report(Scope(provider), Y2023)
    assert current_report(Scope(provider), Y2023) is first


def test_a_second_look_at_an_unchanged_dashboard_it_serves_without_adding_up_again(
    olivia_looking, django_assert_max_num_queries
):
    # The report itself takes dozens of queries (tests/test_report_pages.py); a kept one takes
    # none: what remains is who is signed in, the years on record and the ledger's state.
    with django_assert_max_num_queries(12):
        assert "5 jobs were created in 2023-24" in page(olivia_looking)


def test_after_figures_are_corrected_and_verified_again_it_shows_the_new_figure(
    olivia_looking, olivia_officer, five_jobs, contract
):
    ret = reopen_return(five_jobs, by=olivia_officer, note="Payroll shows seven")
    save_entries(ret, [fact(contract, "jobs-created", 7, Y2023)], by=None)
    verify_return(submit_return(ret, by=None), by=olivia_officer)
    assert "7 jobs were created in 2023-24" in page(olivia_looking)


def test_after_a_return_is_reopened_its_figures_leave_the_report_at_once(
    olivia_looking, olivia_officer, five_jobs
):
    reopen_return(five_jobs, by=olivia_officer, note="Wrong contract")
    assert "5 jobs were created" not in page(olivia_looking)


def test_after_another_supplier_is_verified_the_total_includes_it(
    olivia_looking, provider, framework, member
):
    from socialledger.contracts.tests.factories import make_contract
    from socialledger.organisations.tests.factories import make_supplier

    other = make_supplier(provider, "BWC", "Brightwell Construction")
    theirs = make_contract(framework, "DEC-009", member=member, supplier=other)
    make_return(other, [(theirs, "jobs-created", 8)], year=Y2023)
    assert "13 jobs were created in 2023-24" in page(olivia_looking)


def test_after_a_commitment_is_set_it_shows_the_target(
    olivia_looking, olivia_officer, provider, contract
):
    set_commitment(
        provider,
        measure=measure("jobs-created"),
        financial_year=2023,
        quantity=Decimal(40),
        contract=contract,
        by=olivia_officer,
    )
    assert "Jobs created: committed on 1 contract" in page(olivia_looking)


def test_after_a_contracts_value_changes_the_rate_per_million_follows(
    olivia_looking, olivia_officer, contract
):
    assert "£2,000,000" in page(olivia_looking)
    update_contract(contract, value=Decimal(1_000_000), by=olivia_officer)
    after = page(olivia_looking)
    assert "£1,000,000" in after
    assert "£2,000,000" not in after


def test_after_an_opening_balance_is_set_the_cumulative_total_includes_it(
    olivia_looking, olivia_officer, provider
):
    set_opening_balance(
        provider,
        measure=measure("jobs-created"),
        quantity=Decimal(1000),
        covers_until=2022,
        source="Published annual reports to 2022-23",
        by=olivia_officer,
    )
    assert "1,005" in page(olivia_looking)


def test_after_a_value_set_is_chosen_the_pounds_appear(olivia_looking, provider):
    chosen = make_value_set(provider, {"jobs-created": value(100)}, code="t", name="Test set")
    make_choice(provider, chosen, "Our own values")
    assert "Test set" in page(olivia_looking, "&price_year=2023-24")
    assert "Test set" in page(olivia_looking)


def test_a_report_kept_yesterday_it_does_not_serve_today(provider, five_jobs, monkeypatch):
    first = current_report(Scope(provider), Y2023)
    tomorrow = date.today() + timedelta(days=1)
    monkeypatch.setattr("socialledger.reports.queries.timezone.localdate", lambda: tomorrow)
    later = current_report(Scope(provider), Y2023)
    assert later is not first
    assert later.as_of == tomorrow


def test_each_scope_and_basis_it_keeps_apart(provider, member, five_jobs):
    whole = current_report(Scope(provider), Y2023)
    theirs = current_report(Scope(provider, "member", member), Y2023)
    reported = current_report(Scope(provider), Y2023, basis="reported")
    assert len({id(whole), id(theirs), id(reported)}) == 3
    assert theirs.scope_label == "Larkfield Homes"
