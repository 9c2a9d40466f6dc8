"""Report pages. Each renders the one report object from reports.queries."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "reports/dashboard.html", {})
