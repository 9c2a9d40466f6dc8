"""Evidence strength: how well an entry is backed, derived from its evidence and its checks.

Strength is never typed in. It follows from two things the ledger already holds: the grades
officers give the evidence attached to the entry (or to its whole return), and what the latest
sample check of the entry found. This module is the one place that derives it; every report,
page and export reads it through `with_strength`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from socialledger.returns.models import Entry, Evidence
from socialledger.verification.models import SampleItem


class Strength(models.IntegerChoices):
    """Weakest to strongest; a higher number is better backed."""

    NONE = 0, "Not borne out by a check"
    STATEMENT = 1, "Supplier's statement"
    DOCUMENT = 2, "Backed by a document"
    CHECKED = 3, "Checked in a sample"
    CONFIRMED = 4, "Confirmed by a third party"


# Short names for exports (JSON keys, CSV cells) and for a provider's setting.
SLUGS = {
    Strength.NONE: "none",
    Strength.STATEMENT: "statement",
    Strength.DOCUMENT: "document",
    Strength.CHECKED: "checked",
    Strength.CONFIRMED: "confirmed",
}
BY_SLUG = {slug: strength for strength, slug in SLUGS.items()}

# Strongest first: the order a figure's split is shown in.
STRONGEST_FIRST = tuple(sorted(Strength, reverse=True))


def _evidence_graded(grade: str) -> Exists:
    """Evidence of this grade on the entry itself or on its whole return."""
    return Exists(
        Evidence.objects.filter(grade=grade).filter(
            Q(entry=OuterRef("pk")) | Q(entry__isnull=True, submission=OuterRef("submission_id"))
        )
    )


def _latest_check() -> Subquery:
    """What the most recent sample check of the entry found (None if never checked)."""
    checked = (
        SampleItem.objects.filter(entry=OuterRef("pk"))
        .exclude(result=SampleItem.Result.PENDING)
        .order_by("-checked_at", "-pk")
        .values("result")[:1]
    )
    return Subquery(checked)


def with_strength(entries: QuerySet) -> QuerySet:
    """Entries annotated with `strength` (a Strength number).

    The rule, first match wins: a latest sample check that did not confirm the entry makes it
    NONE; evidence an officer graded "independently verified" makes it CONFIRMED; a check that
    confirmed it (as it was, or after correction) makes it CHECKED; evidence graded
    "documented" makes it DOCUMENT; anything else is the supplier's STATEMENT. Ungraded or
    self-declared evidence adds nothing: an officer has not yet said it is a document.
    """
    confirmed = (SampleItem.Result.CONFIRMED, SampleItem.Result.ADJUSTED)
    return entries.annotate(
        latest_check=_latest_check(),
        strength=Case(
            When(latest_check=SampleItem.Result.NOT_CONFIRMED, then=Value(Strength.NONE)),
            When(_evidence_graded(Evidence.Grade.INDEPENDENT), then=Value(Strength.CONFIRMED)),
            When(latest_check__in=confirmed, then=Value(Strength.CHECKED)),
            When(_evidence_graded(Evidence.Grade.DOCUMENTED), then=Value(Strength.DOCUMENT)),
            default=Value(Strength.STATEMENT),
            output_field=IntegerField(),
        ),
    )


def strength_of(entry) -> Strength:
    """One entry's strength (for a page about one entry; lists use `with_strength`)."""
    found = with_strength(Entry.objects.filter(pk=entry.pk)).values_list("strength", flat=True)
    return Strength(found.get())
