"""The audit log is a hash chain per provider: `socialledger audit verify` names the first event
that was edited, deleted or slipped in, when rows are changed directly in the database."""

from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from socialledger.audit.actions import record
from socialledger.audit.models import AuditChain, AuditEvent, chain_key, verify_chain
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return


@pytest.fixture
def chain(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 4)], status=Status.VERIFIED)
    return chain_key(provider.pk)


def events(key):
    return list(AuditEvent.objects.filter(chain=key).order_by("sequence"))


def test_an_untouched_log_is_intact(chain, capsys):
    assert verify_chain(chain) is None
    call_command("audit", "verify")
    assert "All" in capsys.readouterr().out


def test_each_event_links_to_the_one_before(chain):
    found = events(chain)
    assert [e.sequence for e in found] == list(range(1, len(found) + 1))
    assert all(later.previous_hash == earlier.hash for earlier, later in pairwise(found))
    assert AuditChain.objects.get(key=chain).head_hash == found[-1].hash


def test_an_edited_event_is_named(chain, capsys):
    target = events(chain)[3]
    AuditEvent.objects.filter(pk=target.pk).update(note="nothing to see here")
    assert verify_chain(chain).startswith(f"event {target.sequence} (")
    with pytest.raises(CommandError, match="broken"):
        call_command("audit", "verify")
    assert f"event {target.sequence}" in capsys.readouterr().err


def test_an_edit_that_also_fixes_the_events_own_hash_is_still_found(chain):
    target = events(chain)[2]
    target.note = "rewritten"
    target.hash = target.content_hash()
    AuditEvent.objects.filter(pk=target.pk).update(note=target.note, hash=target.hash)
    assert verify_chain(chain).startswith(f"event {target.sequence + 1} (")


def test_a_deleted_event_is_named(chain):
    target = events(chain)[2]
    AuditEvent.objects.filter(pk=target.pk).delete()
    assert verify_chain(chain) == (
        f"event {target.sequence} is missing (deleted): the log goes from event "
        f"{target.sequence - 1} to event {target.sequence + 1}"
    )


def test_deleting_the_last_events_is_found(chain):
    last = events(chain)[-1]
    AuditEvent.objects.filter(pk=last.pk).delete()
    assert "the last were deleted" in verify_chain(chain)


def test_an_event_slipped_in_at_the_end_is_found(chain, provider):
    last = events(chain)[-1]
    forged = AuditEvent(
        provider=provider,
        actor_label="intruder",
        action="return.verified",
        object_type="returns.return",
        object_id="1",
        object_repr="x",
        chain=chain,
        sequence=last.sequence + 1,
        previous_hash=last.hash,
    )
    forged.hash = forged.content_hash()
    forged.save()
    assert "added outside the product" in verify_chain(chain)


def test_an_event_swapped_for_another_is_found(chain, provider):
    target = events(chain)[1]
    AuditEvent.objects.filter(pk=target.pk).delete()
    forged = AuditEvent(
        provider=provider,
        actor_label="intruder",
        action="contract.created",
        object_type="contracts.contract",
        object_id="1",
        object_repr="x",
        chain=chain,
        sequence=target.sequence,
        previous_hash=target.previous_hash,
    )
    forged.hash = forged.content_hash()
    forged.save()
    assert verify_chain(chain).startswith(f"event {target.sequence + 1} (")


def test_providers_have_separate_chains(chain, other_provider):
    record(other_provider, "organisation.noted", by=None, provider=other_provider)
    assert AuditEvent.objects.filter(chain=chain_key(other_provider.pk)).count() == 2
    AuditEvent.objects.filter(chain=chain_key(other_provider.pk)).update(note="tampered")
    assert verify_chain(chain) is None


def test_raw_sql_tampering_is_found_too(chain):
    target = events(chain)[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = %s WHERE id = %s",
            ["someone else", target.pk],
        )
    assert verify_chain(chain).startswith("event 1 (")


def test_an_event_slipped_in_without_a_place_in_the_chain_is_named(chain, provider):
    forged = AuditEvent.objects.get(chain=chain, sequence=1)
    forged.pk, forged.sequence, forged.object_repr, forged.action = None, 0, "slipped in", "x"
    forged.save()
    assert verify_chain(chain).startswith("an event (x on slipped in,")
    assert "out of order" in verify_chain(chain)


def test_the_command_prints_each_chains_head_to_note_elsewhere(chain, capsys):
    head = AuditChain.objects.get(key=chain)
    call_command("audit", "verify")
    assert f"intact ({head.length} events, last hash {head.head_hash})" in capsys.readouterr().out
