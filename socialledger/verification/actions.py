"""Drawing verification samples and recording what the checks found.

A sample is risk-weighted: entries behind a figure with an open data-quality warning are drawn
first, then the rest by weight (larger figures and weaker evidence weigh more)."""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from decimal import Decimal
from statistics import median

from django.db import transaction
from django.utils import timezone

from socialledger.audit.actions import record
from socialledger.quality.queries import warnings_for
from socialledger.returns.models import STATUSES_COUNTED_AS, Entry, Evidence, State
from socialledger.verification.models import Sample, SampleItem

# Weaker evidence makes an entry likelier to be drawn; the best evidence on the entry (or, failing
# that, on its whole return) decides.
EVIDENCE_FACTOR = {
    None: Decimal(4),
    Evidence.Grade.NONE: Decimal(4),
    Evidence.Grade.SELF_DECLARED: Decimal(3),
    Evidence.Grade.DOCUMENTED: Decimal(2),
    Evidence.Grade.INDEPENDENT: Decimal(1),
}
GRADE_ORDER = [None, "none", "self-declared", "documented", "independent"]


def weight_of(entry: Entry, typical: Decimal, grade: str | None) -> Decimal:
    """Larger figures (against the measure's typical entry) and weaker evidence weigh more."""
    size = entry.quantity / typical if typical else Decimal(1)
    return (Decimal(1) + size) * EVIDENCE_FACTOR[grade]


@transaction.atomic
def draw_sample(provider, *, start_year: int, size: int, by, seed: int | None = None) -> Sample:
    """Draw `size` of the year's reported entries without replacement, weighted; keep the seed."""
    if size < 1:
        raise ValueError("A sample needs at least one entry.")
    seed = seed if seed is not None else secrets.randbits(48)
    candidates = list(
        Entry.objects.for_provider(provider)
        .in_years(start_year)
        .filter(submission__status__in=STATUSES_COUNTED_AS[State.REPORTED])
        .select_related("measure")
        .order_by("pk")
    )
    if not candidates:
        raise ValueError("No figures have been reported for that year yet.")
    weights = _weights(candidates)
    flagged = _flagged(provider, candidates)
    # A seeded generator, not a secret one: the same seed must give the same draw again.
    rng = random.Random(seed)  # noqa: S311
    # Risk-weighted: entries behind a figure with an open data-quality warning are drawn first.
    first = [e for e in candidates if e.pk in flagged]
    rest = [e for e in candidates if e.pk not in flagged]
    chosen = _weighted_choice(first, weights, min(size, len(first)), rng)
    chosen += _weighted_choice(rest, weights, min(size - len(chosen), len(rest)), rng)
    sample = Sample.objects.create(
        provider=provider,
        financial_year=start_year,
        size=len(chosen),
        seed=seed,
        drawn_by=by if getattr(by, "is_authenticated", False) else None,
    )
    SampleItem.objects.bulk_create(
        [
            SampleItem(sample=sample, entry=e, weight=weights[e.pk], flagged=e.pk in flagged)
            for e in chosen
        ]
    )
    record(
        sample,
        "sample.drawn",
        by=by,
        provider=provider,
        after={
            "year": start_year,
            "size": len(chosen),
            "seed": seed,
            "flagged": sum(1 for e in chosen if e.pk in flagged),
        },
    )
    return sample


def _flagged(provider, entries: list[Entry]) -> set[int]:
    """The entries behind a figure (contract, measure, year) with an open data-quality warning."""
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    for entry in entries:
        totals[(entry.contract_id, entry.measure_id, entry.financial_year)] += entry.quantity
    open_keys = {w.key for w in warnings_for(provider, dict(totals)) if not w.checked}
    return {e.pk for e in entries if (e.contract_id, e.measure_id, e.financial_year) in open_keys}


def _weights(entries: list[Entry]) -> dict[int, Decimal]:
    by_measure: dict[int, list[Decimal]] = {}
    for entry in entries:
        by_measure.setdefault(entry.measure_id, []).append(entry.quantity)
    typical = {m: Decimal(median(values)) for m, values in by_measure.items()}
    grades = _best_grades(entries)
    return {
        e.pk: (weight_of(e, typical[e.measure_id], grades.get(e.pk))).quantize(Decimal("0.0001"))
        for e in entries
    }


def _best_grades(entries: list[Entry]) -> dict[int, str]:
    on_entry: dict[int, str] = {}
    on_return: dict[int, str] = {}
    returns = {e.submission_id for e in entries}
    for item in Evidence.objects.filter(submission_id__in=returns):
        target, key = (
            (on_entry, item.entry_id) if item.entry_id else (on_return, item.submission_id)
        )
        if GRADE_ORDER.index(item.grade) > GRADE_ORDER.index(target.get(key)):
            target[key] = item.grade
    return {e.pk: on_entry.get(e.pk) or on_return.get(e.submission_id) for e in entries}


def _weighted_choice(items: list, weights: dict[int, Decimal], k: int, rng: random.Random) -> list:
    """Weighted sampling without replacement (Efraimidis and Spirakis): each item's key is
    u^(1/w) for a uniform u; the k largest keys win."""
    keyed = [(rng.random() ** (1 / float(weights[item.pk])), item.pk, item) for item in items]
    keyed.sort(key=lambda triple: (triple[0], triple[1]), reverse=True)
    return [item for _key, _pk, item in keyed[:k]]


@transaction.atomic
def record_check(item: SampleItem, *, result: str, note: str, by) -> SampleItem:
    """Record what checking one drawn entry against its evidence found."""
    if result not in SampleItem.Result.values:
        raise ValueError("Choose a result from the list.")
    if result in (SampleItem.Result.NOT_CONFIRMED, SampleItem.Result.ADJUSTED) and not note.strip():
        raise ValueError("Say what was found.")
    before = {"result": item.result, "note": item.note}
    item.result, item.note = result, note.strip()[:300]
    item.checked_by = by if getattr(by, "is_authenticated", False) else None
    item.checked_at = timezone.now()
    item.save()
    record(
        item.sample,
        "sample.checked",
        by=by,
        provider=item.sample.provider,
        before=before,
        after={"entry": item.entry_id, "result": result, "note": item.note},
    )
    return item


@transaction.atomic
def set_headline_minimum_strength(provider, *, strength: int, by):
    """A provider chooses the weakest evidence strength that counts towards a published
    headline; weaker figures stay in the report, labelled."""
    from socialledger.verification.strength import Strength

    if strength not in Strength.values:
        raise ValueError("Choose a strength from the list.")
    before = {"headline_minimum_strength": provider.headline_minimum_strength}
    provider.headline_minimum_strength = strength
    provider.save(update_fields=["headline_minimum_strength"])
    record(
        provider,
        "provider.headline_minimum_strength_set",
        by=by,
        provider=provider,
        before=before,
        after={"headline_minimum_strength": strength},
    )
    return provider
