"""The kinds of job there are, and the files each kind of upload takes.

An upload kind is one entry in KINDS: what the upload page calls it, the file endings it takes,
and the function that checks (dry run) or writes the file. Adding a kind is one `register(...)`
line; the upload page, the job pages and the worker need nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Kind:
    """`run(path, provider=, by=, dry_run=, progress=, **options)` checks or writes and returns
    what it did (its str() is the sentence the result page shows); it raises ImportRefused with
    every problem when the file is refused."""

    code: str
    label: str
    about: str
    run: Callable[..., object]
    suffixes: tuple[str, ...] = ()
    # Options the upload page offers for this kind: (option name, label on the page).
    choices: tuple[tuple[str, str], ...] = ()
    row_heading: str = "Row"
    column_heading: str = "Column"
    # Offered on the upload page; False for a kind uploaded elsewhere (a return's workbook).
    listed: bool = True

    @property
    def is_upload(self) -> bool:
        return bool(self.suffixes)

    @property
    def accept(self) -> str:
        return ",".join(self.suffixes)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


def kind_of(code: str) -> Kind | None:
    return KINDS.get(code)


def upload_kinds() -> list[Kind]:
    """The kinds the upload page offers."""
    return [kind for kind in KINDS.values() if kind.is_upload and kind.listed]


# --- The kinds ---------------------------------------------------------------------------------

CREATE_MISSING = (
    "create_missing",
    "Create what the file names that is not on record yet (suppliers, members and contracts; "
    "for OCDS notices, organisations no identifier matches)",
)


def import_figures_file(path: Path, *, provider, by, dry_run: bool, progress, **options):
    """Figures (the interchange CSV or workbook) or opening balances, as `socialledger import`
    reads them."""
    from socialledger.imports.actions import (
        import_entries,
        import_opening_balances,
        is_opening_balance_table,
    )
    from socialledger.imports.reading import ImportRefused, Problem, read_table
    from socialledger.imports.values import is_value_set_table

    table = read_table(path)
    if is_value_set_table(table):
        raise ImportRefused([Problem(0, "", "", "this file is a value set, not figures")])
    if is_opening_balance_table(table):
        count = import_opening_balances(provider, table, by=by, dry_run=dry_run)
        return f"{'Would set' if dry_run else 'Set'} {count} opening balances."
    return import_entries(
        provider,
        table,
        by=by,
        dry_run=dry_run,
        create_missing=bool(options.get("create_missing")),
        progress=progress,
    )


def import_setup_kind(path: Path, *, provider, by, dry_run: bool, progress, **options):
    """Frameworks, lots, organisations, contracts, commitments and spend from a set-up file."""
    from socialledger.imports.reading import read_table
    from socialledger.imports.setup import import_setup_file

    table = read_table(path)
    with progress("Checking rows", None, unit="rows"):
        return str(import_setup_file(provider, table, by=by, dry_run=dry_run, via="web upload"))


def import_ocds_file(path: Path, *, provider, by, dry_run: bool, progress, **options):
    """Frameworks, lots and contracts from an OCDS release package."""
    from socialledger.imports.actions import import_ocds_package
    from socialledger.imports.ocds import is_ocds_package, read_package
    from socialledger.imports.reading import ImportRefused, JsonProblem

    package = read_package(path)
    if not is_ocds_package(package):
        raise ImportRefused(
            [
                JsonProblem(
                    -1, "", "", 'the file is JSON but not an OCDS release package (no "releases")'
                )
            ]
        )
    # The OCDS import checks every release and then writes, in one step.
    with progress("Checking releases", len(package["releases"]), unit="releases"):
        return import_ocds_package(
            provider,
            package,
            by=by,
            dry_run=dry_run,
            create_missing=bool(options.get("create_missing")),
            via="web upload",
        )


def import_return_workbook_file(path: Path, *, provider, by, dry_run: bool, progress, **options):
    """A supplier's filled-in return workbook, uploaded on its return's page: every cell
    checked, then the return's figures and nil returns made what it says."""
    from socialledger.imports.actions import import_return_workbook
    from socialledger.returns.models import Return

    ret = Return.objects.for_provider(provider).get(pk=options["return"])
    with progress("Checking cells", None, unit="cells"):
        summary = import_return_workbook(ret, path, by=by, dry_run=dry_run, via="web workbook")
    return (
        f"The workbook was read: {summary.added} figures added, {summary.changed} changed, "
        f"{summary.removed} removed, {summary.unchanged} unchanged."
    )


def rebuild_provider_summaries(path, *, provider, by, dry_run: bool, progress, **options):
    """Work the provider's report summaries out again from its entries."""
    from django.db import transaction

    from socialledger.reports.summaries import rebuild
    from socialledger.returns.models import Entry, State

    counted = Entry.objects.for_provider(provider).counted_as(State.REPORTED).count()
    with progress("Summaries", counted, unit="entries") as shown, transaction.atomic():
        rebuild(provider, progress=shown.advance)
    return f"The report summaries were worked out again from {counted:,} entries."


register(
    Kind(
        "figures",
        "Figures (CSV or workbook)",
        "Figures in the import format: one row per figure, as CSV or an Excel workbook; or "
        "opening balances.",
        import_figures_file,
        suffixes=(".csv", ".xlsx", ".xlsm", ".xls", ".ods"),
        choices=(CREATE_MISSING,),
    )
)
register(
    Kind(
        "ocds",
        "Contracts from OCDS notices",
        "Frameworks, lots and call-off contracts from an OCDS release package (.json).",
        import_ocds_file,
        suffixes=(".json",),
        choices=(CREATE_MISSING,),
        row_heading="Release",
        column_heading="Place in the release",
    )
)
register(
    Kind(
        "setup",
        "Set-up file",
        "Frameworks, lots, members, suppliers, contracts, commitments and spend, one row each.",
        import_setup_kind,
        suffixes=(".csv", ".xlsx"),
    )
)
register(
    Kind(
        "return-workbook",
        "Return workbook",
        "A supplier's filled-in return workbook, for its return.",
        import_return_workbook_file,
        suffixes=(".xlsx",),
        listed=False,
        column_heading="Column",
    )
)
register(
    Kind(
        "rebuild-summaries",
        "Rebuilding the report summaries",
        "The summary tables reports read, worked out again from the entries.",
        rebuild_provider_summaries,
    )
)
