"""API: the entries of a scope and year as the import's own long format, CSV or XLSX."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema

from socialledger.accounts.access import visible_entries
from socialledger.apikit import ScopeText, YearText, acting, answers, scope_from, year_from
from socialledger.imports.exporting import FORMATS, entries_in, export_name, export_response

router = Router(tags=["Exports"])


class EntriesExportFilter(Schema):
    format: Literal["csv", "xlsx"] = "csv"
    year: YearText | None = Field(None, description='e.g. "2023-24"; default: every year')
    scope: ScopeText | None = Field(
        None, description="framework:REF, member:REF, supplier:REF or contract:FRAMEWORK/REF"
    )


@router.get(
    "/exports/entries",
    response=answers({}),
    openapi_extra={
        "responses": {
            "200": {
                "description": "One row per entry, in the interchange format; imports unchanged",
                "content": {
                    content_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in FORMATS.values()
                },
            }
        }
    },
)
def export_entries(request, filters: Query[EntriesExportFilter]):
    """The entries the token may see in a scope (and year), streamed as CSV or XLSX in the
    format `socialledger import` reads (docs/import-format.md)."""
    membership = acting(request)
    scope = scope_from(membership, filters.scope)
    year = year_from(membership, filters.year)
    entries = entries_in(visible_entries(membership), scope, year)
    name = export_name(scope.provider.reference, scope, year)
    return export_response(entries, filters.format, name)
