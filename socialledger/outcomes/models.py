"""Outcome models (themes → outcomes → reporting metrics) that buyers answer to, each version
with its source and the procurements it applies to, and the crosswalk from measures to them."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q


class OutcomeModelQuerySet(models.QuerySet):
    def of_provider(self, provider) -> OutcomeModelQuerySet:
        return self.filter(provider=provider)

    def labelled(self, label: str) -> OutcomeModel | None:
        """The version named as CODE@VERSION, e.g. northshire-themes@2026-1."""
        code, _, version = label.partition("@")
        return self.filter(code=code, version=version).first()

    def in_force_on(self, day: date) -> OutcomeModelQuerySet:
        """The versions that apply to a procurement starting on `day`."""
        return self.filter(applies_from__lte=day).filter(
            Q(applies_until__isnull=True) | Q(applies_until__gte=day)
        )

    def version_for(self, code: str, day: date) -> OutcomeModel | None:
        """The version of a model that a procurement starting on `day` answers to: the latest
        one in force that day (a later note replaces an earlier one from its start date)."""
        return self.filter(code=code).in_force_on(day).order_by("-applies_from").first()


class OutcomeModel(models.Model):
    """One version of a model, exactly as its publication gives it; changed only by loading
    a new version, so a report "under" a version always means the same outcomes."""

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="outcome_models"
    )
    code = models.CharField(max_length=40)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200)
    source_title = models.CharField(max_length=300)
    source_date = models.DateField()
    source_url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(max_length=200)
    applies_from = models.DateField(help_text="Applies to procurements starting on or after.")
    applies_until = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="What the file leaves out, and why.")
    loaded_at = models.DateTimeField(auto_now_add=True)

    objects = OutcomeModelQuerySet.as_manager()

    class Meta:
        ordering = ["code", "applies_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "code", "version"], name="one_outcome_model_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @property
    def label(self) -> str:
        return f"{self.code}@{self.version}"


class Theme(models.Model):
    model = models.ForeignKey(OutcomeModel, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["model", "code"], name="one_theme_code_per_model")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Outcome(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=500)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["theme__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "code"], name="one_outcome_code_per_theme")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ReportingMetric(models.Model):
    """A metric the model asks suppliers to report against an outcome."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="metrics")
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=500)
    unit = models.CharField(max_length=60, blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class MappingQuerySet(models.QuerySet):
    def under(self, model: OutcomeModel) -> MappingQuerySet:
        return self.filter(outcome__theme__model=model)


class OutcomeMapping(models.Model):
    """One line of a crosswalk: a measure counts towards an outcome of a model, and how."""

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="outcome_mappings"
    )
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.PROTECT, related_name="outcome_mappings"
    )
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="mappings")
    note = models.TextField(blank=True, help_text="How the measure fits the outcome.")

    objects = MappingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "measure", "outcome"], name="one_mapping_per_measure_outcome"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} → {self.outcome}"
