"""Background jobs as people see them: who started what, how far it has got, and what came of it.

The task library keeps its own record of each task (queued, running, finished); a Job is the read
model for people beside it, linked by the task's id: its kind, its stage (reading, checking,
writing, bringing the summaries up to date, then done or failed), counts of the work done, the
findings of a check with their row and column, and a sentence saying what was (or would be)
written.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models


class Stage(models.TextChoices):
    WAITING = "waiting", "Waiting to start"
    READING = "reading", "Reading the file"
    CHECKING = "checking", "Checking"
    WRITING = "writing", "Writing"
    SUMMARIES = "summaries", "Bringing the report summaries up to date"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


# The steps a job goes through, in order, as its page lists them.
STEPS = (Stage.READING, Stage.CHECKING, Stage.WRITING, Stage.SUMMARIES)
FINISHED = frozenset({Stage.DONE, Stage.FAILED})


class JobQuerySet(models.QuerySet):
    def for_provider(self, provider) -> JobQuerySet:
        return self.filter(provider=provider)

    def recent(self) -> JobQuerySet:
        return self.select_related("started_by").order_by("-created_at", "-pk")


class Job(models.Model):
    """One piece of long work for a provider, started by a person, run by the worker."""

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="jobs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=40)
    dry_run = models.BooleanField(default=False)
    options = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to="jobs/%Y/%m/", max_length=300, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    # The dry run whose confirmation started this job, if any.
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="confirmations"
    )
    task_id = models.CharField(max_length=64, blank=True)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.WAITING)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=20, default="rows")
    result = models.TextField(blank=True)
    error = models.TextField(blank=True)
    findings_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # When the worker last wrote its stage and counts to this row.
    updated_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["provider", "-created_at"], name="job_provider_recent")]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_stage_display().lower()})"

    @property
    def label(self) -> str:
        from socialledger.jobs.kinds import kind_of

        kind = kind_of(self.kind)
        name = kind.label if kind else self.kind
        return f"{'Check' if self.dry_run else 'Import'}: {name}" if self.file_name else name

    @property
    def back_url(self) -> str:
        """Where the person goes on from its result: the return a workbook was for, else the
        upload page."""
        from django.urls import reverse

        if "return" in self.options:
            return reverse("return-detail", args=[self.options["return"]])
        return reverse("jobs")

    @property
    def is_finished(self) -> bool:
        return self.stage in FINISHED

    @property
    def refused(self) -> bool:
        """Its check found problems: nothing was (or would be) written."""
        return self.stage == Stage.DONE and self.findings_count > 0

    @property
    def can_be_confirmed(self) -> bool:
        """A clean dry run that nobody has confirmed yet may be written for real."""
        return (
            self.dry_run
            and self.stage == Stage.DONE
            and not self.findings_count
            and not self.confirmations.exists()
        )

    def live(self) -> dict:
        """Its stage and counts as the worker last saw them. Inside the all-or-nothing write the
        row cannot show them (others see it only once the write commits), so the worker keeps
        them in a side file then; the newer of the two is the truth."""
        known = {"stage": self.stage, "done": self.done, "total": self.total}
        if self.is_finished:
            return known
        try:
            side = json.loads(side_file(self.pk).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return known
        written = self.updated_at.timestamp() if self.updated_at else 0
        return side if side.get("at", 0) >= written else known

    @property
    def share(self) -> int | None:
        """Whole percent done of the current step, when its size is known."""
        live = self.live()
        if not live["total"]:
            return None
        return min(100, live["done"] * 100 // live["total"])


class Finding(models.Model):
    """One problem a job's check found, where it is in the file and what was expected."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="findings")
    sheet = models.CharField(max_length=100, blank=True)
    row = models.PositiveIntegerField(default=0)
    column = models.CharField(max_length=300, blank=True)
    value = models.TextField(blank=True)
    expected = models.TextField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.expected}"


def side_file(pk: int):
    """Where the worker keeps a job's progress while its transaction is open."""
    return settings.DATA_DIR / "jobs" / f"{pk}.json"
