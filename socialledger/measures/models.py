"""What is counted: measures, their versioned definitions, breakdowns and derived totals."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from socialledger.lib.fields import ScaledDecimalField

CODE_VALIDATOR = RegexValidator(r"^[a-z0-9][a-z0-9-]*$", "Use lower-case letters, digits and -")


class Dimension(models.Model):
    """A way a figure can be broken down: trade, level, full or part time, sector, job role.

    A closed dimension accepts only its listed values; an open one (job role) accepts any text and
    uses its listed values to tidy the spelling of the common ones.
    """

    code = models.CharField(max_length=40, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(max_length=80)
    closed = models.BooleanField(default=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    def clean_value(self, text: str) -> str:
        """A listed value's code for its code or label (any case); open text as written."""
        lowered = text.lower()
        for value in self.values.all():
            if lowered in (value.code.lower(), value.label.lower()):
                return value.code if self.closed else value.label
        if self.closed:
            listed = ", ".join(value.code for value in self.values.all())
            raise ValidationError(f'"{text}" is not a {self.name.lower()}; use one of: {listed}')
        if len(text) > 100:
            raise ValidationError("is longer than 100 characters")
        return text

    def label_for(self, stored: str) -> str:
        """How a stored value is shown: the label of a listed value, or open text as it is."""
        for value in self.values.all():
            if stored == value.code:
                return value.label
        return stored


class DimensionValue(models.Model):
    """One listed value of a dimension, such as "part-time" or "Level 3"."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="values")
    code = models.CharField(max_length=60, validators=[CODE_VALIDATOR])
    label = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dimension", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="dimension_value_unique")
        ]

    def __str__(self) -> str:
        return self.label


class MeasureQuerySet(models.QuerySet):
    def available_to(self, provider) -> MeasureQuerySet:
        """The shipped library plus the provider's own measures."""
        return self.filter(Q(provider__isnull=True) | Q(provider=provider))

    def counted(self) -> MeasureQuerySet:
        return self.filter(kind=Measure.Kind.COUNTED)

    def derived(self) -> MeasureQuerySet:
        return self.filter(kind=Measure.Kind.DERIVED)


class Measure(models.Model):
    """Something suppliers count, with one current definition and its version number.

    An entry records the version it was counted under, so a changed definition shows up in
    reports as a restatement rather than as a silent jump. A derived measure has no entries of
    its own: it is the sum of its components, which every report shows beside it.
    """

    class Unit(models.TextChoices):
        PEOPLE = "people", "people"
        FTE = "fte", "full-time equivalents"
        WEEKS = "weeks", "weeks"
        HOURS = "hours", "hours"
        DAYS = "days", "days"
        EVENTS = "events", "events"
        GBP = "gbp", "£"

    class Aggregation(models.TextChoices):
        SUM = "sum", "Sums across periods and years"
        STOCK = "stock", "A stock: latest period within a year, never summed across years"

    class Kind(models.TextChoices):
        COUNTED = "counted", "Counted"
        DERIVED = "derived", "Derived from other measures"

    provider = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_measures",
        help_text="Empty for the shipped library, which every provider shares.",
    )
    code = models.CharField(max_length=60, validators=[CODE_VALIDATOR])
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    aggregation = models.CharField(
        max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.COUNTED)
    definition = models.TextField()
    version = models.PositiveIntegerField(default=1)
    needs_description = models.BooleanField(
        default=False, help_text="Each entry must say what it was (e.g. what was donated)."
    )
    whole_numbers = models.BooleanField(
        default=True, help_text="Quantities must be whole numbers (people, events)."
    )
    narrative_one = models.CharField(max_length=200, help_text='e.g. "{n} job was created"')
    narrative_many = models.CharField(max_length=200, help_text='e.g. "{n} jobs were created"')
    dimensions = models.ManyToManyField(Dimension, blank=True, related_name="measures")
    position = models.PositiveSmallIntegerField(default=0)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "code"], name="measure_code_unique"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(provider__isnull=True),
                name="library_measure_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_derived(self) -> bool:
        return self.kind == self.Kind.DERIVED

    @property
    def is_money(self) -> bool:
        return self.unit == self.Unit.GBP

    @property
    def sums_across_years(self) -> bool:
        return self.aggregation == self.Aggregation.SUM

    def clean_quantity(self, quantity: Decimal) -> Decimal:
        """Check a quantity: not negative, and whole where people or events are counted."""
        if quantity < 0:
            raise ValidationError("must not be negative")
        if self.whole_numbers and quantity != quantity.to_integral_value():
            raise ValidationError(f"must be a whole number of {self.get_unit_display()}")
        places = 2 if self.is_money else 4
        if quantity != round(quantity, places):
            raise ValidationError(f"has more than {places} decimal places")
        return quantity

    def clean_breakdowns(self, given: dict[str, str]) -> dict[str, str]:
        """Check breakdown values against the measure's dimensions; blank values are left out.

        Returns the values as stored: listed values by their code, open text tidied. Raises a
        ValidationError keyed by dimension code.
        """
        dimensions = {dimension.code: dimension for dimension in self.dimensions.all()}
        cleaned, errors = {}, {}
        for code, raw in given.items():
            text = " ".join(str(raw).split())
            if not text:
                continue
            dimension = dimensions.get(code)
            if dimension is None:
                errors[code] = f"{self.name} is not broken down by {code}"
                continue
            try:
                cleaned[code] = dimension.clean_value(text)
            except ValidationError as error:
                errors[code] = error.messages[0]
        if errors:
            raise ValidationError(errors)
        return cleaned

    def narrate(self, quantity_text: str, *, singular: bool) -> str:
        """The measure's sentence for a quantity, e.g. "114 apprenticeships were created"."""
        template = self.narrative_one if singular else self.narrative_many
        return template.format(n=quantity_text)


