"""Opening a round gives every supplier with contracts in scope one return listing them."""

from datetime import date
from decimal import Decimal

import pytest

from socialledger.audit.models import AuditEvent
from socialledger.contracts.models import Spend
from socialledger.contracts.tests.factories import make_contract, make_framework
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.returns.actions import TransitionError
from socialledger.returns.models import Return, Status
from socialledger.returns.tests.factories import make_return
from socialledger.rounds.actions import open_round

YEAR = FinancialYear(2024)


def spend(contract, amount, period_end=date(2024, 12, 31)):
    Spend.objects.create(contract=contract, period_end=period_end, amount=Decimal(amount))


def open_2024(provider, **kwargs):
    return open_round(
        provider,
        name="Annual return 2024-25",
        period_start=YEAR.start,
        period_end=YEAR.end,
        opens_on=date(2025, 5, 1),
        closes_on=date(2025, 6, 30),
        by=None,
        **kwargs,
    )


@pytest.fixture
def contracts(provider, framework, supplier):
    other = make_supplier(provider, "BWC")
    big = make_contract(framework, "DEC-001", supplier=supplier)
    small = make_contract(framework, "DEC-002", supplier=supplier)
    theirs = make_contract(framework, "DEC-003", supplier=other)
    ended = make_contract(
        framework, "DEC-004", supplier=other, starts_on=date(2020, 4, 1), ends_on=date(2023, 3, 31)
    )
    spend(big, "60000", date(2024, 6, 30))
    spend(big, "50000", date(2024, 12, 31))
    spend(small, "99999.99")
    spend(theirs, "250000")
    spend(ended, "500000", date(2023, 3, 31))
    return {"big": big, "small": small, "theirs": theirs, "ended": ended}


def test_contracts_with_enough_recent_spend_are_in_scope(provider, contracts):
    round_ = open_2024(provider)
    assert set(round_.contracts_in_scope()) == {contracts["big"], contracts["theirs"]}


def test_spend_before_the_twelve_months_does_not_count(provider, contracts):
    spend(contracts["small"], "500000", date(2023, 12, 31))
    assert contracts["small"] not in open_2024(provider).contracts_in_scope()


def test_every_live_contract_of_an_always_included_framework_is_in_scope(provider, contracts):
    consultancy = make_framework(provider, "CON")
    survey = make_contract(consultancy, "CON-001", supplier=contracts["big"].supplier)
    round_ = open_2024(provider, always_included=[consultancy])
    assert survey in round_.contracts_in_scope()


def test_each_supplier_gets_one_draft_return_listing_its_contracts(provider, contracts):
    round_ = open_2024(provider)
    returns = {r.supplier.reference: r for r in round_.returns.all()}
    assert set(returns) == {"CRS", "BWC"}
    assert [s.contract.reference for s in returns["CRS"].scope.all()] == ["DEC-001"]
    assert returns["CRS"].status == Status.DRAFT
    assert (returns["CRS"].period_start, returns["CRS"].period_end) == (YEAR.start, YEAR.end)
    assert AuditEvent.objects.filter(action="round.opened").get().after["returns"] == 2


def test_a_return_already_made_for_the_period_joins_the_round(provider, contracts, supplier):
    existing = make_return(
        supplier, [(contracts["big"], "jobs-created", 2)], year=YEAR, status=Status.SUBMITTED
    )
    round_ = open_2024(provider)
    existing.refresh_from_db()
    assert existing.round == round_
    assert Return.objects.filter(supplier=supplier).count() == 1


def test_a_second_round_for_the_same_period_is_refused(provider, contracts):
    open_2024(provider)
    with pytest.raises(TransitionError, match="already a round"):
        open_2024(provider)
