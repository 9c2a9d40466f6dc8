"""Saving figures: matched by natural key so nothing is counted twice, and only while the
return is editable."""

from decimal import Decimal as D

import pytest

from socialledger.audit.models import AuditEvent
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.returns.actions import (
    TransitionError,
    open_year_return,
    remove_entries,
    save_entries,
)
from socialledger.returns.models import Entry, Status
from socialledger.returns.tests.factories import fact, make_return

YEAR = FinancialYear(2023)


@pytest.fixture
def draft(supplier):
    return open_year_return(supplier, YEAR, by=None)


def test_saving_the_same_figure_twice_keeps_one_entry(draft, contract):
    save_entries(draft, [fact(contract, "jobs-created", 4, YEAR)], by=None)
    summary = save_entries(draft, [fact(contract, "jobs-created", 4, YEAR)], by=None)
    assert (summary.added, summary.changed, summary.unchanged) == (0, 0, 1)
    assert Entry.objects.count() == 1


def test_a_new_quantity_for_the_same_key_replaces_the_old_one(draft, contract):
    save_entries(draft, [fact(contract, "jobs-created", 4, YEAR)], by=None)
    summary = save_entries(draft, [fact(contract, "jobs-created", 6, YEAR)], by=None)
    assert summary.changed == 1
    assert Entry.objects.get().quantity == D(6)
    change = AuditEvent.objects.about(draft).filter(action="return.entries_saved").last()
    assert change.after["changed"][0]["before"] == "4"
    assert change.after["changed"][0]["quantity"] == "6"


def test_different_breakdowns_are_different_entries(draft, contract):
    save_entries(
        draft,
        [
            fact(contract, "jobs-created", 4, YEAR, hours="full-time"),
            fact(contract, "jobs-created", 1, YEAR, hours="part-time"),
        ],
        by=None,
    )
    assert Entry.objects.count() == 2


def test_an_entry_records_its_measures_definition_version_and_year(draft, contract):
    save_entries(draft, [fact(contract, "jobs-created", 4, YEAR)], by=None)
    entry = Entry.objects.get()
    assert (entry.definition_version, entry.financial_year) == (1, 2023)


def test_figures_in_a_submitted_return_cannot_change(supplier, contract):
    submitted = make_return(supplier, [(contract, "jobs-created", 4)], status=Status.SUBMITTED)
    with pytest.raises(TransitionError, match="only change after it is reopened"):
        save_entries(submitted, [fact(contract, "jobs-created", 5, YEAR)], by=None)
    with pytest.raises(TransitionError):
        remove_entries(submitted, list(submitted.entries.all()), by=None)


def test_a_figure_for_another_suppliers_contract_is_refused(draft, framework, provider):
    rival = make_contract(framework, "DEC-900", supplier=make_supplier(provider, "RIV"))
    with pytest.raises(TransitionError, match="not a contract of"):
        save_entries(draft, [fact(rival, "jobs-created", 1, YEAR)], by=None)


def test_a_derived_measure_cannot_be_entered_directly(draft, contract):
    with pytest.raises(TransitionError, match="derived"):
        save_entries(draft, [fact(contract, "employment-outcomes", 1, YEAR)], by=None)


def test_a_figure_outside_the_returns_period_is_refused(draft, contract):
    with pytest.raises(TransitionError, match="outside"):
        save_entries(draft, [fact(contract, "jobs-created", 1, YEAR.next)], by=None)


def test_removing_figures_keeps_what_they_were_in_the_audit_log(draft, contract):
    save_entries(draft, [fact(contract, "jobs-created", 4, YEAR)], by=None)
    assert remove_entries(draft, list(draft.entries.all()), by=None) == 1
    event = AuditEvent.objects.about(draft).get(action="return.entries_removed")
    assert event.before["entries"][0]["quantity"] == "4"


def test_one_supplier_cannot_have_two_returns_for_overlapping_periods(draft, supplier):
    with pytest.raises(TransitionError, match="already has a return"):
        open_year_return(supplier, YEAR, by=None)


def test_quantities_are_stored_exactly(draft, contract):
    save_entries(
        draft,
        [fact(contract, "donations", "0.10", YEAR, description="Raffle", donation_type="money")]
        * 1,
        by=None,
    )
    save_entries(
        draft,
        [fact(contract, "donations", "0.20", YEAR, description="Tombola", donation_type="money")],
        by=None,
    )
    from django.db.models import Sum

    assert Entry.objects.aggregate(total=Sum("quantity"))["total"] == D("0.30")
