"""Small-number suppression: primary cells, complementary cells, derived parts."""

from decimal import Decimal as D

from socialledger.contracts.tests.factories import make_contract
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.suppression import suppress
from socialledger.returns.tests.factories import DEFAULT_YEAR, make_return


def test_a_small_breakdown_cell_and_the_next_smallest_are_hidden(provider, supplier, contract):
    """Plumbing 3 is below 5; showing joinery 6 and electrical 20 beside the total 29 would give it
    away, so joinery (the smallest other) is hidden too."""
    make_return(
        supplier,
        [
            (contract, "apprenticeships-created", 3, {"trade": "plumbing"}),
            (contract, "apprenticeships-created", 6, {"trade": "joinery"}),
            (contract, "apprenticeships-created", 20, {"trade": "electrical"}),
        ],
    )
    hidden = suppress(annual_report(Scope(provider), DEFAULT_YEAR), 5)
    key = ("breakdown", "apprenticeships-created", "trade")
    assert hidden.hides(*key, "Plumbing", "current")
    assert hidden.words(*key, "Plumbing", "current") == "fewer than 5"
    assert hidden.hides(*key, "Joinery", "current")
    assert hidden.words(*key, "Joinery", "current") == "suppressed"
    assert not hidden.hides(*key, "Electrical", "current")
    assert not hidden.hides("headline", "apprenticeships-created", "current")


def test_a_hidden_component_hides_its_derived_total_in_that_row(
    provider, framework, supplier, contract
):
    other = make_supplier(provider, "BWC")
    theirs = make_contract(framework, "DEC-002", supplier=other)
    make_return(supplier, [(contract, "jobs-created", 2), (contract, "jobs-sustained", 40)])
    make_return(other, [(theirs, "jobs-created", 30), (theirs, "jobs-sustained", 50)])
    hidden = suppress(annual_report(Scope(provider), DEFAULT_YEAR), 5)
    row = ("group", "supplier", "CRS")
    assert hidden.hides(*row, "jobs-created", "current")
    assert hidden.hides(*row, "employment-outcomes", "current")
    assert hidden.hides(*row, "jobs-sustained", "current")
    assert hidden.hides_group("supplier", "CRS")


def test_money_and_zero_are_never_primary_suppressed(provider, supplier, contract):
    make_return(
        supplier,
        [
            (contract, "donations", D("3.50"), {"donation_type": "money"}),
            (contract, "jobs-created", 0),
        ],
    )
    hidden = suppress(annual_report(Scope(provider), DEFAULT_YEAR), 5)
    assert not hidden.hides("headline", "donations", "current")
    assert not hidden.hides("headline", "jobs-created", "current")
