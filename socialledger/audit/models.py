"""The audit log: who did what, when, to which object, with the state before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEventQuerySet(models.QuerySet):
    def for_provider(self, provider) -> AuditEventQuerySet:
        return self.filter(provider=provider)

    def about(self, *objects: models.Model) -> AuditEventQuerySet:
        """The history of these objects, oldest first."""
        condition = models.Q(pk__in=[])
        for obj in objects:
            condition |= models.Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        return self.filter(condition).order_by("created_at", "pk")

    def matching(self, *, action: str = "", actor: str = "", text: str = "") -> AuditEventQuerySet:
        """Events whose action starts with, actor contains, or description contains the text."""
        events = self
        if action:
            events = events.filter(action__startswith=action)
        if actor:
            events = events.filter(actor_label__icontains=actor)
        if text:
            events = events.filter(
                models.Q(object_repr__icontains=text) | models.Q(note__icontains=text)
            )
        return events


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
