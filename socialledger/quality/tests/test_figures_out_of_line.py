"""Each data-quality rule flags a figure out of line, and stays quiet about one in line."""

from decimal import Decimal as D

import pytest

from socialledger.contracts.actions import set_commitment
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.quality.actions import set_thresholds
from socialledger.quality.queries import warnings_for_entries, warnings_in_scope
from socialledger.reports.queries import Scope
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return, measure

LAST, NOW = FinancialYear(2023), FinancialYear(2024)


def rules_flagged(provider, ret) -> list[str]:
    found = warnings_for_entries(provider, ret.entries.all())
    return sorted(w.rule for ws in found.values() for w in ws)


def test_a_figure_ten_times_the_contracts_year_before_is_flagged(provider, supplier, contract):
    make_return(supplier, [(contract, "donations", 1000)], year=LAST)
    ret = make_return(supplier, [(contract, "donations", 10000)], year=NOW, status=Status.DRAFT)
    [warning] = warnings_for_entries(provider, ret.entries.all())[
        (contract.pk, measure("donations").pk, 2024)
    ]
    assert warning.rule == "earlier-years"
    assert warning.message == "£10,000 is 10 times this contract's figure the year before (£1,000)."
    assert not warning.checked


def test_a_fall_to_a_tenth_is_flagged_like_a_jump(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 50)], year=LAST)
    ret = make_return(supplier, [(contract, "jobs-created", 5)], year=NOW, status=Status.DRAFT)
    assert rules_flagged(provider, ret) == ["earlier-years"]


def test_a_figure_in_line_with_last_year_is_not_flagged(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 50)], year=LAST)
    ret = make_return(supplier, [(contract, "jobs-created", 70)], year=NOW, status=Status.DRAFT)
    assert rules_flagged(provider, ret) == []


def test_the_threshold_is_the_providers_own(provider, supplier, contract):
    set_thresholds(provider, jump_factor="1.5", by=None)
    make_return(supplier, [(contract, "jobs-created", 50)], year=LAST)
    ret = make_return(supplier, [(contract, "jobs-created", 80)], year=NOW, status=Status.DRAFT)
    assert rules_flagged(provider, ret) == ["earlier-years"]


def test_a_factor_of_one_or_less_is_refused(provider):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="above 1"):
        set_thresholds(provider, jump_factor="1", by=None)


def test_a_figure_far_above_the_frameworks_rate_per_million_is_flagged(
    provider, framework, supplier, contract
):
    """Three other £1m contracts report 2 jobs each; DEC-001 (£2m) reports 200: 100 per £1m
    against a typical 2."""
    for n in range(3):
        other = make_supplier(provider, f"P{n}")
        peer = make_contract(framework, f"DEC-10{n}", supplier=other, value="1000000")
        make_return(other, [(peer, "jobs-created", 2)], year=NOW)
    ret = make_return(supplier, [(contract, "jobs-created", 200)], year=NOW, status=Status.DRAFT)
    found = warnings_for_entries(provider, ret.entries.all())
    [warning] = found[(contract.pk, measure("jobs-created").pk, 2024)]
    assert warning.rule == "contract-value"
    assert "100 per £1m of contract value, against a typical 2 per £1m" in warning.message


def test_too_few_other_contracts_make_no_spread_to_judge_by(
    provider, framework, supplier, contract
):
    other = make_supplier(provider, "P1")
    peer = make_contract(framework, "DEC-101", supplier=other, value="1000000")
    make_return(other, [(peer, "jobs-created", 2)], year=NOW)
    ret = make_return(supplier, [(contract, "jobs-created", 200)], year=NOW, status=Status.DRAFT)
    assert rules_flagged(provider, ret) == []


def test_a_figure_far_beyond_the_commitment_is_flagged(provider, supplier, contract):
    set_commitment(
        provider,
        measure=measure("jobs-created"),
        financial_year=2024,
        quantity=D(4),
        contract=contract,
        by=None,
    )
    ret = make_return(supplier, [(contract, "jobs-created", 40)], year=NOW, status=Status.DRAFT)
    assert rules_flagged(provider, ret) == ["commitment"]


def test_a_reports_scope_counts_its_reported_figures_warnings(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 50)], year=LAST)
    make_return(supplier, [(contract, "jobs-created", 500)], year=NOW, status=Status.SUBMITTED)
    [warning] = warnings_in_scope(Scope(provider), NOW)
    assert (warning.rule, warning.quantity) == ("earlier-years", D(500))


def test_a_new_contract_ten_times_its_suppliers_year_before_is_flagged(
    provider, framework, supplier, contract
):
    make_return(supplier, [(contract, "jobs-created", 4)], year=LAST)
    new = make_contract(framework, "DEC-009", supplier=supplier)
    ret = make_return(
        supplier, [(contract, "jobs-created", 5), (new, "jobs-created", 40)], year=NOW
    )
    [warning] = [w for ws in warnings_for_entries(provider, ret.entries.all()).values() for w in ws]
    assert (warning.rule, warning.contract_id) == ("wider-years", new.pk)
    assert warning.message == (
        "40 on one contract is 10 times the supplier's figure on all its contracts the year "
        "before (4)."
    )


def test_a_new_suppliers_figure_is_held_against_the_whole_providers_year_before(
    provider, framework, supplier, contract
):
    make_return(supplier, [(contract, "jobs-created", 3)], year=LAST)
    newcomer = make_supplier(provider, "NEW")
    deal = make_contract(framework, "DEC-010", supplier=newcomer)
    ret = make_return(newcomer, [(deal, "jobs-created", 300)], year=NOW, status=Status.DRAFT)
    [warning] = [w for ws in warnings_for_entries(provider, ret.entries.all()).values() for w in ws]
    assert warning.rule == "wider-years"
    assert "100 times the whole provider's figure the year before (3)" in warning.message


def test_a_new_contract_in_line_with_its_supplier_is_not_flagged(
    provider, framework, supplier, contract
):
    make_return(supplier, [(contract, "jobs-created", 40)], year=LAST)
    new = make_contract(framework, "DEC-009", supplier=supplier)
    ret = make_return(supplier, [(new, "jobs-created", 30)], year=NOW, status=Status.DRAFT)
    assert rules_flagged(provider, ret) == []
