"""Thirty-two suppliers opening, filling in and submitting returns at the same moment, again and
again: every figure is stored exactly once, no one gets an error, and the audit chain they all
write to stays intact. A few seconds normally; a full minute under `make stress`.

PostgreSQL only: the test suite's SQLite database cannot hold concurrent writers (see
test_conflicting_decisions.py), and on SQLite the product has one writer at a time by design.
"""

import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from socialledger.audit.models import chain_key, verify_chain
from socialledger.contracts.tests.factories import make_contract
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.consistency import ledger_inconsistencies
from socialledger.returns.actions import Fact, open_return, save_entries, submit_return
from socialledger.returns.models import Entry, Return, Status
from socialledger.returns.tests.factories import measure
from tests.together import run_together

SUPPLIERS = 32
FACTS_EACH = 3

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
]


@pytest.mark.django_db(transaction=True)
def test_thirty_two_suppliers_submitting_at_once_store_every_figure_once(
    provider, framework, member, stress
):
    seconds = 60 if stress else 3
    contracts = [
        make_contract(
            framework, f"RUSH-{n:02}", member=member, supplier=make_supplier(provider, f"S{n:02}")
        )
        for n in range(SUPPLIERS)
    ]
    jobs = measure("jobs-created")
    deadline = time.monotonic() + seconds

    def keep_submitting(index: int) -> int:
        contract, stored, day = contracts[index], 0, date(2000, 4, 1)
        while time.monotonic() < deadline:
            ret = open_return(contract.supplier, period_start=day, period_end=day, by=None)
            facts = [
                Fact(contract, jobs, day, day, Decimal(n + 1), description=f"figure {n}")
                for n in range(FACTS_EACH)
            ]
            stored += save_entries(ret, facts, by=None).added
            submit_return(ret, by=None)
            day += timedelta(days=1)
        return stored

    outcomes = run_together(keep_submitting, SUPPLIERS)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert errors == []
    rushing = Entry.objects.filter(contract__in=contracts)
    assert rushing.count() == sum(outcomes)
    returns = Return.objects.filter(supplier__in=[c.supplier for c in contracts])
    assert returns.count() * FACTS_EACH == sum(outcomes)
    assert not returns.exclude(status=Status.SUBMITTED).exists()
    assert verify_chain(chain_key(provider.pk)) is None
    assert ledger_inconsistencies() == []
    figures = f"{returns.count()} returns submitted, {sum(outcomes)} figures stored"
    print(f"\n{SUPPLIERS} suppliers for {seconds} s: {figures}")  # noqa: T201
