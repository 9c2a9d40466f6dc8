"""Published reports: a provider's yearly report as it was published, for anyone to read."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PublishedReportQuerySet(models.QuerySet):
    def for_provider(self, provider) -> PublishedReportQuerySet:
        return self.filter(provider=provider)

    def live(self) -> PublishedReportQuerySet:
        """Reports on public view now (published and not taken down)."""
        return self.filter(unpublished_at__isnull=True)


class PublishedReport(models.Model):
    """A frozen snapshot of a provider's verified report for one year, taken when it was
    published: what was published stays what it was until it is republished or taken down.

    `body_html` is the report page rendered at publish time with small numbers suppressed;
    it holds no person keys and no entries, only the report's figures.
    """

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="published_reports"
    )
    financial_year = models.PositiveSmallIntegerField(help_text="2023 = 2023-24")
    threshold = models.PositiveSmallIntegerField(
        help_text="Counts above 0 and below this are shown as 'fewer than N'."
    )
    title = models.CharField(max_length=300)
    contents = models.JSONField(default=list, help_text="The PDF's contents: [anchor, heading].")
    body_html = models.TextField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unpublished_at = models.DateTimeField(null=True, blank=True)

    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        ordering = ["provider", "-financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "financial_year"], name="one_published_report_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self):
        return self.provider.financial_year(self.financial_year)

    @property
    def is_live(self) -> bool:
        return self.unpublished_at is None
