"""Filing many new year returns at once (what an import does) leaves exactly what opening,
filling in, submitting and verifying each return one by one would: the same returns, entries and
audit trail, with the same refusals, and nothing written when anything is refused."""

from datetime import date

import pytest

from socialledger.audit.models import AuditEvent, chain_key, verify_chain
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.consistency import ledger_inconsistencies
from socialledger.returns.actions import (
    TransitionError,
    YearReturn,
    file_year_returns,
    open_return,
    open_year_return,
    save_entries,
    submit_return,
    verify_return,
)
from socialledger.returns.models import Entry, Return, Status
from socialledger.returns.tests.factories import fact

Y2023 = FinancialYear(2023)
NOTES = {"submit": "Sent in", "verify": "Checked"}


@pytest.fixture
def two_suppliers(provider, framework, member, supplier, contract):
    """Calder (the fixture supplier, DEC-001) and Brightwell (DEC-002), one contract each."""
    other = make_supplier(provider, "BWC", "Brightwell Construction")
    return contract, make_contract(framework, "DEC-002", member=member, supplier=other)


def figures(contract):
    return [
        fact(contract, "jobs-created", 3, Y2023, hours="full-time"),
        fact(contract, "jobs-created", 1, Y2023, hours="part-time"),
        fact(contract, "donations", "250.50", Y2023, description="Food bank", kind="money"),
    ]


def trail(ret: Return) -> list[tuple]:
    """What the audit log says happened to a return, in order (the figures a submission sent
    by measure: the two returns compared are on different contracts)."""
    return [
        (e.action, e.before, _by_measure(e.after), e.note, e.actor_label)
        for e in AuditEvent.objects.about(ret).order_by("sequence")
    ]


def _by_measure(after):
    if not after or "figures" not in after:
        return after
    sent = {key.split("|", 1)[1]: total for key, total in after["figures"].items()}
    return after | {"figures": sent}


def what_it_holds(ret: Return) -> tuple:
    ret.refresh_from_db()
    entries = sorted(
        (e.measure.code, e.breakdown_key, e.description, e.quantity, e.definition_version)
        for e in ret.entries.select_related("measure")
    )
    decided = (ret.submitted_at is not None, ret.decided_at is not None, ret.decided_by_id)
    return ret.status, ret.version, ret.status_note, ret.verified_totals, decided, entries


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.VERIFIED])
def test_a_return_filed_at_once_it_leaves_as_the_steps_one_by_one_would(
    two_suppliers, olivia_officer, status
):
    calder_contract, brightwell_contract = two_suppliers
    olivia = {"by": olivia_officer, "via": "import"}
    one_by_one = open_year_return(brightwell_contract.supplier, Y2023, **olivia)
    save_entries(one_by_one, figures(brightwell_contract), **olivia)
    if status != Status.DRAFT:
        one_by_one = submit_return(one_by_one, note="Sent in", **olivia)
    if status == Status.VERIFIED:
        one_by_one = verify_return(one_by_one, note="Checked", **olivia)

    (at_once,) = file_year_returns(
        [YearReturn(calder_contract.supplier, Y2023, figures(calder_contract), status)],
        notes=NOTES,
        **olivia,
    )

    assert what_it_holds(at_once) == what_it_holds(one_by_one)
    assert trail(at_once) == trail(one_by_one)


def test_the_chain_and_the_summaries_stay_true_after_filing_many(two_suppliers, provider):
    calder_contract, brightwell_contract = two_suppliers
    file_year_returns(
        [
            YearReturn(calder_contract.supplier, Y2023, figures(calder_contract), Status.VERIFIED),
            YearReturn(
                brightwell_contract.supplier, Y2023, figures(brightwell_contract), Status.SUBMITTED
            ),
            YearReturn(calder_contract.supplier, FinancialYear(2024), [], Status.DRAFT),
        ],
        by=None,
        notes=NOTES,
    )
    assert verify_chain(chain_key(provider.pk)) is None
    assert ledger_inconsistencies() == []
    assert Entry.objects.count() == 6


def test_a_year_that_overlaps_a_return_the_supplier_has_it_refuses_and_writes_nothing(
    two_suppliers, supplier
):
    calder_contract, brightwell_contract = two_suppliers
    open_return(supplier, period_start=date(2023, 4, 1), period_end=date(2023, 6, 30), by=None)
    before = (Return.objects.count(), Entry.objects.count(), AuditEvent.objects.count())
    with pytest.raises(TransitionError, match="Calder Retrofit Services already has a return for"):
        file_year_returns(
            [
                YearReturn(brightwell_contract.supplier, Y2023, figures(brightwell_contract)),
                YearReturn(supplier, Y2023, figures(calder_contract)),
            ],
            by=None,
        )
    assert (Return.objects.count(), Entry.objects.count(), AuditEvent.objects.count()) == before


def test_two_returns_for_one_supplier_and_year_it_refuses(two_suppliers, supplier):
    calder_contract, _ = two_suppliers
    twice = [YearReturn(supplier, Y2023, figures(calder_contract)) for _ in range(2)]
    with pytest.raises(TransitionError, match="would have two returns for 2023-24"):
        file_year_returns(twice, by=None)
    assert not Return.objects.exists()


def test_a_figure_on_another_suppliers_contract_it_refuses(two_suppliers, supplier):
    _, brightwell_contract = two_suppliers
    with pytest.raises(TransitionError, match="DEC-002 is not a contract of"):
        file_year_returns([YearReturn(supplier, Y2023, figures(brightwell_contract))], by=None)
    assert not Return.objects.exists()
