"""Entries out as the interchange format (docs/import-format.md), so anything the ledger holds
can leave it and come back: a file exported here imports again unchanged.

One row per entry, streamed: a CSV is written row by row as it is sent, and an XLSX through
XlsxWriter's constant-memory mode into a temporary file, so neither is held whole in memory.
Text that a spreadsheet would run as a formula is neutralised (the import undoes it).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from django.db.models import QuerySet

from socialledger.contracts.models import Contract
from socialledger.lib.csvsafe import safe_cell, safe_csv_lines
from socialledger.lib.numbers import normalise
from socialledger.measures.models import Dimension, Measure
from socialledger.returns.models import Status

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LEADING = (
    "framework",
    "contract",
    "supplier",
    "member",
    "measure",
    "financial_year",
    "period_start",
    "period_end",
    "quantity",
)
TRAILING = (
    "description",
    "person_key",
    "status",
    "lot",
    "contract_title",
    "contract_value",
    "contract_start",
    "contract_end",
)
# The import knows three statuses; a return's others go out as the one that re-imports to the
# same figures without moving the return: queried and rejected as draft, resubmitted as submitted.
STATUS_OUT = {
    Status.DRAFT: "draft",
    Status.QUERIED: "draft",
    Status.REJECTED: "draft",
    Status.SUBMITTED: "submitted",
    Status.RESUBMITTED: "submitted",
    Status.VERIFIED: "verified",
}
CHUNK = 2000
PROGRESS_EVERY = 10_000


def columns() -> list[str]:
    """The header: the import's columns, with one per breakdown the ledger knows."""
    breakdowns = [d.code.replace("-", "_") for d in Dimension.objects.order_by("position", "code")]
    return [*LEADING, *breakdowns, *TRAILING]


def ordered(entries: QuerySet) -> QuerySet:
    """Entries in a stable order that a fresh ledger, given the same file, reproduces."""
    return entries.order_by(
        "contract__framework__reference",
        "contract__reference",
        "financial_year",
        "measure__position",
        "measure__code",
        "period_start",
        "period_end",
        "breakdown_key",
        "description",
        "person_key",
        "pk",
    )


# What each row needs of its entry; contracts and measures are read once, not per row.
ENTRY_FIELDS = (
    "contract_id",
    "measure_id",
    "financial_year",
    "period_start",
    "period_end",
    "quantity",
    "breakdowns",
    "description",
    "person_key",
    "submission__status",
)


def rows(entries: QuerySet, header: list[str], progress=None) -> Iterator[list[str]]:
    """Each entry as a row of text cells under the header; progress(n) is told every
    PROGRESS_EVERY rows."""
    contracts = _contract_columns(entries)
    measures = dict(Measure.objects.values_list("pk", "code"))
    found = ordered(entries).values_list(*ENTRY_FIELDS).iterator(chunk_size=CHUNK)
    for number, entry in enumerate(found, start=1):
        values = _values(dict(zip(ENTRY_FIELDS, entry, strict=True)), contracts, measures)
        yield [values.get(name, "") for name in header]
        if progress and number % PROGRESS_EVERY == 0:
            progress(number)


def _contract_columns(entries: QuerySet) -> dict[int, dict]:
    """The columns that describe each contract the entries are on, with its provider."""
    found = Contract.objects.filter(pk__in=entries.values("contract_id")).select_related(
        "framework__provider", "lot", "supplier", "member"
    )
    return {
        contract.pk: {
            "provider": contract.provider,
            "framework": contract.framework.reference,
            "contract": contract.reference,
            "supplier": contract.supplier.reference,
            "member": contract.member.reference,
            "lot": contract.lot.reference,
            "contract_title": contract.title,
            "contract_value": str(contract.value),
            "contract_start": contract.starts_on.isoformat(),
            "contract_end": contract.ends_on.isoformat() if contract.ends_on else "",
        }
        for contract in found
    }


def _values(entry: dict, contracts: dict[int, dict], measures: dict[int, str]) -> dict[str, str]:
    contract = contracts[entry["contract_id"]]
    year = contract["provider"].financial_year(entry["financial_year"])
    start, end = entry["period_start"], entry["period_end"]
    whole_year = (start, end) == (year.start, year.end)
    breakdowns = {code.replace("-", "_"): value for code, value in entry["breakdowns"].items()}
    return {
        **contract,
        "measure": measures[entry["measure_id"]],
        "financial_year": year.label,
        "period_start": "" if whole_year else start.isoformat(),
        "period_end": "" if whole_year else end.isoformat(),
        "quantity": str(normalise(entry["quantity"])),
        **breakdowns,
        "description": entry["description"],
        "person_key": entry["person_key"],
        "status": STATUS_OUT[entry["submission__status"]],
    }


def csv_lines(entries: QuerySet, progress=None) -> Iterator[str]:
    """The CSV, line by line, cells neutralised (UTF-8 with a byte-order mark, so that Excel
    reads £ signs and accents)."""
    header = columns()
    yield "\ufeff"
    yield from safe_csv_lines(_with_header(header, entries, progress))


def _with_header(header: list[str], entries: QuerySet, progress) -> Iterator[list[str]]:
    yield header
    yield from rows(entries, header, progress)


def write_xlsx(entries: QuerySet, target, progress=None) -> int:
    """Write the XLSX (one sheet, quantities as numbers) to a path or binary file; returns the
    number of entries written."""
    import xlsxwriter

    header = columns()
    quantity_column = header.index("quantity")
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet("Entries")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, header, bold)
    count = 0
    for count, row in enumerate(rows(entries, header, progress), start=1):
        for column, cell in enumerate(row):
            if column == quantity_column:
                sheet.write_number(count, column, float(cell))  # a number at the sheet's edge
            elif cell != "":
                sheet.write_string(count, column, safe_cell(cell))
    sheet.freeze_panes(1, 0)
    book.close()
    return count


def entries_in(entries: QuerySet, scope, year) -> QuerySet:
    """The entries of a scope, and of one financial year if given (else of every year)."""
    found = entries.filter(pk__in=scope.entries().values("pk"))
    return found.in_years(year.start_year) if year is not None else found


def xlsx_file(entries: QuerySet):
    """The XLSX in a temporary file, rewound for reading; it disappears when closed."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it when sent
    write_xlsx(entries, spool)
    spool.seek(0)
    return spool


def write_csv(entries: QuerySet, target, progress=None) -> int:
    """Write the CSV to a text file opened with newline=""; returns the number of entries."""
    lines = 0
    for line in csv_lines(entries, progress):
        target.write(line)
        lines += 1
    return max(lines - 2, 0)  # less the byte-order mark and the header


def export_response(entries: QuerySet, fmt: str, name: str):
    """The entries as a download, streamed: the CSV line by line, the XLSX from a temporary
    file (both for the page and the API)."""
    from django.http import FileResponse, StreamingHttpResponse

    filename = f"{name}.{fmt}"
    if fmt == "xlsx":
        return FileResponse(
            xlsx_file(entries), as_attachment=True, filename=filename, content_type=FORMATS[fmt]
        )
    response = StreamingHttpResponse(csv_lines(entries), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_name(provider_reference: str, scope, year) -> str:
    """The file name (without extension): provider, scope and year, e.g.
    entries-nwpp-framework-dec-2023-24."""
    parts = ["entries", provider_reference]
    if scope.kind != "provider":
        parts += [scope.kind, getattr(scope.target, "reference", str(scope.target.pk))]
    parts.append(year.label if year else "all-years")
    return "-".join(parts).lower().replace("/", "-")
