"""Publishing: a provider admin puts a year's verified report on public view, or takes it down."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from socialledger.audit.actions import record
from socialledger.audit.models import chain_key
from socialledger.audit.seals import seal_now
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.models import Organisation
from socialledger.reports.documents import contents, render_body
from socialledger.reports.models import PublishedReport
from socialledger.reports.publication import headline_figures
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import title
from socialledger.reports.suppression import suppress
from socialledger.returns.models import State


def minimum_threshold() -> int:
    """The smallest suppression threshold a provider may publish with (the instance's setting)."""
    return settings.SUPPRESSION_THRESHOLD


@transaction.atomic
def publish_report(
    provider: Organisation,
    year: FinancialYear,
    *,
    by,
    threshold: int | None = None,
    provisional: bool = False,
) -> PublishedReport:
    """Publish the provider's verified report for a year at its public address, as a snapshot
    taken now with small numbers suppressed; publishing again replaces the snapshot. A year in
    progress is published only when the publisher accepts it as provisional."""
    threshold = minimum_threshold() if threshold is None else threshold
    if threshold < minimum_threshold():
        raise ValidationError(
            f"Counts below {minimum_threshold()} must be suppressed on this instance."
        )
    report = annual_report(Scope(provider), year, basis=State.VERIFIED)
    if not any(line.current.verified.recorded for line in report.measures):
        raise ValidationError(f"There are no verified figures for {year.label} to publish.")
    if report.provisional and not provisional:
        raise ValidationError(
            f"{year.label} is still in progress: it can be published only as provisional."
        )
    suppression = suppress(report, threshold)
    existing = PublishedReport.objects.filter(
        provider=provider, financial_year=year.start_year
    ).first()
    before = _describe(existing) if existing else None
    published, _ = PublishedReport.objects.update_or_create(
        provider=provider,
        financial_year=year.start_year,
        defaults={
            "threshold": threshold,
            "title": title(report),
            "contents": [list(entry) for entry in contents(report)],
            "body_html": render_body(report, suppression=suppression),
            "published_at": timezone.now(),
            "published_by": by if getattr(by, "is_authenticated", False) else None,
            "unpublished_at": None,
            "provisional": report.provisional,
            "figures": headline_figures(report),
            # Before this publication's own event: the log as the figures were read from it.
            "audit_head": seal_now(chain_key(provider.pk)).as_data(),
        },
    )
    record(
        published,
        "report.republished" if existing else "report.published",
        by=by,
        provider=provider,
        before=before,
        after=_describe(published),
    )
    return published


@transaction.atomic
def unpublish_report(published: PublishedReport, *, by) -> PublishedReport:
    """Take a published report off public view (its snapshot is kept for the record)."""
    if not published.is_live:
        raise ValidationError(f"The {published.year.label} report is not published.")
    before = _describe(published)
    published.unpublished_at = timezone.now()
    published.save(update_fields=["unpublished_at"])
    record(
        published,
        "report.unpublished",
        by=by,
        provider=published.provider,
        before=before,
        after=_describe(published),
    )
    return published


def _describe(published: PublishedReport) -> dict:
    return {
        "year": published.year.label,
        "threshold": published.threshold,
        "published_at": published.published_at.isoformat(),
        "live": published.is_live,
        "provisional": published.provisional,
    }
