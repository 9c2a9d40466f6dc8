"""The audit log: who did what, when, to which object, with the state before and after.

Each provider's events form a hash chain: every event carries the hash of its own content and of
the event before it, so editing, deleting or slipping in an event breaks the chain where it
happened (`socialledger audit verify` finds it).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils import timezone

SYSTEM_CHAIN = "system"


def chain_key(provider_id: int | None) -> str:
    """Each provider's events form one chain; events for no provider form the system chain."""
    return f"provider-{provider_id}" if provider_id else SYSTEM_CHAIN


class AuditChain(models.Model):
    """The head of one chain: how many events it has and the hash of the last. Appending locks
    this row, so events of one chain are written one after another."""

    key = models.CharField(max_length=40, unique=True)
    length = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.length} events"


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
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    chain = models.CharField(max_length=40, default=SYSTEM_CHAIN)
    sequence = models.PositiveBigIntegerField(default=0)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["provider", "created_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "sequence"], name="one_event_per_place_in_chain"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )

    @property
    def sentence(self) -> str:
        """The event as people say it: "ann verified Calder Retrofit's 2023-24 return"."""
        verb = EVENT_VERBS.get(self.action) or self.action.rpartition(".")[2].replace("_", " ")
        return f"{self.actor_label} {verb} {self.object_repr}"

    def content_hash(self) -> str:
        """The hash this event must carry to be as it was written."""
        return event_hash(self)


def event_hash(event) -> str:
    """SHA-256 of everything an event says, and of the hash of the event before it.

    A plain function of the event's fields, so the migration that chained older events computes
    exactly what `verify_chain` checks.
    """
    content = {
        "chain": event.chain,
        "sequence": event.sequence,
        "previous": event.previous_hash,
        "provider": event.provider_id,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "note": event.note,
        "created_at": event.created_at.astimezone(UTC).isoformat(),
    }
    canonical = json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def verify_chain(key: str) -> str | None:
    """The first place the chain is broken, in words, or None if every event is as written.

    Recomputes every event's hash from its content and checks that each event follows the one
    before it and that the chain's head still points at the last event.
    """
    head = AuditChain.objects.filter(key=key).first()
    expected_previous, expected_sequence = "", 1
    events = AuditEvent.objects.filter(chain=key).order_by("sequence").iterator(chunk_size=2000)
    for event in events:
        if event.sequence < expected_sequence:
            return (
                f"an event ({_describe(event)}) was slipped in out of order: it claims place "
                f"{event.sequence} where event {expected_sequence} belongs"
            )
        if event.sequence != expected_sequence:
            return (
                f"event {expected_sequence} is missing (deleted): the log goes from "
                f"event {expected_sequence - 1} to event {event.sequence}"
            )
        if event.previous_hash != expected_previous or event.hash != event.content_hash():
            return (
                f"event {event.sequence} ({_describe(event)}) was edited, or put in place of the "
                "original"
            )
        expected_previous, expected_sequence = event.hash, expected_sequence + 1
    last = expected_sequence - 1
    length = head.length if head else 0
    if length > last:
        return (
            f"the chain had {length} events but the log ends at event {last}: the last were deleted"
        )
    if length < last:
        return (
            f"events after {length} were added outside the product (the chain knew {length} events)"
        )
    if head and head.head_hash != expected_previous:
        return f"event {last} was changed after it was written"
    return None


def _describe(event: AuditEvent) -> str:
    return f"{event.action} on {event.object_repr}, {event.created_at:%d %b %Y %H:%M}"


def chain_head(key: str) -> tuple[int, str]:
    """How many events the chain holds and the hash of its last: write these down somewhere
    else, and a later rewrite of the whole chain cannot pass for the original."""
    head = AuditChain.objects.filter(key=key).first()
    return (head.length, head.head_hash) if head else (0, "")


def ledger_state(provider_id: int) -> tuple[str, str]:
    """The heads of the provider's chain and of the system chain: every write that can change
    a report records an event in one of them in its own transaction, so while both heads stand
    still, so does every figure of the provider."""
    keys = (chain_key(provider_id), SYSTEM_CHAIN)
    heads = dict(AuditChain.objects.filter(key__in=keys).values_list("key", "head_hash"))
    return heads.get(keys[0], ""), heads.get(keys[1], "")


def chain_keys() -> list[str]:
    keys = set(AuditChain.objects.values_list("key", flat=True))
    keys |= set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    return sorted(keys)


# How an action reads in a sentence where "<who> <verb> <what>" needs more than the action's own
# last word (an action not listed reads by its last word: "contract.created" -> "created").
EVENT_VERBS = {
    "api_token.created": "made the API token",
    "api_token.revoked": "revoked the API token",
    "commitment.set": "set the target",
    "contract.procured_under": "recorded the outcome model of",
    "invitation.accepted": "accepted the invitation",
    "invitation.revoked": "revoked the invitation",
    "invitation.sent": "sent an invitation to",
    "kpi.added": "added the KPI",
    "kpi.rated": "rated the KPI",
    "kpi.removed": "removed the KPI",
    "lot.supplier_appointed": "appointed a supplier to",
    "measure.defined": "defined the measure",
    "membership.added": "added the membership",
    "membership.role_changed": "changed the role of",
    "opening_balance.set": "set the opening balance",
    "organisation.home_provider": "set the home provider of",
    "organisation.identifier_added": "added an identifier to",
    "organisation.noted": "noted",
    "outcome_mapping.removed": "took a measure off an outcome:",
    "outcome_mapping.set": "mapped a measure to an outcome:",
    "outcome_model.loaded": "loaded the outcome model",
    "provider.two_factor_optional": "made two-factor sign-in optional at",
    "provider.two_factor_required": "made two-factor sign-in required at",
    "report.published": "published",
    "report.republished": "published again",
    "report.unpublished": "took down",
    "return.entries_removed": "removed figures from",
    "return.entries_replaced": "replaced the figures of",
    "return.entries_saved": "saved figures on",
    "return.evidence_added": "added evidence to",
    "return.evidence_graded": "graded evidence on",
    "return.evidence_removed": "removed evidence from",
    "return.nil_return_set": "marked nothing to report on",
    "return.queried": "queried",
    "round.opened": "opened the round",
    "sample.checked": "checked an item of",
    "sample.drawn": "drew",
    "user.two_factor_added": "set up two-factor sign-in for",
    "user.two_factor_removed": "removed two-factor sign-in from",
    "value_set.chosen": "chose the value set",
    "value_set.created": "loaded the value set",
}