class MeasureComponent(models.Model):
    """One term of a derived measure's formula: a component measure, added or subtracted."""

    derived = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="used_in")
    coefficient = models.SmallIntegerField(default=1, help_text="+1 to add, -1 to subtract")

    class Meta:
        ordering = ["derived", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["derived", "component"], name="component_once"),
            models.CheckConstraint(
                condition=Q(coefficient__in=[1, -1]), name="component_coefficient_is_sign"
            ),
        ]

    def __str__(self) -> str:
        sign = "+" if self.coefficient > 0 else "-"
        return f"{self.derived.code} {sign} {self.component.code}"


class MeasureRevision(models.Model):
    """A past or present definition of a measure, with the reason it changed. Never edited."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    definition = models.TextField()
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "version"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "version"], name="revision_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} v{self.version}"


class OpeningBalanceQuerySet(models.QuerySet):
    def for_provider(self, provider) -> OpeningBalanceQuerySet:
        return self.filter(provider=provider)


class OpeningBalance(models.Model):
    """A provider's total from before its records on this platform, labelled as such in reports.

    It covers everything up to and including `covers_until` (a financial year); cumulative totals
    for later years add the entries recorded here after it. It may be a measure's quantity, or a
    £ social impact figure the provider published by a method this platform did not apply.
    """

    class Figure(models.TextChoices):
        MEASURE = "measure", "A measure's quantity"
        SOCIAL_IMPACT = "social-impact", "£ social impact, as previously reported"

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="opening_balances"
    )
    figure = models.CharField(max_length=16, choices=Figure.choices, default=Figure.MEASURE)
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.PROTECT, related_name="opening_balances"
    )
    quantity = ScaledDecimalField(places=4)
    covers_until = models.PositiveSmallIntegerField(
        help_text="The last financial year it includes, by the year it starts: 2020 = 2020-21"
    )
    source = models.TextField(help_text="Where the figure comes from and how it was worked out.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OpeningBalanceQuerySet.as_manager()

    class Meta:
        ordering = ["provider", "figure", "measure"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(figure="measure") & Q(measure__isnull=False))
                | (Q(figure="social-impact") & Q(measure__isnull=True)),
                name="opening_balance_measure_only_for_measures",
            ),
            models.UniqueConstraint(
                fields=["provider", "measure"],
                condition=Q(measure__isnull=False),
                name="one_opening_balance_per_measure",
            ),
            models.UniqueConstraint(
                fields=["provider"],
                condition=Q(figure="social-impact"),
                name="one_social_impact_opening_balance",
            ),
        ]

    def __str__(self) -> str:
        subject = self.measure.name if self.measure_id else "Social impact (£)"
        return f"{subject}: {self.quantity} to {self.covers_until}"


def breakdown_key(breakdowns: dict[str, str]) -> str:
    """The breakdowns as one sorted text, e.g. "hours=part-time|sector=housing"."""
    return "|".join(f"{code}={breakdowns[code]}" for code in sorted(breakdowns))


def dimension_labels() -> dict[str, tuple[str, dict[str, str]]]:
    """Every dimension's name and its listed values' labels, by code, read in two queries."""
    return {
        dimension.code: (dimension.name, {v.code: v.label for v in dimension.values.all()})
        for dimension in Dimension.objects.prefetch_related("values")
    }


def breakdown_words(breakdowns: dict[str, str], labels: dict | None = None) -> str:
    """The breakdowns as people read them, "Role: Site manager · Sector: Construction", in the
    dimensions' own order; a code no dimension lists is shown as it was stored."""
    labels = dimension_labels() if labels is None else labels
    order = list(labels)

    def words(code: str) -> str:
        name, values = labels.get(code, (code, {}))
        stored = breakdowns[code]
        return f"{name}: {values.get(stored, stored)}"

    ranked = sorted(breakdowns, key=lambda c: (order.index(c) if c in order else len(order), c))
    return " · ".join(words(code) for code in ranked)


class FormulaVersionQuerySet(models.QuerySet):
    def in_force(self, start_year: int) -> FormulaVersion | None:
        """The version a year was worked out under: the latest whose first year is not after
        it (of those given; None before the first)."""
        return self.filter(first_year__lte=start_year).order_by("-version").first()


class FormulaVersion(models.Model):
    """One version of a derived measure's formula, with why it changed and the first financial
    year it applies to. Never edited: a change is a new version (measures.actions.set_formula).

    Years before a version's first year were published under an earlier one; reports show them
    under both, with a restatement note.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="formula_versions")
    version = models.PositiveIntegerField()
    formula = models.JSONField(help_text='The terms: [[1, "jobs-created"], [-1, "…"]].')
    reason = models.TextField()
    first_year = models.PositiveSmallIntegerField(
        help_text="The first financial year it applies to, by the year it starts: 2024 = 2024-25"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FormulaVersionQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "version"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "version"], name="formula_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} formula v{self.version}"

    @property
    def words(self) -> str:
        """The formula as people read it: "jobs created + jobs sustained"."""
        terms = [(sign, code.replace("-", " ")) for sign, code in self.formula]
        text = " ".join(f"{'+' if sign > 0 else '−'} {name}" for sign, name in terms)
        return text.removeprefix("+ ")
