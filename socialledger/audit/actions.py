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
    event = event_about(obj, action, by=by, before=before, after=after, note=note, via=via)
    return record_all([event], provider=provider)[0]


def record_changes(
    obj: models.Model,
    changes: dict,
    *,
    allowed: tuple[str, ...],
    action: str,
    by: Any,
    provider: models.Model,
    via: str = "",
) -> models.Model:
    """Apply the changes that differ to an object, check it, save it and record before and
    after; a field outside `allowed` (one the business says never changes) is refused."""
    refused = set(changes) - set(allowed)
    if refused:
        raise ValueError(f"These cannot be changed: {', '.join(sorted(refused))}.")
    changed = {name: value for name, value in changes.items() if getattr(obj, name) != value}
    if not changed:
        return obj
    before = {name: _plain(getattr(obj, name)) for name in changed}
    for name, value in changed.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save(update_fields=list(changed))
    after = {name: _plain(value) for name, value in changed.items()}
    record(obj, action, by=by, provider=provider, before=before, after=after, via=via)
    return obj


def _plain(value: Any) -> str | None:
    return None if value is None else str(value)


def event_about(
    obj: models.Model,
    action: str,
    *,
    by: Any,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    via: str = "",
) -> AuditEvent:
    """An event describing a change to `obj`, not yet in any chain (for `record_all`)."""
    actor = by if getattr(by, "is_authenticated", False) else None
    label = actor.get_username() if actor else SYSTEM_LABEL
    if via:
        label = f"{label} ({via})"
    return AuditEvent(
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


def record_all(events: list[AuditEvent], *, provider: models.Model | None) -> list[AuditEvent]:
    """Append events, in the order given, to the provider's chain: the chain is locked once, so
    an import's thousands of steps are chained as one write."""
    # No savepoint of its own: inside an action's transaction the events stand or fall with it.
    with transaction.atomic(savepoint=False):
        head = _locked_head(chain_key(provider.pk if provider else None))
        for event in events:
            event.provider = provider
            event.chain, event.sequence = head.key, head.length + 1
            event.previous_hash, event.created_at = head.head_hash, timezone.now()
            event.hash = event.content_hash()
            head.length, head.head_hash = event.sequence, event.hash
        if len(events) == 1:
            events[0].save()
        else:
            AuditEvent.objects.bulk_create(events, batch_size=1000)
        head.save(update_fields=["length", "head_hash"])
    return events


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
