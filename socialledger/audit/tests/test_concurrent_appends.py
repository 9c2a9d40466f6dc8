"""Events recorded at the same moment by many transactions join their chain one after another:
no place in the chain is taken twice, none is skipped, and the chain stays intact.

Real threads need a database that holds concurrent writers: PostgreSQL. SQLite in the test suite
is one in-memory database shared by every connection, where a second writer fails at once with
"table is locked" instead of waiting, so the threads are skipped there; SQLite's own guarantee
(one writer at a time, taken at BEGIN IMMEDIATE) is what the product relies on instead.
"""

import pytest
from django.db import connection, transaction

from socialledger.audit.actions import record
from socialledger.audit.models import AuditChain, AuditEvent, chain_key, verify_chain
from tests.together import run_together

THREADS = 8
EVENTS_EACH = 10

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (see docstring)"
)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_events_form_one_unbroken_chain(provider):
    def append(index: int) -> None:
        for number in range(EVENTS_EACH):
            with transaction.atomic():
                record(provider, f"test.event-{index}-{number}", by=None, provider=provider)

    before = AuditEvent.objects.filter(chain=chain_key(provider.pk)).count()
    assert run_together(append, THREADS) == [None] * THREADS
    key = chain_key(provider.pk)
    sequences = list(
        AuditEvent.objects.filter(chain=key).order_by("sequence").values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, before + THREADS * EVENTS_EACH + 1))
    assert AuditChain.objects.get(key=key).length == len(sequences)
    assert verify_chain(key) is None


@pytest.mark.django_db(transaction=True)
def test_the_first_events_of_a_new_chain_do_not_collide(other_provider):
    AuditEvent.objects.filter(provider=other_provider).delete()
    AuditChain.objects.filter(key=chain_key(other_provider.pk)).delete()

    def append(index: int) -> None:
        record(other_provider, f"test.first-{index}", by=None, provider=other_provider)

    assert run_together(append, THREADS) == [None] * THREADS
    assert verify_chain(chain_key(other_provider.pk)) is None
    assert AuditChain.objects.get(key=chain_key(other_provider.pk)).length == THREADS
