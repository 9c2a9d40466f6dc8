"""The return workbook on the web: download it, and upload it back."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from socialledger.accounts.access import (
    get_return_for_contributor,
    get_return_for_user,
    get_scope_for_user,
    ledger_view,
    visible_entries,
)
from socialledger.accounts.models import Role
from socialledger.imports.actions import return_workbook
from socialledger.imports.exporting import FORMATS, entries_in, export_name, export_response
from socialledger.jobs.actions import JobError, start_upload
from socialledger.lib.periods import PeriodError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@ledger_view()
def download_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    ret = get_return_for_user(request.membership, pk)
    response = HttpResponse(return_workbook(ret), content_type=XLSX)
    name = f"return-{ret.supplier.reference}-{ret.period_label}.xlsx".lower().replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@ledger_view(roles=frozenset({Role.SUPPLIER_CONTRIBUTOR}))
def upload_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    """The workbook is read by a background job, whose page follows it: every cell is checked,
    and on any problem the page lists them all and nothing is saved."""
    ret = get_return_for_contributor(request.membership, pk)
    upload = request.FILES.get("workbook")
    error = "Choose the filled-in workbook to upload."
    if upload is not None:
        try:
            job = start_upload(
                ret.provider,
                "return-workbook",
                upload,
                by=request.user,
                dry_run=False,
                about={"return": ret.pk},
            )
            return redirect("job-detail", pk=job.pk)
        except JobError as refusal:
            error = str(refusal)
    context = {"ret": ret, "error": error}
    return TemplateResponse(request, "imports/workbook_refused.html", context, status=400)


@ledger_view()
def export_entries(request: HttpRequest, extension: str) -> HttpResponse:
    """The entries behind the report (those the person may see) for its scope and year, as a
    long CSV or XLSX in the import's own format; without a year, every year."""
    if extension not in FORMATS:
        raise Http404("No such format.")
    membership = request.membership
    scope = get_scope_for_user(membership, request.GET.get("scope"))
    try:
        year = scope.provider.parse_year(request.GET["year"]) if request.GET.get("year") else None
    except PeriodError:
        raise Http404("No such year.") from None
    entries = entries_in(visible_entries(membership), scope, year)
    return export_response(entries, extension, export_name(scope.provider.reference, scope, year))
