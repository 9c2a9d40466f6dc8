"""What is asked of a supplier now: returns due (and by when), returns the provider has queried
(and the question), and drafts in progress. The supplier's home page leads with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from socialledger.accounts.access import visible_returns
from socialledger.organisations.models import Organisation
from socialledger.returns.conversation import Message, open_question
from socialledger.returns.models import Return, Status


@dataclass(frozen=True)
class Waiting:
    """A return waiting for the supplier."""

    ret: Return
    figures: int
    due: date | None = None
    question: Message | None = None


@dataclass(frozen=True)
class Asked:
    queried: list[Waiting] = field(default_factory=list)
    due: list[Waiting] = field(default_factory=list)
    drafts: list[Waiting] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.queried or self.due or self.drafts)


def asked_of(membership) -> Asked:
    """For a supplier's people: its queried returns first, then those due in a round (soonest
    first), then drafts begun outside a round. Nothing for anyone else."""
    if membership is None or membership.organisation.kind != Organisation.Kind.SUPPLIER:
        return Asked()
    waiting = (
        visible_returns(membership)
        .filter(status__in=[Status.DRAFT, Status.QUERIED])
        .select_related("supplier", "round")
        .annotate(figures=Count("entries"))
        .order_by("round__closes_on", "period_start")
    )
    asked = Asked()
    for ret in waiting:
        due = ret.round.closes_on if ret.round else None
        if ret.status == Status.QUERIED:
            asked.queried.append(Waiting(ret, ret.figures, due, open_question(ret)))
        elif ret.round:
            asked.due.append(Waiting(ret, ret.figures, due))
        else:
            asked.drafts.append(Waiting(ret, ret.figures))
    return asked
