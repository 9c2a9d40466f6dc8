"""The report gives £ beside the counts: verified and reported, gross and net, nominal and real,
commitments in £, per £1 of contract value, and measures counted but not monetised.

Synthetic test values in 2023-24 prices: £100 per job created with deadweight 20%, range
£80 to £130; donations at face value. 5 jobs verified and 3 more reported on another supplier.
"""

from decimal import Decimal as D

import pytest

from socialledger.contracts.actions import set_commitment
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.lib.valuation import Band
from socialledger.measures.models import Measure
from socialledger.organisations.tests.factories import make_member, make_supplier
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return
from socialledger.valuation.library import deflator_series
from socialledger.valuation.tests.factories import make_choice, make_value_set, value

Y2023 = FinancialYear(2023)


@pytest.fixture
def valued(provider, framework, supplier, contract):
    other = make_supplier(provider, "BWC", "Brightwell Construction")
    theirs = make_contract(
        framework, "DEC-002", supplier=other, member=make_member(provider, "WBC"), value="1000000"
    )
    make_return(supplier, [(contract, "jobs-created", 5), (contract, "work-experience", 4)])
    make_return(other, [(theirs, "jobs-created", 3)], status=Status.SUBMITTED)
    chosen = make_value_set(
        provider,
        {
            "jobs-created": value(100, low=80, high=130, deadweight="0.2"),
            "donations": value(1, price_year=None),
        },
        unvalued={"work-experience": "No test value."},
    )
    make_choice(provider, chosen)


def money(provider, **options):
    return annual_report(Scope(provider), Y2023, **{"price_year": 2023, **options}).money


def test_without_a_chosen_set_it_counts_only_and_says_so(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 5)])
    report = annual_report(Scope(provider), Y2023)
    assert report.money is None
    assert "Not monetised: no value set has been chosen" in render(report, "text")


def test_verified_it_gives_gross_and_net_as_ranges(provider, valued):
    total = money(provider).verified
    assert total.gross == Band(D(400), D(500), D(650))  # 5 × £80 / £100 / £130
    assert total.net == Band(D(320), D(400), D(520))  # less 20% deadweight


def test_reported_it_counts_the_unverified_jobs_too(provider, valued):
    assert money(provider).reported.net == Band(D(512), D(640), D(832))  # 8 × … × 0.8


def test_real_terms_it_re_bases_to_the_chosen_price_year(provider, valued):
    series = deflator_series()
    real = money(provider, price_year=2024).verified.real_net.central
    assert real == D(400) * series.indices[2024] / series.indices[2023]


def test_a_measure_without_a_value_it_lists_as_counted_not_monetised(provider, valued):
    reasons = {line.code: line.reason for line in money(provider).unvalued}
    assert reasons["work-experience"] == "No test value."
    assert "work-experience" not in {line.code for line in money(provider).valued}


def test_commitments_it_sets_pounds_committed_against_pounds_delivered(provider, valued, contract):
    measure = Measure.objects.get(provider=None, code="jobs-created")
    set_commitment(
        provider, measure=measure, financial_year=2023, quantity=D(10), contract=contract, by=None
    )
    (commitment,) = money(provider).commitments
    assert commitment.committed.central == D(800)  # 10 × £100 × 0.8
    assert commitment.delivered.central == D(400)  # 5 × £100 × 0.8


def test_per_pound_of_contract_value_it_divides_by_the_groups_contract_value(provider, valued):
    by_supplier = next(t for t in money(provider).per_pound if t.by == "supplier")
    calder = next(row for row in by_supplier.rows if row.reference == "CRS")
    assert calder.contract_value == D(2000000)
    assert calder.per_pound.central == D(400) / D(2000000)


def test_the_working_it_names_the_source_and_the_value_set_version(provider, valued):
    text = render(annual_report(Scope(provider), Y2023), "json")
    assert '"source": "TEST VALUE: synthetic, for tests only"' in text
    assert '"version": 1' in text
    assert '"additionality_factor": "0.8"' in text
