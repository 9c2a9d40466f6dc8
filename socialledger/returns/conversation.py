"""The conversation on a return: every submission, question, answer, reopening and decision, in
the order they happened, read from the audit trail so it is never lost or rewritten.

Both sides see the whole thread for as long as the return exists, not only while it is queried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from socialledger.audit.models import AuditEvent

# Each status change's audit action: who speaks (the supplier or the provider) and what they did.
SAID = {
    "return.submitted": ("supplier", "submitted the return"),
    "return.queried": ("provider", "asked"),
    "return.resubmitted": ("supplier", "answered and resubmitted"),
    "return.verified": ("provider", "verified the return"),
    "return.rejected": ("provider", "rejected the return"),
    "return.reopened": ("provider", "reopened the return"),
}


@dataclass(frozen=True)
class Message:
    """One turn of the conversation."""

    at: datetime
    who: str
    side: str
    said: str
    note: str

    @property
    def is_question(self) -> bool:
        return self.said == SAID["return.queried"][1]


def conversation(ret) -> list[Message]:
    """The return's thread, oldest first."""
    events = AuditEvent.objects.about(ret).filter(action__in=SAID).order_by("created_at", "pk")
    return [
        Message(
            at=event.created_at,
            who=event.actor_label,
            side=SAID[event.action][0],
            said=SAID[event.action][1],
            note=event.note,
        )
        for event in events
    ]


def open_question(ret) -> Message | None:
    """The provider's latest question, while the return waits for the supplier's answer."""
    if ret.status != "queried":
        return None
    asked = [message for message in conversation(ret) if message.is_question]
    return asked[-1] if asked else None
