"""The consistency check used after crashes and concurrent writes: reports against raw entries."""

from decimal import Decimal

from socialledger.reports import consistency
from socialledger.returns.models import State, Status
from socialledger.returns.tests.factories import make_return, measure


def test_it_adds_up_entries_counting_each_person_once(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 4)], status=Status.VERIFIED)
    ret = make_return(
        supplier,
        [(contract, "jobs-created", 2)],
        status=Status.SUBMITTED,
        year=contract.framework.provider.financial_year(2024),
    )
    ret.entries.update(person_key="same-person")
    totals = consistency.raw_totals(provider)
    jobs = measure("jobs-created").pk
    assert totals[(jobs, 2023, State.VERIFIED)] == Decimal(4)
    assert totals[(jobs, 2023, State.REPORTED)] == Decimal(4)
    assert totals[(jobs, 2024, State.REPORTED)] == Decimal(2)
    assert (jobs, 2024, State.VERIFIED) not in totals


def test_a_consistent_ledger_has_no_problems(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 4), (contract, "donations", 50)])
    assert consistency.ledger_inconsistencies() == []


def test_a_report_that_disagrees_with_its_entries_is_named(
    provider, supplier, contract, monkeypatch
):
    make_return(supplier, [(contract, "jobs-created", 4)])
    real = consistency.raw_totals

    def one_entry_short(provider):
        return {key: total - 1 for key, total in real(provider).items()}

    monkeypatch.setattr(consistency, "raw_totals", one_entry_short)
    problems = consistency.ledger_inconsistencies()
    assert any(
        "2023-24 verified jobs-created: the report says 4, the entries add up to 3" in p
        for p in problems
    )
