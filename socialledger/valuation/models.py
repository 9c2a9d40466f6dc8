"""Value sets: versioned lists of £ per unit of a measure, and which set a provider has chosen.

A value set is never edited once created: a change is a new version. A provider's choice of set
is kept as a dated history, so a report can say what a year was valued under before, and restate
it rather than silently rewrite it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from socialledger.lib.fields import ScaledDecimalField
from socialledger.lib.valuation import Adjustments, Band, UnitValue
from socialledger.measures.models import CODE_VALIDATOR


class ValueSetQuerySet(models.QuerySet):
    def available_to(self, provider) -> ValueSetQuerySet:
        """The shipped open sets plus the provider's own."""
        return self.filter(Q(provider__isnull=True) | Q(provider=provider))

    def shipped(self) -> ValueSetQuerySet:
        return self.filter(provider__isnull=True)

    def latest(self, code: str):
        """The highest version of a set code, or None."""
        return self.filter(code=code).order_by("-version").first()


class ValueSet(models.Model):
    """A named, versioned list of £ values per measure. Immutable: a change is a new version.

    `unvalued` maps measure codes to the reason the set gives no value for them, so reports can
    say why a measure is counted but not monetised.
    """

    provider = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="value_sets",
        help_text="Empty for a set shipped with Social Ledger; else the provider who loaded it.",
    )
    code = models.CharField(max_length=60, validators=[CODE_VALIDATOR])
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    description = models.TextField(blank=True)
    unvalued = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ValueSetQuerySet.as_manager()

    class Meta:
        ordering = ["provider", "code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "code", "version"], name="value_set_version_unique"
            ),
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=Q(provider__isnull=True),
                name="shipped_value_set_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.name}, version {self.version}"


class MeasureValue(models.Model):
    """£ per unit of one measure in one value set, with its range, split, price year, source,
    licence and the adjustments that turn the gross value into a net one."""

    class Geography(models.TextChoices):
        LOCAL = "local", "Local"
        NATIONAL = "national", "National"

    value_set = models.ForeignKey(ValueSet, on_delete=models.CASCADE, related_name="values")
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.PROTECT, related_name="monetary_values"
    )
    low = ScaledDecimalField(places=4)
    central = ScaledDecimalField(places=4)
    high = ScaledDecimalField(places=4)
    fiscal = ScaledDecimalField(places=4, null=True, blank=True)
    economic = ScaledDecimalField(places=4, null=True, blank=True)
    social = ScaledDecimalField(places=4, null=True, blank=True)
    price_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Financial year of the prices (2019 = 2019-20); empty = "
        "face value in the money of the year delivered",
    )
    geography = models.CharField(
        max_length=10, choices=Geography.choices, default=Geography.NATIONAL
    )
    source = models.TextField()
    source_url = models.CharField(max_length=500, blank=True)
    licence = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    deadweight = ScaledDecimalField(places=4, default=0)
    attribution = ScaledDecimalField(places=4, default=0)
    displacement = ScaledDecimalField(places=4, default=0)
    leakage = ScaledDecimalField(places=4, default=0)
    drop_off = ScaledDecimalField(places=4, default=0)
    discount_rate = ScaledDecimalField(places=4, default=0)
    duration_years = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["value_set", "measure__position"]
        constraints = [
            models.UniqueConstraint(fields=["value_set", "measure"], name="one_value_per_measure"),
            models.CheckConstraint(
                condition=Q(low__gte=0) & Q(low__lte=F("central")) & Q(central__lte=F("high")),
                name="value_low_central_high_in_order",
            ),
            models.CheckConstraint(condition=Q(duration_years__gte=1), name="value_lasts_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code}: £{self.central} ({self.value_set.label})"

    def as_unit(self) -> UnitValue:
        """The framework-free value that lib/valuation.py works with."""
        return UnitValue(
            band=Band(self.low, self.central, self.high),
            price_year=self.price_year,
            adjustments=Adjustments(
                deadweight=self.deadweight,
                attribution=self.attribution,
                displacement=self.displacement,
                leakage=self.leakage,
                duration_years=self.duration_years,
                drop_off=self.drop_off,
                discount_rate=self.discount_rate,
            ),
            source=self.source,
            source_url=self.source_url,
            licence=self.licence,
            geography=self.geography,
            fiscal=self.fiscal,
            economic=self.economic,
            social=self.social,
            notes=self.notes,
        )


class ValueSetChoiceQuerySet(models.QuerySet):
    def for_provider(self, provider) -> ValueSetChoiceQuerySet:
        return self.filter(provider=provider).order_by("chosen_at", "pk")

    def in_force(self, provider):
        """The provider's current choice, or None when it has not chosen (monetisation off)."""
        return self.for_provider(provider).select_related("value_set").last()


class ValueSetChoice(models.Model):
    """From `chosen_at` on, the provider values its figures with this set. Never edited: the
    history of choices is what lets a report restate a year valued under an earlier set."""

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="value_set_choices"
    )
    value_set = models.ForeignKey(ValueSet, on_delete=models.PROTECT, related_name="choices")
    chosen_at = models.DateTimeField(default=timezone.now)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()

    objects = ValueSetChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["provider", "chosen_at", "pk"]

    def __str__(self) -> str:
        return f"{self.provider}: {self.value_set.label} from {self.chosen_at:%Y-%m-%d}"
