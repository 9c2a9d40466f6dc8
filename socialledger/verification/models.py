"""Verification: random samples of entries for officers to check, and figures claimed twice."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, Q

from socialledger.lib.fields import ScaledDecimalField
from socialledger.returns.models import STATUSES_COUNTED_AS, Entry, State


class SampleQuerySet(models.QuerySet):
    def for_provider(self, provider) -> SampleQuerySet:
        return self.filter(provider=provider)


class Sample(models.Model):
    """A random draw of a year's reported entries for an officer to check against evidence.

    The draw favours larger figures and weaker evidence; its seed is kept, so the same draw can be
    made again and shown to an auditor.
    """

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="samples"
    )
    financial_year = models.PositiveSmallIntegerField()
    size = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)

    objects = SampleQuerySet.as_manager()

    class Meta:
        ordering = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return f"Sample of {self.size} from {self.financial_year}"

    def results(self) -> dict[str, int]:
        counts = dict(self.items.values_list("result").annotate(n=Count("pk")).order_by())
        return {label: counts.get(value, 0) for value, label in SampleItem.Result.choices}


class SampleItem(models.Model):
    """One drawn entry, why it was likely to be drawn, and what the check found."""

    class Result(models.TextChoices):
        PENDING = "pending", "Not checked yet"
        CONFIRMED = "confirmed", "Confirmed by evidence"
        NOT_CONFIRMED = "not-confirmed", "Not confirmed"
        ADJUSTED = "adjusted", "Confirmed after correction"

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="items")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    weight = ScaledDecimalField(places=4)
    flagged = models.BooleanField(
        default=False, help_text="Drawn first: its figure had an open data-quality warning."
    )
    result = models.CharField(max_length=16, choices=Result.choices, default=Result.PENDING)
    note = models.CharField(max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sample", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "entry"], name="entry_once_per_sample")
        ]

    def __str__(self) -> str:
        return f"{self.entry} ({self.get_result_display()})"


@dataclass(frozen=True)
class Repeat:
    """The same person, or the same donation, claimed on more than one contract."""

    kind: str
    measure: str
    label: str
    quantity: Decimal
    entries: tuple[Entry, ...]


def repeated_people(provider, start_year: int) -> list[Repeat]:
    """People (by pseudonymous key) reported for the same measure and year more than once."""
    reported = _reported(provider, start_year).exclude(person_key="")
    keys = (
        reported.values("measure_id", "person_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by()
    )
    wanted = Q(pk__in=[])
    for key in keys:
        wanted |= Q(measure_id=key["measure_id"], person_key=key["person_key"])
    groups: dict[tuple, list[Entry]] = {}
    for entry in (
        reported.filter(wanted)
        .select_related("contract", "measure", "submission__supplier")
        .order_by("pk")
    ):
        groups.setdefault((entry.measure_id, entry.person_key), []).append(entry)
    return [
        Repeat(
            "person",
            found[0].measure.name,
            f"person {key[1][:10]}…",
            found[0].quantity,
            tuple(found),
        )
        for key, found in groups.items()
    ]


def repeated_donations(provider, start_year: int) -> list[Repeat]:
    """The same gift (amount and description, in the same year) on more than one contract."""
    described = _reported(provider, start_year).filter(measure__needs_description=True)
    groups: dict[tuple, list[Entry]] = {}
    for entry in described.select_related("contract", "measure", "submission__supplier").order_by(
        "pk"
    ):
        key = (entry.measure_id, entry.quantity, " ".join(entry.description.lower().split()))
        groups.setdefault(key, []).append(entry)
    return [
        Repeat(
            "donation", found[0].measure.name, found[0].description, found[0].quantity, tuple(found)
        )
        for found in groups.values()
        if len({e.contract_id for e in found}) > 1
    ]


def _reported(provider, start_year: int):
    return (
        Entry.objects.for_provider(provider)
        .in_years(start_year)
        .filter(submission__status__in=STATUSES_COUNTED_AS[State.REPORTED])
    )
