"""Procurement Act 2023 key performance indicators (KPIs) and their ratings.

A contract worth more than the threshold (settings.KPI_THRESHOLD, £5 million by default) needs at
least three KPIs, each rated at least every twelve months on the statutory scale, with a
justification and the period the rating covers; the ratings are what a contract performance
notice publishes (docs/kpis.md).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from socialledger.lib.fields import ScaledDecimalField

KPIS_REQUIRED = 3  # the Procurement Act asks for at least three KPIs per contract above threshold
RATING_MONTHS = 12  # and a rating at least every twelve months


def kpi_threshold() -> Decimal:
    """The contract value (£) above which a contract needs a KPI register."""
    return Decimal(settings.KPI_THRESHOLD)


def year_after(day: date) -> date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


class KpiQuerySet(models.QuerySet):
    def for_contracts(self, contracts) -> KpiQuerySet:
        return self.filter(contract__in=contracts)


class Kpi(models.Model):
    """A key performance indicator of a contract: what is measured and what good looks like.

    Linked to one or more measures, its figure for a rating period is computed from the entries
    (through the report read models); with no measure linked, the figure is entered with each
    rating.
    """

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="kpis"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    target = models.CharField(
        max_length=200, blank=True, help_text='What good looks like, e.g. "20 apprentices a year"'
    )
    measures = models.ManyToManyField("measures.Measure", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = KpiQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "pk"]
        verbose_name = "KPI"
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "title"], name="kpi_title_once_per_contract"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.title}"


class Rating(models.TextChoices):
    """The Procurement Act 2023 rating scale."""

    GOOD = "good", "Good"
    APPROACHING_TARGET = "approaching-target", "Approaching target"
    REQUIRES_IMPROVEMENT = "requires-improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    OTHER = "other", "Other"


# How a contract performance notice classifies each rating in OCDS: the codes of the UK
# extension's `measureClassification` (Cabinet Office, ocds_uk_extension: met, slightlyBelow,
# below, significantlyBelow and other), one for each point of the statutory scale.
MEASURE_CLASSIFICATIONS = {
    Rating.GOOD: "met",
    Rating.APPROACHING_TARGET: "slightlyBelow",
    Rating.REQUIRES_IMPROVEMENT: "below",
    Rating.INADEQUATE: "significantlyBelow",
    Rating.OTHER: "other",
}


class KpiRating(models.Model):
    """A rating of a KPI over a period of at most twelve months, with its justification."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="ratings")
    period_start = models.DateField()
    period_end = models.DateField()
    rating = models.CharField(max_length=24, choices=Rating.choices)
    justification = models.TextField()
    figure = ScaledDecimalField(
        places=4,
        null=True,
        blank=True,
        help_text="The figure achieved, for a KPI linked to no measure",
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField()

    class Meta:
        ordering = ["kpi", "-period_end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="kpi_rating_period"
            ),
            models.CheckConstraint(condition=~Q(justification=""), name="kpi_rating_justified"),
            models.UniqueConstraint(
                fields=["kpi", "period_start"], name="one_kpi_rating_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.get_rating_display()} ({self.period_start} – {self.period_end})"

    @property
    def measure_classification(self) -> dict:
        """The rating as OCDS publishes it: the UK code, with the rating's own words."""
        return {
            "id": MEASURE_CLASSIFICATIONS[self.rating],
            "description": self.get_rating_display(),
        }

    def clean(self) -> None:
        errors = {}
        if not self.justification.strip():
            errors["justification"] = "Say why the KPI earns this rating."
        if self.period_start and self.period_end:
            if self.period_end < self.period_start:
                errors["period_end"] = "The period ends before it starts."
            elif self.period_end >= year_after(self.period_start):
                errors["period_end"] = (
                    f"A rating covers at most {RATING_MONTHS} months; rate a longer period "
                    "in parts."
                )
        if errors:
            raise ValidationError(errors)


def rating_due_on(contract_start: date, covered_until: date | None) -> date:
    """When the next rating is due: twelve months after the last period rated ended, or after
    the contract started when it has never been rated."""
    start = covered_until + timedelta(days=1) if covered_until else contract_start
    return year_after(start) - timedelta(days=1)
