"""API: the entries of a scope and year as the import's own long format, CSV or XLSX; OCDS
release packages in (frameworks, lots and contracts, provider admins only) and out."""

from __future__ import annotations

import json
from dataclasses import asdict
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from socialledger.accounts.access import ADMINS, OFFICERS, provider_of, visible_entries
from socialledger.apikit import (
    VIA,
    ApiError,
    ScopeText,
    YearText,
    acting,
    answers,
    by,
    prose,
    scope_from,
    year_from,
)
from socialledger.imports.actions import import_ocds_package
from socialledger.imports.exporting import FORMATS, entries_in, export_name, export_response
from socialledger.imports.ocds_export import ocds_release_package, package_json
from socialledger.imports.ocds_performance import performance_notice_package
from socialledger.imports.reading import ImportRefused, parse_csv_text
from socialledger.imports.setup import import_setup_file

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


# --- OCDS ---------------------------------------------------------------------------------------


class OcdsPackageIn(Schema):
    """An OCDS 1.1 release package, as Find a Tender and Contracts Finder publish it."""

    model_config = ConfigDict(extra="allow")

    releases: list[dict[str, Any]] = Field(
        description="Releases of framework and call-off processes (docs/ocds.md says what is read)"
    )


class OcdsImportOptions(Schema):
    dry_run: bool = Field(False, description="Check everything and count; write nothing")
    create_missing: bool = Field(
        False, description="Register parties the ledger does not know (by their identifiers)"
    )
    as_framework: bool = Field(
        False,
        description="Take a notice that says neither framework nor call-off as a framework",
    )
    skip_unreadable: bool = Field(
        False,
        description="Leave out (and list in the notes) a process that cannot be read, such as "
        "a notice that is neither a framework nor a call-off, instead of refusing the package",
    )


class OcdsSummaryOut(Schema):
    releases: int
    frameworks_created: int
    frameworks_updated: int
    lots_created: int
    contracts_created: int
    contracts_updated: int
    contracts_unchanged: int
    organisations_created: int
    spend_months: int = Field(
        description="Months of contract spend recorded from implementation.transactions"
    )
    dry_run: bool
    notes: list[str] = Field(
        description="What was read but is worth a look: repeated releases, a party id "
        "given two names, a term read from the lots' durations, processes skipped"
    )
    summary: str = Field(description="The same in words, as the command line prints it")


class OcdsScopeFilter(Schema):
    scope: ScopeText | None = Field(
        None, description="framework:REF, member:REF, supplier:REF or contract:FRAMEWORK/REF"
    )


class OcdsExportFilter(Schema):
    year: YearText | None = Field(
        None, description='e.g. "2023-24": contracts live in that year; default: every contract'
    )
    scope: ScopeText | None = Field(
        None, description="framework:REF, member:REF, supplier:REF or contract:FRAMEWORK/REF"
    )


@router.post("/imports/ocds", response=answers({200: OcdsSummaryOut}), tags=["Imports"])
def import_ocds(request, package: OcdsPackageIn, options: Query[OcdsImportOptions]):
    """Import frameworks, lots and call-off contracts from an OCDS release package (provider
    admins). Every release is checked first; on any problem nothing is written and each is
    listed with its place in the JSON, the value found and what was expected. Importing again
    updates what an earlier import made, never duplicates it."""
    membership = acting(request, write=True, roles=ADMINS, to="import OCDS packages")
    # Read again with amounts as exact decimals, as the command line reads a file.
    content = json.loads(request.body, parse_float=Decimal)
    try:
        summary = import_ocds_package(
            provider_of(membership),
            content,
            by=by(request),
            create_missing=options.create_missing,
            dry_run=options.dry_run,
            as_framework=options.as_framework,
            skip_unreadable=options.skip_unreadable,
            via=VIA,
        )
    except ImportRefused as refused:
        details = [
            {
                "field": problem.path,
                "message": str(problem),
                "value": problem.value,
                "expected": problem.expected,
            }
            for problem in refused.problems
        ]
        message = f"{len(details)} problem(s) in the package; nothing was written."
        raise ApiError(422, "invalid", message, details) from None
    return {**asdict(summary), "summary": str(summary)}


@router.get(
    "/exports/ocds",
    response=answers({}),
    openapi_extra={
        "responses": {
            "200": {
                "description": "An OCDS 1.1 release package with the lots, techniques and "
                "metrics extensions (docs/ocds.md)",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "version": {"type": "string"},
                                "extensions": {"type": "array", "items": {"type": "string"}},
                                "publishedDate": {"type": "string"},
                                "publisher": {"type": "object"},
                                "releases": {"type": "array", "items": {"type": "object"}},
                            },
                            "required": ["version", "publishedDate", "publisher", "releases"],
                        }
                    }
                },
            }
        }
    },
)
def export_ocds(request, filters: Query[OcdsExportFilter]):
    """The contracts the token may see in a scope (those live in a year, or all) with their
    frameworks, commitments and delivered figures, as an OCDS release package."""
    membership = acting(request)
    scope = scope_from(membership, filters.scope)
    package = ocds_release_package(scope, year_from(membership, filters.year))
    return HttpResponse(package_json(package), content_type="application/json")


class SetupFileIn(Schema):
    csv: prose(5_000_000, 1) = Field(
        description="The set-up file's text, header row first (docs/setup-file.md)",
    )


class SetupFileOptions(Schema):
    dry_run: bool = Field(False, description="Check everything and count; write nothing")


class SetupSummaryOut(Schema):
    dry_run: bool
    created: dict[str, int] = Field(description="New records, by kind (framework, lot …)")
    changed: dict[str, int]
    unchanged: dict[str, int]
    summary: str = Field(description="The same in words, as the command line prints it")


@router.post("/imports/setup", response=answers({200: SetupSummaryOut}), tags=["Imports"])
def import_setup(request, payload: SetupFileIn, options: Query[SetupFileOptions]):
    """Set up frameworks, lots and their suppliers, members and suppliers, contracts,
    commitments and spend from a set-up file (provider officers and admins). Every row is
    checked; on any problem nothing is written and each is listed with its row and column."""
    membership = acting(request, write=True, roles=OFFICERS, to="import set-up files")
    try:
        table = parse_csv_text(payload.csv)
        summary = import_setup_file(
            provider_of(membership), table, by=by(request), dry_run=options.dry_run, via=VIA
        )
    except ImportRefused as refused:
        details = [
            {
                "field": f"row {problem.row}, {problem.column}".rstrip(", "),
                "message": str(problem),
                "value": problem.value,
                "expected": problem.expected,
            }
            for problem in refused.problems
        ]
        message = f"{len(details)} problem(s) in the file; nothing was written."
        raise ApiError(422, "invalid", message, details) from None
    return {
        "dry_run": summary.dry_run,
        "created": dict(summary.created),
        "changed": dict(summary.changed),
        "unchanged": dict(summary.unchanged),
        "summary": str(summary),
    }


@router.get(
    "/exports/ocds/performance-notices",
    response=answers({}),
    openapi_extra={
        "responses": {
            "200": {
                "description": "Contract performance notices as an OCDS 1.1 release package: a "
                "release per contract and KPI rating period (docs/ocds.md)",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def export_performance_notices(request, filters: Query[OcdsScopeFilter]):
    """The KPI ratings of the contracts the token may see in a scope, as OCDS contract
    performance notices: implementation metrics with each rating's measureClassification."""
    membership = acting(request)
    package = performance_notice_package(
        scope_from(membership, filters.scope), timezone.localdate()
    )
    return HttpResponse(package_json(package), content_type="application/json")
