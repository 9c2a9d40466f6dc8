"""Running a job in the worker: its kind's function, with its progress and its result recorded
on the Job for its page, and an e-mail to the person who started it when it took a while."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from socialledger.imports.reading import ImportRefused, JsonProblem, Problem
from socialledger.jobs.kinds import kind_of
from socialledger.jobs.models import Finding, Job, Stage, side_file
from socialledger.lib.batches import in_chunks
from socialledger.lib.periods import PeriodError
from socialledger.lib.progress import Progress
from socialledger.returns.actions import TransitionError

logger = logging.getLogger(__name__)

SEND_EVERY = 1.0  # seconds between two reports of a job's counts
# What a step of the work is called in its Progress line, and the stage it is.
STAGE_OF_STEP = {"Checking": Stage.CHECKING, "Writing": Stage.WRITING, "Summaries": Stage.SUMMARIES}
FAILED = "The job stopped because of an error on the server; nothing was written."


def carry_out(job_id: int) -> str:
    """Run the job and record what came of it; the stage it ended in."""
    job = Job.objects.select_related("provider", "started_by").get(pk=job_id)
    kind = kind_of(job.kind)
    _record(job, stage=Stage.READING, started_at=timezone.now())
    reporter = Reporter(job)
    try:
        with stored_copy(job) as path:
            done = kind.run(
                path,
                provider=job.provider,
                by=job.started_by,
                dry_run=job.dry_run,
                progress=reporter.progress,
                **job.options,
            )
        _record(job, stage=Stage.DONE, result=str(done))
    except ImportRefused as refused:
        _keep_findings(job, refused.problems)
        _record(job, stage=Stage.DONE, findings_count=len(refused.problems))
    except (TransitionError, PeriodError) as refusal:
        # A refusal the checks could not foresee (a return that changed state meanwhile).
        _record(job, stage=Stage.FAILED, error=str(refusal))
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _record(job, stage=Stage.FAILED, error=FAILED)
    finally:
        side_file(job.pk).unlink(missing_ok=True)
    _finish(job)
    return job.stage


class Reporter:
    """A job as one more place Progress reports to. Outside a transaction the counts go to the
    job's row, where its page reads them; inside the all-or-nothing write nobody else would see
    them there until the end, so they go to a side file instead."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.depth = _depth()
        self.sent = 0.0

    def progress(self, what: str, total: int | None, *, unit: str = "rows") -> Progress:
        return Progress(what, total, unit=unit, stream=io.StringIO(), sink=self)

    def __call__(self, progress: Progress) -> None:
        stage = STAGE_OF_STEP.get(progress.what.split()[0], self.job.stage)
        if stage == Stage.WRITING and progress.total and progress.done >= progress.total:
            stage = Stage.SUMMARIES  # every row is written; what is left is the summaries
        now = time.monotonic()
        if stage == self.job.stage and not progress.finished and now - self.sent < SEND_EVERY:
            return
        self.sent = now
        counts = {"stage": stage, "done": progress.done, "total": progress.total}
        if _depth() > self.depth:
            _write_side_file(self.job.pk, counts)
            self.job.stage = stage
        else:
            _record(self.job, unit=progress.unit, **counts)


def _depth() -> int:
    """How deep in transactions the job's connection is."""
    return len(connection.savepoint_ids) + connection.in_atomic_block


def _write_side_file(pk: int, counts: dict) -> None:
    path = side_file(pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_suffix(".part")
    draft.write_text(json.dumps({**counts, "at": time.time()}), encoding="utf-8")
    draft.replace(path)  # a reader sees the old file or the new, never half of one


def _record(job: Job, **changes) -> None:
    """Set fields on the job and its row at once."""
    changes["updated_at"] = timezone.now()
    for name, value in changes.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**changes)


def _keep_findings(job: Job, problems: list[Problem | JsonProblem]) -> None:
    for chunk in in_chunks(problems, 2000):
        Finding.objects.bulk_create(_finding(job, problem) for problem in chunk)


def _finding(job: Job, problem: Problem | JsonProblem) -> Finding:
    if isinstance(problem, JsonProblem):
        return Finding(
            job=job,
            row=max(problem.release + 1, 0),
            column=problem.path,
            value=problem.value,
            expected=problem.expected,
        )
    return Finding(
        job=job,
        sheet=problem.sheet,
        row=problem.row,
        column=problem.column,
        value=problem.value,
        expected=problem.expected,
    )


@contextlib.contextmanager
def stored_copy(job: Job) -> Iterator[Path | None]:
    """The job's uploaded file as a path on this machine: the stored file itself on local disk,
    else a temporary copy (object storage)."""
    if not job.file:
        yield None
        return
    try:
        yield Path(job.file.path)
        return
    except NotImplementedError:
        pass
    suffix = Path(job.file.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy, job.file.open("rb") as stored:
        shutil.copyfileobj(stored, copy)
        copy.flush()
        yield Path(copy.name)


def _finish(job: Job) -> None:
    """Record the end. The file is kept only for the confirmation of a clean dry run; once it
    has been written for real, or refused, it is deleted."""
    _record(job, finished_at=timezone.now())
    kept_for_confirmation = job.dry_run and job.stage == Stage.DONE and not job.findings_count
    if job.file and not kept_for_confirmation:
        job.file.delete(save=False)
        Job.objects.filter(pk__in=[job.pk, job.follows_id]).update(file="")
    if job.finished_at - job.created_at > timedelta(seconds=settings.JOB_EMAIL_AFTER_SECONDS):
        _tell_starter(job)


def _tell_starter(job: Job) -> None:
    """An e-mail with a link to the result, for a job that took a while."""
    person = job.started_by
    if person is None or not person.email:
        return
    context = {"job": job, "link": settings.BASE_URL + reverse("job-detail", args=[job.pk])}
    subject = render_to_string("jobs/email/finished_subject.txt", context).strip()
    send_mail(subject, render_to_string("jobs/email/finished.txt", context), None, [person.email])
