"""Reading uploaded tables into rows, and the problems an import reports.

Every problem names the row, the column, the value found and what was expected, so a person can
find and fix it in their spreadsheet. Row numbers are as a spreadsheet shows them: the header is
row 1, the first figure row 2.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# No import format has more than a few dozen columns; thousands mean the wrong file.
MAX_COLUMNS = 500
# An .xlsx file is a zip archive of a few dozen parts; many thousands mean something else.
MAX_WORKBOOK_PARTS = 10_000
WORKBOOK_PARTS = {".xlsx": "xl/workbook.xml", ".xlsm": "xl/workbook.xml", ".ods": "content.xml"}


@dataclass(frozen=True, order=True)
class Problem:
    row: int
    column: str
    value: str
    expected: str
    sheet: str = ""

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        if self.sheet:
            where = f"sheet {self.sheet}, {where}"
        column = f", column {self.column}" if self.column else ""
        value = f': "{_shorten(self.value)}"' if self.value else ""
        return f"{where}{column}{value} – {self.expected}"


class ImportRefused(Exception):
    """The file had problems; nothing was written. `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s); nothing was written")


@dataclass(frozen=True)
class Table:
    """A file's header (normalised names) and its rows as dicts keyed by those names."""

    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    encoding: str


def normalise_column(name: str) -> str:
    """ "Period start", "period-start" and "PERIOD_START" are all the column period_start."""
    return "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())


def read_csv(path: Path) -> Table:
    """Read a CSV file saved by Excel, LibreOffice or a program: UTF-8 (with or without a byte
    order mark), UTF-16 with its byte order mark, or Windows-1252 as Excel's plain "CSV" does."""
    refuse_if_too_large(path.stat().st_size)
    raw = path.read_bytes()
    text, encoding = _decode(raw)
    return parse_csv_text(text, encoding)


def refuse_if_too_large(size: int) -> None:
    """Files above SOCIALLEDGER_IMPORT_MAX_MB are refused before they are read."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRefused(
            [
                Problem(
                    0,
                    "",
                    "",
                    f"the file is {_megabytes(size)}, more than the {_megabytes(limit)} an import "
                    "takes; split it into smaller files",
                )
            ]
        )


def refuse_unless_safe_workbook(source, suffix: str = ".xlsx") -> None:
    """Refuse a workbook before parsing it if it is too large, is no zip archive with a workbook
    inside, links to other files, or would unpack to more than SOCIALLEDGER_WORKBOOK_MAX_UNPACKED_MB
    (checked on what each part really inflates to, not only on what the archive says)."""
    refuse_if_too_large(_size_of(source))
    required = WORKBOOK_PARTS.get(suffix.lower())
    if required is None:
        return  # an old binary .xls: no archive to look into; its size was checked
    try:
        with zipfile.ZipFile(source) as archive:
            _check_parts(archive, required)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as error:
        raise ImportRefused(
            [
                Problem(
                    0,
                    "",
                    "",
                    "the file is not a readable Excel workbook (.xlsx): it may be another kind of "
                    f"file, or damaged or only partly downloaded ({error})",
                )
            ]
        ) from error
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def _check_parts(archive: zipfile.ZipFile, required: str) -> None:
    parts = archive.infolist()
    names = {part.filename for part in parts}
    problem = ""
    limit = settings.WORKBOOK_MAX_UNPACKED_BYTES
    declared = sum(part.file_size for part in parts)
    if len(parts) > MAX_WORKBOOK_PARTS:
        problem = f"the archive holds {len(parts):,} parts; a workbook has a few dozen"
    elif required not in names:
        problem = "there is no workbook inside this archive; save the file from Excel as .xlsx"
    elif any(name.startswith("xl/externalLinks/") for name in names):
        problem = (
            "the workbook links to other files (external links); replace the links by their "
            "values (in Excel: Data > Edit Links > Break Link) and upload it again"
        )
    elif declared > limit:
        problem = _unpacks_to(declared, limit)
    if problem:
        raise ImportRefused([Problem(0, "", "", problem)])
    unpacked = 0
    for part in parts:
        # zipfile stops at the size the archive declares and checks the CRC there, so a part
        # that lies about its size fails here instead of inflating without end.
        with archive.open(part) as content:
            while chunk := content.read(1 << 20):
                unpacked += len(chunk)
                if unpacked > limit:
                    raise ImportRefused([Problem(0, "", "", _unpacks_to(unpacked, limit))])


def _unpacks_to(size: int, limit: int) -> str:
    return (
        f"the workbook would unpack to more than {_megabytes(limit)} ({_megabytes(size)} or more); "
        "it is either not a real workbook or far larger than an import needs"
    )


def _size_of(source) -> int:
    if isinstance(source, (str, Path)):
        return Path(source).stat().st_size
    size = getattr(source, "size", None)
    if size is None:
        size = source.seek(0, io.SEEK_END)
        source.seek(0)
    return size


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:,.1f} MB"


def read_table(path: Path) -> Table:
    """A CSV file, or the first sheet of an Excel workbook (.xlsx, .xlsm, .xls, .ods)."""
    if path.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".ods"}:
        return read_xlsx(path)
    return read_csv(path)


def read_xlsx(path: Path) -> Table:
    """The first sheet of a workbook, its cells as text so they are checked like a CSV's.

    A number cell arrives from the workbook as a float; it is written out with the shortest text
    that reads back as the same float (0.2, not 0.2000000000000000111), which is what the person
    typed. This is the one place a float is seen, at the spreadsheet's edge.
    """
    from python_calamine import CalamineWorkbook

    refuse_unless_safe_workbook(path, path.suffix)
    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    except Exception as error:  # any unreadable workbook is one problem to report
        raise ImportRefused(
            [Problem(0, "", "", f"the file is not a readable workbook ({error})")]
        ) from error
    lines = io.StringIO()
    csv.writer(lines, lineterminator="\n").writerows([_cell_text(c) for c in row] for row in rows)
    return parse_csv_text(lines.getvalue(), "xlsx")


def _cell_text(cell) -> str:
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return "" if cell is None else str(cell)


def parse_csv_text(text: str, encoding: str = "utf-8") -> Table:
    if not text.strip():
        raise ImportRefused(
            [Problem(0, "", "", "the file is empty; expected a header row and figures")]
        )
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ImportRefused([Problem(0, "", "", _unreadable(error))]) from error
    refuse_unless_reasonable_shape(len(records) - 1, len(records[0]))
    header = tuple(normalise_column(name) for name in records[0])
    problems = _header_problems(header)
    rows = []
    for number, values in enumerate(records[1:], start=2):
        if not any(value.strip() for value in values):
            continue  # blank lines, often left at the end by spreadsheets
        if len(values) > len(header):
            extra = ", ".join(v for v in values[len(header) :] if v.strip())
            if extra:
                problems.append(
                    Problem(
                        number,
                        "",
                        extra,
                        f"this row has more cells than the {len(header)} headings",
                    )
                )
                continue
        padded = list(values) + [""] * (len(header) - len(values))
        problems += [
            Problem(number, f"column {index + 1}", value, "this cell has no heading above it")
            for index, (name, value) in enumerate(zip(header, padded, strict=False))
            if not name and value.strip()
        ]
        rows.append(
            (
                number,
                {name: value.strip() for name, value in zip(header, padded, strict=False) if name},
            )
        )
    if problems:
        raise ImportRefused(problems)
    return Table(header, tuple(rows), encoding)


def refuse_unless_reasonable_shape(rows: int, columns: int) -> None:
    """At most SOCIALLEDGER_IMPORT_MAX_ROWS rows and MAX_COLUMNS columns, checked before any row."""
    if rows > settings.IMPORT_MAX_ROWS:
        raise ImportRefused(
            [
                Problem(
                    0,
                    "",
                    "",
                    f"the file has {rows:,} rows; one import takes at most "
                    f"{settings.IMPORT_MAX_ROWS:,}: split it into several files",
                )
            ]
        )
    if columns > MAX_COLUMNS:
        raise ImportRefused(
            [
                Problem(
                    1,
                    "",
                    "",
                    f"the file has {columns:,} columns; an import has at most {MAX_COLUMNS} "
                    "(docs/import-format.md lists them): is this the right file?",
                )
            ]
        )


def _unreadable(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return (
            f"a cell holds more than {csv.field_size_limit():,} characters; no cell of an import "
            "needs that many (is this the right file?)"
        )
    return f"the file is not readable as CSV ({error})"


def _header_problems(header: tuple[str, ...]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for name in header:
        if name and name in seen:
            problems.append(Problem(1, name, "", "this heading appears twice; keep one"))
        seen.add(name)
    return problems


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            [
                Problem(
                    0,
                    "",
                    "",
                    "the file is not text but a workbook or another zip archive; if it is an "
                    "Excel workbook, give its name the ending .xlsx",
                )
            ]
        )
    text, encoding = _text_of(raw)
    if "\x00" in text:
        # Text never holds NUL characters: this is a binary file, or UTF-16 without its mark.
        raise ImportRefused(
            [
                Problem(
                    0,
                    "",
                    "",
                    "the file is not text: save it from your spreadsheet as CSV UTF-8 "
                    "(or upload the .xlsx workbook itself)",
                )
            ]
        )
    return text, encoding


def _text_of(raw: bytes) -> tuple[str, str]:
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return raw.decode("utf-16"), "utf-16"  # Excel's "Unicode text"
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [
                Problem(
                    0,
                    "",
                    "",
                    f"the file is neither UTF-8 nor Windows-1252 text (byte {error.start}); "
                    "save it as CSV UTF-8",
                )
            ]
        ) from error


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
