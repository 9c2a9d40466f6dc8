"""Uploads and background jobs on the web: start one, watch its progress, read its result."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from socialledger.accounts.access import (
    OFFICERS,
    get_job_for_user,
    ledger_view,
    visible_jobs,
)
from socialledger.jobs.actions import JobError, confirm_upload, start_job, start_upload
from socialledger.jobs.forms import UploadForm
from socialledger.jobs.kinds import kind_of
from socialledger.jobs.models import STEPS

FINDINGS_PER_PAGE = 100
JOBS_LISTED = 50


@ledger_view()
def jobs(request: HttpRequest) -> HttpResponse:
    """The upload form (for provider officers) and the jobs the person may see."""
    membership = request.membership
    may_start = membership.role in OFFICERS
    form = UploadForm()
    status = 200
    if request.method == "POST" and may_start:
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = start_upload(
                    membership.organisation,
                    form.cleaned_data["kind"],
                    form.cleaned_data["file"],
                    by=request.user,
                    options=form.options(),
                )
                return redirect("job-detail", pk=job.pk)
            except JobError as error:
                form.add_error("file", str(error))
        status = 400
    context = {
        "form": form if may_start else None,
        "jobs": visible_jobs(membership).recent()[:JOBS_LISTED],
    }
    return TemplateResponse(request, "jobs/jobs.html", context, status=status)


@ledger_view()
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress while it runs, then its result; HTMX asks for the progress part alone."""
    job = get_job_for_user(request.membership, pk)
    live = job.live()
    context = {
        "job": job,
        "kind": kind_of(job.kind),
        "live": live,
        "steps": _steps(live["stage"]),
        "may_confirm": request.membership.role in OFFICERS and job.can_be_confirmed,
        "confirmation": job.confirmations.first() if job.dry_run else None,
        "findings": Paginator(job.findings.all(), FINDINGS_PER_PAGE).get_page(
            request.GET.get("page")
        ),
    }
    if request.htmx:
        return TemplateResponse(request, "jobs/detail.html#progress", context)
    return TemplateResponse(request, "jobs/detail.html", context)


def _steps(stage: str) -> list[tuple[str, str, str]]:
    """Each step of a job with whether it is done, under way now, or to come."""
    order = [step.value for step in STEPS]
    at = order.index(stage) if stage in order else -1
    return [
        (step.value, step.label, "done" if n < at else "now" if n == at else "to come")
        for n, step in enumerate(STEPS)
    ]


@require_POST
@ledger_view(roles=OFFICERS)
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the checked file for real."""
    dry_run = get_job_for_user(request.membership, pk)
    try:
        job = confirm_upload(dry_run, by=request.user)
    except JobError:
        return redirect("job-detail", pk=dry_run.pk)
    return redirect("job-detail", pk=job.pk)


@require_POST
@ledger_view(roles=OFFICERS)
def rebuild_summaries(request: HttpRequest) -> HttpResponse:
    """Work the provider's report summaries out again, in the background."""
    job = start_job(request.membership.organisation, "rebuild-summaries", by=request.user)
    return redirect("job-detail", pk=job.pk)
