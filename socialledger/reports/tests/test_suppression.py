"""Small-number suppression: small cells, and only the further cells that stop one being worked
out from a total or a derived figure."""

from decimal import Decimal as D

from socialledger.contracts.tests.factories import make_contract, make_framework
from socialledger.demo.builder import build_demo
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.suppression import showing_gives_one_away, sums_that_add_up, suppress
from socialledger.returns.models import State
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


def test_a_small_jobs_figure_is_hidden_with_the_next_smallest_framework_and_no_more(provider):
    """Construction's 1 job beside 111 and 244 under a shown total of 356 could be worked out
    (356 - 244 - 111), so 111 is hidden too; 244 stays, since with two hidden neither is known."""
    supplier = make_supplier(provider, "CRS")
    figures = [
        (
            make_contract(make_framework(provider, ref), f"{ref}-1", supplier=supplier),
            "jobs-created",
            n,
        )
        for ref, n in (("CON", 1), ("RDF", 111), ("DEC", 244))
    ]
    make_return(supplier, figures)
    report = annual_report(Scope(provider), DEFAULT_YEAR)
    hidden = suppress(report, 5)
    framework = ("group", "framework")
    assert hidden.words(*framework, "CON", "jobs-created", "current") == "fewer than 5"
    assert hidden.words(*framework, "RDF", "jobs-created", "current") == "suppressed"
    assert not hidden.hides(*framework, "DEC", "jobs-created", "current")
    assert not hidden.hides("headline", "jobs-created", "current")
    assert showing_gives_one_away(report, hidden, (*framework, "RDF", "jobs-created", "current"))


def test_a_hidden_component_hides_one_more_figure_in_its_row_not_all_of_them(provider, framework):
    """Calder's 2 jobs created could be worked out as its 42 people in employment less its 40
    jobs sustained; hiding one of those two is enough, so the other is shown."""
    rows = {"CRS": (2, 40), "BWC": (30, 50), "TME": (25, 60)}
    for reference, (created, sustained) in rows.items():
        supplier = make_supplier(provider, reference)
        contract = make_contract(framework, f"DEC-{reference}", supplier=supplier)
        make_return(
            supplier, [(contract, "jobs-created", created), (contract, "jobs-sustained", sustained)]
        )
    report = annual_report(Scope(provider), DEFAULT_YEAR)
    hidden = suppress(report, 5)
    row = ("group", "supplier", "CRS")
    assert hidden.words(*row, "jobs-created", "current") == "fewer than 5"
    others = [
        hidden.hides(*row, code, "current") for code in ("jobs-sustained", "employment-outcomes")
    ]
    assert others.count(True) == 1
    assert hidden.hides_group("supplier", "CRS")


def test_no_figure_of_the_demo_above_the_threshold_is_hidden_without_its_reason(db):
    """On the demo's verified 2023-24 report: every hidden figure of 5 or more is a secondary
    one whose showing would let a small figure be worked out, and no sum of the report is left
    with a single hidden figure (so none can be worked out)."""
    report = annual_report(Scope(build_demo()), FinancialYear(2023), basis=State.VERIFIED)
    hidden = suppress(report, 5)
    sums = list(sums_that_add_up(report))
    values = {key: value for cells in sums for key, value in cells}
    large = [key for key in hidden.hidden if values[key] >= 5]
    assert large, "the demo has secondary suppression to check"
    assert all(key in hidden.secondary for key in large)
    assert [k for k in large if not showing_gives_one_away(report, hidden, k)] == []
    alone = [cells for cells in sums if sum(key in hidden.hidden for key, _ in cells) == 1]
    assert alone == []


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
