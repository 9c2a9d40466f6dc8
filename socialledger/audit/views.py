"""The provider's audit log, for provider admins and auditors: to read, filter and export."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse

from socialledger.accounts.access import READERS_OF_EVERYTHING, ledger_view, provider_of
from socialledger.audit.models import AuditEvent
from socialledger.lib.csvsafe import safe_csv_lines

EVENTS_PER_PAGE = 50
EXPORT_COLUMNS = [
    "when",
    "who",
    "action",
    "object_type",
    "object_id",
    "object",
    "before",
    "after",
    "note",
]


def _events(request: HttpRequest):
    filters = {key: request.GET.get(key, "").strip() for key in ("action", "actor", "text")}
    events = AuditEvent.objects.for_provider(provider_of(request.membership)).matching(**filters)
    return events.order_by("-created_at", "-pk"), filters


@ledger_view(roles=READERS_OF_EVERYTHING)
def audit_log(request: HttpRequest) -> HttpResponse:
    events, filters = _events(request)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "audit/log.html", {"page": page, "filters": filters})


@ledger_view(roles=READERS_OF_EVERYTHING)
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV, streamed, with cells that look like formulas neutralised."""
    events, _filters = _events(request)

    def rows():
        yield EXPORT_COLUMNS
        for event in events.iterator(chunk_size=2000):
            yield _row(event)

    response = StreamingHttpResponse(safe_csv_lines(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


def _row(event: AuditEvent) -> list[str]:
    return [
        event.created_at.isoformat(),
        event.actor_label,
        event.action,
        event.object_type,
        event.object_id,
        event.object_repr,
        json.dumps(event.before, ensure_ascii=False) if event.before is not None else "",
        json.dumps(event.after, ensure_ascii=False) if event.after is not None else "",
        event.note,
    ]
