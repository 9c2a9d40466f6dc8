"""The audit log: who did what, when, to which object, with the state before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEventQuerySet(models.QuerySet):
    def for_provider(self, provider) -> AuditEventQuerySet:
        return self.filter(provider=provider)

    def about(self, obj: models.Model) -> AuditEventQuerySet:
        """The history of one object, oldest first."""
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
            "created_at", "pk"
        )


class AuditEvent(models.Model):
    """One change to the ledger. Events are only ever added, never edited or deleted.

    `actor` is empty for changes made by the system or from the command line without a named
    user; `actor_label` then says which.
    """

    provider = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=60, help_text='e.g. "return.verified"')
    object_type = models.CharField(max_length=60, help_text='e.g. "returns.return"')
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["provider", "created_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )
