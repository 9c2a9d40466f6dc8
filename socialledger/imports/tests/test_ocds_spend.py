"""Spend from OCDS: a call-off's `implementation.transactions` become the contract's spend, month
by month, through the one spend action, with the import's all-or-nothing checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from socialledger.audit.models import AuditEvent
from socialledger.contracts.actions import record_spend
from socialledger.contracts.models import Contract, Spend
from socialledger.imports.actions import import_ocds_package
from socialledger.imports.reading import ImportRefused
from socialledger.imports.tests.ocds_packages import call_off_release, framework_release, package
from socialledger.organisations.tests.factories import make_member, make_supplier


@pytest.fixture
def parties(provider):
    make_supplier(provider, "FEH", companies_house_number="09900101")
    make_member(provider, "MHA", social_housing_number="L0099")


def paid(*transactions, ocid="ocds-b5fd17-7c1e2a") -> dict:
    """A call-off release whose contract lists these (id, date, amount) transactions."""
    release = call_off_release(ocid=ocid)
    release["contracts"][0]["implementation"] = {
        "transactions": [
            {"id": tid, "date": when, "value": {"amount": Decimal(amount), "currency": "GBP"}}
            for tid, when, amount in transactions
        ]
    }
    return release


def spend_of(contract_id="KRF-MHA-001") -> list[tuple[date, Decimal]]:
    contract = Contract.objects.get(ocds_id=contract_id)
    return [(s.period_end, s.amount) for s in contract.spend.all()]


def problems_of(provider, content) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        import_ocds_package(provider, content, by=None)
    return [str(problem) for problem in refused.value.problems]


def test_transactions_become_spend_per_month_refunds_netted(provider, parties):
    release = paid(
        ("T1", "2024-06-10T00:00:00Z", "120000"),
        ("T2", "2024-06-28", "30000.50"),
        ("T3", "2024-07-02T09:00:00+01:00", "80000"),
        ("T4", "2024-07-20", "-5000"),  # a refund, netted within its month
    )
    summary = import_ocds_package(provider, package(framework_release(), release), by=None)
    assert spend_of() == [
        (date(2024, 6, 30), Decimal("150000.50")),
        (date(2024, 7, 31), Decimal("75000")),
    ]
    assert summary.spend_months == 2
    assert "Spend recorded for 2 months." in str(summary)


def test_each_month_is_recorded_through_the_spend_action_with_its_audit_event(provider, parties):
    release = paid(("T1", "2024-06-10", "1000"))
    import_ocds_package(provider, package(framework_release(), release), by=None)
    event = AuditEvent.objects.get(action="contract.spend_recorded")
    assert event.after == {"period_end": "2024-06-30", "amount": "1000"}


def test_the_deprecated_amount_of_ocds_1_0_is_read_too(provider, parties):
    release = paid(("T1", "2024-06-10", "1000"))
    transaction = release["contracts"][0]["implementation"]["transactions"][0]
    transaction["amount"] = transaction.pop("value")
    import_ocds_package(provider, package(framework_release(), release), by=None)
    assert spend_of() == [(date(2024, 6, 30), Decimal(1000))]


def test_a_later_release_replaces_the_transactions_it_repeats_and_keeps_the_others(
    provider, parties
):
    earlier = paid(("T1", "2024-06-10", "1000"), ("T2", "2024-07-10", "2000"))
    later = paid(("T2", "2024-07-10", "2500"))  # a correction of T2 only
    later["id"], later["date"] = "later", "2024-08-01T00:00:00Z"
    import_ocds_package(provider, package(framework_release(), earlier, later), by=None)
    assert spend_of() == [(date(2024, 6, 30), Decimal(1000)), (date(2024, 7, 31), Decimal(2500))]


def test_importing_again_replaces_a_months_spend_never_adds_to_it(provider, parties):
    content = package(framework_release(), paid(("T1", "2024-06-10", "1000")))
    import_ocds_package(provider, content, by=None)
    import_ocds_package(provider, content, by=None)
    assert spend_of() == [(date(2024, 6, 30), Decimal(1000))]


def test_it_corrects_spend_recorded_on_the_web_for_the_same_month(provider, parties):
    import_ocds_package(provider, package(framework_release(), call_off_release()), by=None)
    contract = Contract.objects.get(ocds_id="KRF-MHA-001")
    record_spend(contract, period_end=date(2024, 6, 30), amount=Decimal(999), by=None)
    import_ocds_package(provider, package(paid(("T1", "2024-06-10", "1000"))), by=None)
    assert spend_of() == [(date(2024, 6, 30), Decimal(1000))]


def test_every_problem_with_a_transaction_is_listed_and_nothing_is_written(provider, parties):
    release = paid(
        ("T1", "10 June 2024", "1000"),
        ("T2", "2024-06-11", "1000"),
        ("T3", "2024-08-01", "100"),
        ("T4", "2024-08-02", "-900"),
    )
    release["contracts"][0]["implementation"]["transactions"][1]["value"]["currency"] = "EUR"
    problems = problems_of(provider, package(framework_release(), release))
    where = "releases[1].contracts[0].implementation.transactions"
    assert problems == [
        f'{where}[0].date: "10 June 2024" – a date such as 2024-04-01 or 2024-04-01T00:00:00Z',
        f'{where}[1].value.currency: "EUR" – an amount in pounds sterling (GBP)',
        f'{where}[2]: "-800" – transactions in August 2024 that come to £0 or more '
        "(refunds and corrections included); they come to £-800",
    ]
    assert not Spend.objects.exists()
    assert not Contract.objects.exists()


def test_a_transaction_without_a_value_is_a_problem_at_its_value(provider, parties):
    release = paid(("T1", "2024-06-10", "1000"))
    del release["contracts"][0]["implementation"]["transactions"][0]["value"]
    problems = problems_of(provider, package(framework_release(), release))
    assert problems == [
        "releases[1].contracts[0].implementation.transactions[0].value.amount – the amount in "
        "pounds, as a number"
    ]


def test_a_contract_with_no_transactions_keeps_the_spend_it_has(provider, parties):
    import_ocds_package(provider, package(framework_release(), call_off_release()), by=None)
    contract = Contract.objects.get(ocds_id="KRF-MHA-001")
    record_spend(contract, period_end=date(2024, 6, 30), amount=Decimal(999), by=None)
    summary = import_ocds_package(provider, package(call_off_release()), by=None)
    assert spend_of() == [(date(2024, 6, 30), Decimal(999))]
    assert "Spend recorded" not in str(summary)
