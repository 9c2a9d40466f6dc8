"""A verified return is locked; reopening needs a reason, and a figure that changes after
verification appears as a restatement note in every report that showed it."""

from decimal import Decimal as D

import pytest

from socialledger.lib.periods import FinancialYear
from socialledger.reports.queries import Scope, annual_report
from socialledger.returns.actions import (
    TransitionError,
    reopen_return,
    replace_entries,
    submit_return,
    verify_return,
)
from socialledger.returns.models import Restatement
from socialledger.returns.tests.factories import fact, make_return

YEAR = FinancialYear(2023)


def test_a_verified_return_is_locked(supplier, contract):
    ret = make_return(supplier, [(contract, "jobs-created", 30)])
    with pytest.raises(TransitionError, match="only change after it is reopened"):
        replace_entries(ret, [fact(contract, "jobs-created", 28, YEAR)], by=None)


def test_a_figure_changed_after_verification_is_restated_in_reports(
    provider, supplier, contract, olivia_officer, cara_contributor
):
    ret = make_return(supplier, [(contract, "jobs-created", 30), (contract, "jobs-sustained", 50)])
    reopen_return(ret, by=olivia_officer, note="Two starters were counted twice")
    replace_entries(
        ret,
        [fact(contract, "jobs-created", 28, YEAR), fact(contract, "jobs-sustained", 50, YEAR)],
        by=cara_contributor,
    )
    verify_return(submit_return(ret, by=cara_contributor), by=olivia_officer)
    restated = Restatement.objects.get()
    assert (restated.measure.code, restated.before, restated.after) == (
        "jobs-created",
        D(30),
        D(28),
    )
    assert restated.reason == "Two starters were counted twice"
    for scope in (
        Scope(provider),
        Scope(provider, "supplier", supplier),
        Scope(provider, "contract", contract),
    ):
        notes = annual_report(scope, YEAR).restatements
        assert any(
            "restated from 30 to 28" in note and "Two starters were counted twice" in note
            for note in notes
        )
    assert any(
        "restated from 30 to 28" in note
        for note in annual_report(Scope(provider), YEAR.next).restatements
    )


def test_verifying_again_without_changes_restates_nothing(supplier, contract, olivia_officer):
    ret = make_return(supplier, [(contract, "jobs-created", 30)])
    reopen_return(ret, by=olivia_officer, note="Check the evidence again")
    verify_return(submit_return(ret, by=None), by=olivia_officer)
    assert not Restatement.objects.exists()
