"""Events written before the hash chain existed join their provider's chain when the database is
migrated, oldest first, and the chain then verifies as intact."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from socialledger.audit.models import AuditChain, AuditEvent, chain_key, verify_chain

BEFORE_THE_CHAIN = [("audit", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_older_events_are_chained_by_the_migration(provider):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("audit")
    old_apps = migrate(BEFORE_THE_CHAIN)
    OldEvent = old_apps.get_model("audit", "AuditEvent")
    now = timezone.now()
    for minutes, provider_id in [(3, provider.pk), (1, None), (2, provider.pk)]:
        OldEvent.objects.create(
            provider_id=provider_id,
            actor_label="system",
            action="contract.created",
            object_type="contracts.contract",
            object_id=str(minutes),
            object_repr=f"contract {minutes}",
            before=None,
            after={"value": "1000"},
        )
        OldEvent.objects.filter(object_id=str(minutes)).update(
            created_at=now - timezone.timedelta(minutes=10 - minutes)
        )
    migrate(latest)
    key = chain_key(provider.pk)
    assert verify_chain(key) is None
    assert verify_chain(chain_key(None)) is None
    chained = AuditEvent.objects.filter(chain=key, object_id__in=["2", "3"]).order_by("sequence")
    assert [e.object_id for e in chained] == ["2", "3"]  # oldest first
    assert AuditChain.objects.get(key=key).length == AuditEvent.objects.filter(chain=key).count()
