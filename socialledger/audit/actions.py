"""Writing to the audit log: every action that changes the ledger calls `record` in its
transaction, and the event joins its provider's hash chain."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from socialledger.audit.models import AuditChain, AuditEvent, chain_key

SYSTEM_LABEL = "system"


def record(
    obj: models.Model,
    action: str,
    *,
    by: Any,
    provider: models.Model | None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    via: str = "",
) -> AuditEvent:
    """Add one event describing a change to `obj`; `by` is a user, or None for the system."""
    actor = by if getattr(by, "is_authenticated", False) else None
    label = actor.get_username() if actor else SYSTEM_LABEL
    if via:
        label = f"{label} ({via})"
    event = AuditEvent(
        provider=provider,
        actor=actor,
        actor_label=label[:150],
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before,
        after=after,
        note=note,
    )
    # No savepoint of its own: inside an action's transaction the event stands or falls with it.
    with transaction.atomic(savepoint=False):
        head = _locked_head(chain_key(provider.pk if provider else None))
        event.chain, event.sequence, event.previous_hash = head.key, head.length + 1, head.head_hash
        event.created_at = timezone.now()
        event.hash = event.content_hash()
        event.save()
        head.length, head.head_hash = event.sequence, event.hash
        head.save(update_fields=["length", "head_hash"])
    return event


def _locked_head(key: str) -> AuditChain:
    """The chain's head row, locked until the transaction ends (created on first use)."""
    locked = AuditChain.objects.select_for_update()
    head = locked.filter(key=key).first()
    if head is None:
        try:
            with transaction.atomic():
                AuditChain.objects.create(key=key)
        except IntegrityError:
            pass  # another transaction created it a moment ago
        head = locked.get(key=key)
    return head
