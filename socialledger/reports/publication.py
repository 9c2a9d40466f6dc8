"""What a publication puts out and what has changed since: the preview a provider admin reads
before publishing, the headline figures kept with each snapshot, and the figures restated since.

A published page is a frozen snapshot. When a figure in it is later restated (a verified return
re-verified with a different figure, or more returns verified), the public page says "since
restated" beside it with the figure now and the day it changed, and the provider's staff are
told to republish; the snapshot itself is never edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Max

from socialledger.lib.numbers import format_quantity
from socialledger.lib.periods import FinancialYear
from socialledger.quality.queries import warning_lines, warnings_in_scope
from socialledger.reports.models import PublishedReport
from socialledger.reports.queries import Scope, current_report
from socialledger.reports.report import AnnualReport
from socialledger.reports.suppression import cell_words, suppress
from socialledger.reports.years import coverage_words, status_words
from socialledger.returns.models import Restatement, Return, State, Status

# Marks the place beside each headline card of a snapshot where "since restated" goes.
RESTATED_MARK = "<!--restated:{code}-->"


@dataclass(frozen=True)
class Preview:
    """Everything a publication will put out, to read before confirming it."""

    year: FinancialYear
    threshold: int
    provisional: bool
    status_words: str
    coverage_words: str
    has_verified: bool
    warnings: tuple[str, ...]
    warnings_open: int
    warnings_checked: int
    suppressed: tuple[str, ...]
    headlines: tuple[tuple[str, str], ...]  # (measure, figure as it will read)


@dataclass(frozen=True)
class Restated:
    """A headline figure that differs now from the one published."""

    code: str
    name: str
    published: str
    now: str
    changed_on: datetime | None

    @property
    def words(self) -> str:
        when = f" on {self.changed_on:%d %B %Y}" if self.changed_on else ""
        return f"Since restated{when}: now {self.now} (published as {self.published})."


def publication_preview(provider, year: FinancialYear, threshold: int) -> Preview:
    """What publishing the provider's verified report for a year with this threshold puts out."""
    report = current_report(Scope(provider), year, basis=State.VERIFIED)
    suppression = suppress(report, threshold)
    warnings = warnings_in_scope(Scope(provider), year)
    return Preview(
        year=year,
        threshold=threshold,
        provisional=report.provisional,
        status_words=status_words(report.status, year),
        coverage_words=coverage_words(report.status),
        has_verified=any(line.current.verified.recorded for line in report.measures),
        warnings=tuple(warning_lines(provider, warnings)),
        warnings_open=sum(1 for w in warnings if not w.checked),
        warnings_checked=sum(1 for w in warnings if w.checked),
        suppressed=tuple(sorted(cell_words(report, key) for key in suppression.hidden)),
        headlines=tuple((line.name, _as_published(line, threshold)) for line in report.measures),
    )


def headline_figures(report: AnnualReport) -> dict[str, dict]:
    """The headline figures a snapshot is published with, kept to find restatements later."""
    return {
        line.code: {
            "name": line.name,
            "value": str(line.headline.value),
            "recorded": line.headline.recorded,
            "money": line.is_money,
        }
        for line in report.measures
    }


def restated_figures(published: PublishedReport) -> list[Restated]:
    """The published headline figures that the verified report for the year no longer shows."""
    if not published.figures:
        return []
    report = current_report(Scope(published.provider), published.year, basis=State.VERIFIED)
    changed_on = _changed_on(published)
    found = []
    for line in report.measures:
        kept = published.figures.get(line.code)
        if kept is None or Decimal(kept["value"]) == line.headline.value:
            continue
        found.append(
            Restated(
                code=line.code,
                name=line.name,
                published=_words(Decimal(kept["value"]), kept["money"], published.threshold),
                now=_as_published(line, published.threshold),
                changed_on=changed_on,
            )
        )
    return found


def republish_notices(provider) -> list[str]:
    """A sentence for each live publication of the provider with figures restated since."""
    notices = []
    for published in PublishedReport.objects.for_provider(provider).live():
        if not _changed_since(published):
            continue
        restated = restated_figures(published)
        if restated:
            names = ", ".join(r.name.lower() for r in restated)
            notices.append(
                f"The published {published.year.label} report has figures restated since it "
                f"was published ({names}): republish it so the public page shows them."
            )
    return notices


def mark_restated(body_html: str, restated: list[Restated]) -> str:
    """The snapshot's page with "since restated" beside each restated headline figure."""
    for figure in restated:
        note = f'<span class="card-restated" data-restated="{figure.code}">{figure.words}</span>'
        body_html = body_html.replace(RESTATED_MARK.format(code=figure.code), note)
    return body_html


def _as_published(line, threshold: int) -> str:
    if not line.headline.recorded:
        return "no figure yet" if line.provisional else "no figure on record"
    return _words(line.headline.value, line.is_money, threshold)


def _words(value: Decimal, money: bool, threshold: int) -> str:
    """A headline figure as a public page shows it, small counts suppressed."""
    if not money and Decimal(0) < value < threshold:
        return f"fewer than {threshold}"
    return format_quantity(value, money=money)


def _later_events(published: PublishedReport):
    """Restatements and verifications in the published year after it was published."""
    suppliers = Scope(published.provider).contracts().values("supplier_id")
    restatements = Restatement.objects.filter(
        financial_year=published.financial_year,
        submission__supplier_id__in=suppliers,
        restated_at__gt=published.published_at,
    )
    decided = Return.objects.filter(
        financial_year=published.financial_year,
        supplier_id__in=suppliers,
        status=Status.VERIFIED,
        decided_at__gt=published.published_at,
    )
    return restatements, decided


def _changed_since(published: PublishedReport) -> bool:
    restatements, decided = _later_events(published)
    return restatements.exists() or decided.exists()


def _changed_on(published: PublishedReport) -> datetime | None:
    """The last day a verified figure of the year changed after publication."""
    restatements, decided = _later_events(published)
    days = [
        restatements.aggregate(at=Max("restated_at"))["at"],
        decided.aggregate(at=Max("decided_at"))["at"],
    ]
    days = [day for day in days if day is not None]
    return max(days) if days else None
