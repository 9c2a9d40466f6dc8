"""Case studies: the people behind the figures, told with their consent.

A case study is a story on one contract and year, illustrating some of its measures, with
optional photos and one consent record for each person named or shown. It may be used for a
purpose (internal, the report, the public page, the press) only while every one of its consents
covers that purpose, has not run out and has not been withdrawn; and, beyond internal use, only
once an officer has approved it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q


class Use(models.TextChoices):
    """What a person may agree their story is used for."""

    INTERNAL = "internal", "Within the provider and the contract's parties"
    REPORT = "report", "In the provider's social value report"
    PUBLIC = "public", "On the public report page and its PDF"
    PRESS = "press", "In the press pack given to journalists"


class CaseStudyQuerySet(models.QuerySet):
    def for_provider(self, provider) -> CaseStudyQuerySet:
        return self.filter(provider=provider)

    def in_year(self, start_year: int) -> CaseStudyQuerySet:
        return self.filter(financial_year=start_year)

    def approved(self) -> CaseStudyQuerySet:
        return self.filter(approved_at__isnull=False)

    def usable_for(self, use: str, on: date) -> CaseStudyQuerySet:
        """Case studies that may be used for `use` on the day: approved (beyond internal use),
        with at least one consent, and every consent current for that use."""
        consents = Consent.objects.filter(case_study=OuterRef("pk"))
        lacking = consents.filter(
            Q(withdrawn_at__isnull=False)
            | Q(until__lt=on)
            | Q(given_on__gt=on)
            | ~Q(uses_field(use))
        )
        found = self.filter(Exists(consents)).exclude(Exists(lacking))
        return found if use == Use.INTERNAL else found.approved()


def uses_field(use: str) -> Q:
    return Q(**{f"for_{use}": True})


class CaseStudy(models.Model):
    """A story on a contract and a year, with the measures it illustrates."""

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="case_studies"
    )
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="case_studies"
    )
    financial_year = models.PositiveSmallIntegerField(help_text="2023 = 2023-24")
    title = models.CharField(max_length=200)
    story = models.TextField()
    quote = models.TextField(blank=True, help_text="Words of the person, as they agreed them.")
    quoted = models.CharField(max_length=200, blank=True, help_text="Who said the quote.")
    measures = models.ManyToManyField("measures.Measure", related_name="case_studies", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "case studies"
        ordering = ["-financial_year", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self):
        return self.provider.financial_year(self.financial_year)

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def usable_for(self, use: str, on: date) -> bool:
        return CaseStudy.objects.filter(pk=self.pk).usable_for(use, on).exists()

    def uses_allowed(self, on: date) -> list[str]:
        """The labels of the uses this case study may be put to on the day."""
        return [label for value, label in Use.choices if self.usable_for(value, on)]


class Consent(models.Model):
    """One person's consent to be named or shown in a case study: who gave it (the person, or
    someone on their behalf), when, for which uses and until when; withdrawal ends it."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="consents")
    person = models.CharField(max_length=200, help_text="The person named or shown.")
    given_by = models.CharField(
        max_length=200, help_text="Who gave consent: the person, or who gave it for them."
    )
    given_on = models.DateField()
    until = models.DateField(null=True, blank=True, help_text="Blank: until withdrawn.")
    for_internal = models.BooleanField(default=True)
    for_report = models.BooleanField(default=False)
    for_public = models.BooleanField(default=False)
    for_press = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case_study", "person", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("given_on")),
                name="consent_ends_after_it_is_given",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.case_study})"

    @property
    def uses(self) -> list[str]:
        return [value for value, _ in Use.choices if getattr(self, f"for_{value}")]

    @property
    def use_labels(self) -> list[str]:
        return [label for value, label in Use.choices if getattr(self, f"for_{value}")]

    def state(self, on: date) -> str:
        """In words: current, withdrawn, run out, or not yet given."""
        if self.withdrawn_at:
            return "withdrawn"
        if self.until and self.until < on:
            return "run out"
        if self.given_on > on:
            return "not yet in force"
        return "current"


class Photo(models.Model):
    """A photo in a case study, resized and stripped of location and camera data on upload."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="case-studies/%Y/%m/", max_length=200)
    alt_text = models.CharField(
        max_length=300, help_text="What the photo shows, for screen readers."
    )
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_study", "pk"]

    def __str__(self) -> str:
        return self.alt_text
