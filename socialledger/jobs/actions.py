"""Starting jobs: each is recorded for its page, then handed to the worker."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from socialledger.imports.reading import ImportRefused, refuse_if_too_large
from socialledger.jobs.kinds import kind_of
from socialledger.jobs.models import Job
from socialledger.jobs.tasks import run_job


class JobError(Exception):
    """A job that cannot be started as asked."""


def start_upload(
    provider,
    kind: str,
    upload: UploadedFile,
    *,
    by,
    options: dict | None = None,
    dry_run: bool = True,
    about: dict | None = None,
) -> Job:
    """Store an uploaded file and start its job: by default a dry run (every problem found,
    nothing written). `options` are what the person chose; `about`, what the page it was
    uploaded on says (the return a workbook is for)."""
    found = kind_of(kind)
    if found is None or not found.is_upload:
        raise JobError("Choose what kind of file this is.")
    if not upload.name.lower().endswith(found.suffixes):
        raise JobError(f"{found.label} is read from a file ending {', '.join(found.suffixes)}.")
    try:
        refuse_if_too_large(upload.size)  # before the file is stored
    except ImportRefused as refused:
        reason = refused.problems[0].expected
        raise JobError(f"{reason[0].upper()}{reason[1:]}.") from None
    wanted = {name for name, _label in found.choices}
    chosen = {name: True for name, on in (options or {}).items() if on and name in wanted}
    chosen |= about or {}
    job = Job(provider=provider, started_by=by, kind=kind, dry_run=dry_run, options=chosen)
    job.file_name = upload.name[:255]
    job.file.save(upload.name, upload, save=False)
    job.save()
    return _hand_over(job)


def confirm_upload(dry_run: Job, *, by) -> Job:
    """Write, all or nothing, the file whose dry run found no problem."""
    if not dry_run.can_be_confirmed:
        raise JobError("Only a check that found no problem, not yet confirmed, can be written.")
    job = Job.objects.create(
        provider=dry_run.provider,
        started_by=by,
        kind=dry_run.kind,
        dry_run=False,
        options=dry_run.options,
        file=dry_run.file.name,
        file_name=dry_run.file_name,
        follows=dry_run,
    )
    return _hand_over(job)


def start_job(provider, kind: str, *, by) -> Job:
    """Start a job that needs no file (a summary rebuild)."""
    if kind_of(kind) is None:
        raise JobError(f"There is no job called {kind}.")
    return _hand_over(Job.objects.create(provider=provider, started_by=by, kind=kind))


def _hand_over(job: Job) -> Job:
    """Queue the job for the worker, and remember its task's id. The job's row is committed
    first, so the worker finds it."""
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job
