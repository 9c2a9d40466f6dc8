"""The annual report: verified and reported kept apart, scopes, derived parts, stocks,
restatements, and a fixed number of queries whatever the size of the ledger."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialledger.contracts.actions import set_commitment
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.measures.models import Measure
from socialledger.organisations.tests.factories import make_member, make_supplier
from socialledger.reports.queries import (
    ReportIntegrityError,
    Scope,
    annual_report,
    check_parts_add_up,
    scope_from_text,
)
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return, measure

Y2023, Y2022 = FinancialYear(2023), FinancialYear(2022)


def report(provider, **kwargs):
    return annual_report(Scope(provider), Y2023, **kwargs)


def test_verified_and_reported_figures_are_kept_apart(provider, supplier, contract):
    other = make_supplier(provider, "BWC")
    second = make_contract(contract.framework, "DEC-002", supplier=other, member=contract.member)
    make_return(supplier, [(contract, "jobs-created", 10)], status=Status.VERIFIED)
    make_return(other, [(second, "jobs-created", 3)], status=Status.SUBMITTED)
    line = report(provider).measure("jobs-created")
    assert (line.current.verified.value, line.current.reported.value, line.unverified) == (
        10,
        13,
        3,
    )
    assert line.headline.value == 10
    assert report(provider, basis="reported").measure("jobs-created").headline.value == 13


def test_draft_and_rejected_figures_count_nowhere(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 10)], status=Status.DRAFT)
    line = report(provider).measure("jobs-created")
    assert not line.current.reported.recorded


def test_a_derived_measure_shows_and_equals_its_parts(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 7), (contract, "jobs-sustained", 20)])
    line = report(provider).measure("employment-outcomes")
    assert line.headline.value == 27
    assert [c.code for c in line.components] == ["jobs-created", "jobs-sustained"]


def test_the_report_refuses_to_show_parts_that_do_not_add_up(provider, supplier, contract):
    from dataclasses import replace

    make_return(supplier, [(contract, "jobs-created", 7)])
    good = report(provider)
    line = good.measure("employment-outcomes")
    broken_line = replace(
        line, current=replace(line.current, verified=replace(line.current.verified, value=D(8)))
    )
    broken = replace(good, measures=tuple(broken_line if m is line else m for m in good.measures))
    with pytest.raises(ReportIntegrityError, match="do not add up"):
        check_parts_add_up(broken)


def test_breakdowns_add_up_to_the_total_with_what_was_not_stated(provider, supplier, contract):
    make_return(
        supplier,
        [(contract, "jobs-created", 7, {"hours": "part-time"}), (contract, "jobs-created", 3)],
    )
    hours = next(
        b for b in report(provider).measure("jobs-created").breakdowns if b.dimension == "hours"
    )
    assert [(r.label, r.current) for r in hours.rows] == [
        ("Full-time", 0),
        ("Part-time", 7),
        ("Not stated", 3),
    ]


def test_each_scope_sees_only_its_own_contracts(provider, framework, supplier, member, contract):
    other_member = make_member(provider, "WBC")
    other_supplier = make_supplier(provider, "BWC")
    theirs = make_contract(framework, "DEC-002", member=other_member, supplier=other_supplier)
    make_return(supplier, [(contract, "jobs-created", 5)])
    make_return(other_supplier, [(theirs, "jobs-created", 8)])
    assert (
        annual_report(Scope(provider, "member", member), Y2023)
        .measure("jobs-created")
        .headline.value
        == 5
    )
    assert (
        annual_report(Scope(provider, "supplier", other_supplier), Y2023)
        .measure("jobs-created")
        .headline.value
        == 8
    )
    assert (
        annual_report(Scope(provider, "contract", theirs), Y2023)
        .measure("jobs-created")
        .headline.value
        == 8
    )
    assert (
        annual_report(Scope(provider, "framework", framework), Y2023)
        .measure("jobs-created")
        .headline.value
        == 13
    )


def test_group_tables_add_up_to_the_total(provider, framework, supplier, contract):
    other = make_supplier(provider, "BWC")
    make_return(supplier, [(contract, "jobs-created", 5)])
    make_return(other, [(make_contract(framework, "DEC-002", supplier=other), "jobs-created", 8)])
    by_supplier = next(t for t in report(provider).groups if t.by == "supplier")
    index = by_supplier.codes.index("jobs-created")
    assert {row.reference: row.cells[index].current for row in by_supplier.rows} == {
        "CRS": 5,
        "BWC": 8,
    }


def test_scopes_are_read_from_the_command_line_form(provider, framework, member, contract):
    assert scope_from_text(provider, "framework:dec").target == framework
    assert scope_from_text(provider, "member:Larkfield Homes").target == member
    assert scope_from_text(provider, "contract:DEC/DEC-001").target == contract
    with pytest.raises(ValueError, match="has no supplier"):
        scope_from_text(provider, "supplier:NOPE")
    with pytest.raises(ValueError, match="is not a scope"):
        scope_from_text(provider, "region:NW")


def test_a_rate_commitment_is_per_million_of_contract_value(provider, supplier, contract):
    set_commitment(
        provider,
        measure=measure("apprenticeships-created"),
        financial_year=2023,
        quantity=D("1.5"),
        contract=contract,
        basis="per-million",
        by=None,
    )
    make_return(supplier, [(contract, "apprenticeships-created", 2)])
    commitments = report(provider).measure("apprenticeships-created").commitments
    assert (commitments.on_contracts, commitments.delivered_on_those) == (D(3), D(2))  # 1.5 × £2m


def test_a_target_for_the_scope_is_never_added_to_contract_commitments(provider, contract):
    set_commitment(
        provider,
        measure=measure("jobs-created"),
        financial_year=2023,
        quantity=D(10),
        contract=contract,
        by=None,
    )
    set_commitment(
        provider, measure=measure("jobs-created"), financial_year=2023, quantity=D(100), by=None
    )
    commitments = report(provider).measure("jobs-created").commitments
    assert (commitments.on_contracts, commitments.set_for_scope) == (D(10), D(100))


def test_cumulative_totals_run_from_the_first_year_on_record(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 5)], year=Y2022)
    make_return(supplier, [(contract, "jobs-created", 7)], year=Y2023)
    cumulative = report(provider).measure("jobs-created").cumulative
    assert (cumulative.total, cumulative.first_year) == (12, Y2022)
    assert annual_report(Scope(provider), Y2022).measure("jobs-created").cumulative.total == 5


def test_a_stock_is_not_summed_across_years_or_periods(provider, supplier, contract):
    from socialledger.returns.actions import (
        Fact,
        open_return,
        save_entries,
        submit_return,
        verify_return,
    )

    stock = Measure.objects.create(
        provider=provider,
        code="headcount",
        name="People employed on the contract",
        unit="people",
        aggregation="stock",
        definition="Headcount at the end of each period.",
        narrative_one="{n}",
        narrative_many="{n}",
    )
    ret = open_return(supplier, period_start=Y2023.start, period_end=Y2023.end, by=None)
    quarters = [
        (Y2023.start, Y2023.start.replace(month=6, day=30), 40),
        (Y2023.start.replace(month=7), Y2023.start.replace(month=9, day=30), 45),
    ]
    save_entries(
        ret, [Fact(contract, stock, start, end, D(n)) for start, end, n in quarters], by=None
    )
    verify_return(submit_return(ret, by=None), by=None)
    line = report(provider).measure("headcount")
    assert line.headline.value == 45  # the latest period, not 85
    assert line.cumulative is None


def test_a_changed_definition_brings_a_restatement_note(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 5)], year=Y2022)
    jobs = measure("jobs-created")
    jobs.version, jobs.definition = 2, "A stricter definition."
    jobs.save()
    jobs.revisions.create(
        version=2, definition=jobs.definition, reason="Only posts lasting 26 weeks count"
    )
    make_return(supplier, [(contract, "jobs-created", 3)], year=Y2023)
    notes = report(provider).restatements
    assert notes == (
        "Jobs created: 2022-23 was counted under definition version 1, 2023-24 under version 2 "
        "(Only posts lasting 26 weeks count). Part of the change may come from the definition "
        "rather than from delivery.",
    )


def test_the_number_of_queries_does_not_grow_with_the_ledger(
    provider, framework, supplier, contract
):
    make_return(supplier, [(contract, "jobs-created", 5)])
    with CaptureQueriesContext(connection) as small:
        report(provider)
    for number in range(2, 12):
        other = make_supplier(provider, f"S{number}")
        deal = make_contract(framework, f"DEC-{number:03d}", supplier=other)
        make_return(
            other,
            [
                (deal, "jobs-created", number),
                (deal, "apprenticeships-created", 1, {"trade": "plumbing"}),
            ],
        )
    with CaptureQueriesContext(connection) as large:
        report(provider)
    assert len(large) == len(small)
