# Events written before the hash chain existed join their provider's chain, oldest first, so that
# `socialledger audit verify` vouches for them from now on.

from django.db import migrations


def chain_existing_events(apps, schema_editor):
    from socialledger.audit.models import chain_key, event_hash

    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChain = apps.get_model("audit", "AuditChain")
    heads = {}
    for event in AuditEvent.objects.order_by("created_at", "pk").iterator(chunk_size=2000):
        key = chain_key(event.provider_id)
        length, previous = heads.get(key, (0, ""))
        event.chain, event.sequence, event.previous_hash = key, length + 1, previous
        event.hash = event_hash(event)
        event.save(update_fields=["chain", "sequence", "previous_hash", "hash"])
        heads[key] = (event.sequence, event.hash)
    for key, (length, head_hash) in heads.items():
        AuditChain.objects.update_or_create(
            key=key, defaults={"length": length, "head_hash": head_hash}
        )


class Migration(migrations.Migration):

    dependencies = [('audit', '0002_hash_chain_fields')]

    operations = [migrations.RunPython(chain_existing_events, migrations.RunPython.noop)]
