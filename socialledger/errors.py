"""Errors a person can act on, never a traceback.

When the database is busy or out of reach, the command line prints one line and exits with status
75 (try again later) and the web answers with a 503 page saying the same. Every write is one
transaction, so nothing half-done is left behind and the same action can simply be tried again.

A form or query holding a NUL character is refused with a 400 page: no text field can store one
(PostgreSQL refuses them outright), and no person types one.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.views import defaults

TRY_AGAIN_LATER = 75  # EX_TEMPFAIL from sysexits.h: scripts may retry
RETRY_AFTER_SECONDS = 30


def database_trouble(error: BaseException | None) -> str | None:
    """What to tell a person when `error` means the database is busy or cannot be reached;
    None for any other error."""
    if not isinstance(error, (OperationalError, InterfaceError)):
        return None
    detail = (str(error).strip().splitlines() or [type(error).__name__])[0]
    lowered = detail.lower()
    if "locked" in lowered or "busy" in lowered:
        return (
            "The database is busy: another process is writing to it and did not finish in time. "
            "Nothing was saved; try again in a moment."
        )
    return (
        f"The database cannot be reached or refused the request ({detail}). Nothing was saved; "
        "check that it is running and that DATABASE_URL is right, then try again."
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's 500 handler: a database that is busy or down gets a 503 page that says so;
    anything else, Django's plain 500 page."""
    message = database_trouble(sys.exc_info()[1])
    if message is None:
        return defaults.server_error(request)
    # Rendered without the request: its context processors would ask the database again.
    page = render_to_string("503.html", {"message": message})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class RefuseNulCharacters:
    """Middleware: a request whose form fields, query or file names hold a NUL character gets a
    400 page saying so, before any view sees it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            return HttpResponseBadRequest(
                "The form held a NUL character (often pasted from another program), which cannot "
                "be stored. Remove it and send the form again.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    texts = [*request.GET.keys(), *(v for vs in request.GET.lists() for v in vs[1])]
    if request.method == "POST" and request.content_type != "application/json":
        texts += [*request.POST.keys(), *(v for vs in request.POST.lists() for v in vs[1])]
        texts += [upload.name or "" for upload in request.FILES.values()]
    return any("\x00" in text for text in texts)
