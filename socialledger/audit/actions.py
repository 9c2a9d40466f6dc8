"""Writing to the audit log: every action that changes the ledger calls `record` in its
transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from socialledger.audit.models import AuditEvent

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
    return AuditEvent.objects.create(
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
