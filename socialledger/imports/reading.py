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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from socialledger.lib.csvsafe import restore_cell

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


@dataclass(frozen=True, order=True)
class JsonProblem:
    """A problem in a JSON file (an OCDS package), found at a path such as
    releases[2].contracts[0].value.amount; `release` orders the problems release by release."""

    release: int
    path: str
    value: str
    expected: str

    def __str__(self) -> str:
        value = f': "{_shorten(self.value)}"' if self.value else ""
        return f"{self.path or 'the file'}{value} – {self.expected}"


class ImportRefused(Exception):
    """The file had problems; nothing was written. `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s); nothing was written")


@dataclass(frozen=True)
class Table:
    """A file's header (normalised names) and its rows as (row number, dict keyed by those
    names): a tuple, or `Rows` read from the file as they are needed."""

    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...] | Rows
    encoding: str


class Rows:
    """A large file's rows, read from the file each time they are gone through, so a million
    rows never sit in memory at once. Rows with a structural problem (more cells than headings,
    a cell with no heading) are left out, and once all rows have been read those problems are
    raised together, as reading a small file raises them at once."""

    def __init__(self, header: tuple[str, ...], records: Callable[[], Iterator[list[str]]]):
        self.header, self.records = header, records
        self._count: int | None = None

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        problems: list[Problem] = []
        count = 0
        for number, values in enumerate(self.records(), start=2):
            row = _row(self.header, number, values, problems)
            if row is not None:
                count += 1
                yield row
        self._count = count
        if problems:
            raise ImportRefused(problems)

    def __len__(self) -> int:
        if self._count is None:
            for _row_read in self:
                pass
        return self._count


def normalise_column(name: str) -> str:
    """ "Period start", "period-start" and "PERIOD_START" are all the column period_start."""
    return "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())


LARGE = 5_000_000  # bytes: a file this size or more is read row by row (`Rows`)


def read_csv(path: Path) -> Table:
    """Read a CSV file saved by Excel, LibreOffice or a program: UTF-8 (with or without a byte
    order mark), UTF-16 with its byte order mark, or Windows-1252 as Excel's plain "CSV" does.
    Large files are read row by row."""
    size = path.stat().st_size
    refuse_if_too_large(size)
    if size < LARGE:
        text, encoding = _decode(path.read_bytes())
        return parse_csv_text(text, encoding)
    with path.open("rb") as handle:
        start = handle.read(1 << 16)
    _refuse_unless_text(start)
    encoding = _encoding_of(path)
    python_encoding = {"utf-8": "utf-8-sig", "utf-16": "utf-16"}.get(encoding, "cp1252")
    _refuse_nul(start.decode(python_encoding, errors="ignore"))

    delimiter = delimiter_of(start.decode(python_encoding, errors="ignore"))

    def records() -> Iterator[list[str]]:
        with path.open(encoding=python_encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            next(reader, None)
            yield from _csv_records(reader)

    with path.open(encoding=python_encoding, newline="") as handle:
        first = next(_csv_records(csv.reader(handle, delimiter=delimiter)), None)
    return _table(first, records, encoding)


DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}


def delimiter_of(text: str) -> str:
    """The character between a file's cells: whichever of comma, semicolon and tab splits its
    header row into the most headings (a spreadsheet set to a language that writes decimal
    commas saves its CSV with semicolons); a comma when none splits it."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]

    def headings(delimiter: str) -> int:
        try:
            return len(next(csv.reader([first], delimiter=delimiter), []))
        except csv.Error:
            return 0

    best = max(DELIMITERS, key=headings)
    return best if headings(best) > 1 else ","


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


def _csv_records(reader: Iterable[list[str]]) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as error:
        raise ImportRefused([Problem(0, "", "", _unreadable(error))]) from error


def _table(first: list[str] | None, records, encoding: str) -> Table:
    """A table read row by row, once its header has been checked."""
    if not first or not any(cell.strip() for cell in first):
        raise ImportRefused(
            [Problem(0, "", "", "the file is empty; expected a header row and figures")]
        )
    refuse_unless_reasonable_shape(len(first))
    header = tuple(normalise_column(name) for name in first)
    problems = _header_problems(header)
    if problems:
        raise ImportRefused(problems)
    return Table(header, Rows(header, records), encoding)


def _encoding_of(path: Path) -> str:
    """UTF-16 if it starts with its byte order mark; UTF-8 if the whole file decodes as UTF-8,
    else Windows-1252; read in pieces."""
    with path.open("rb") as handle:
        if handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while piece := handle.read(1 << 20):
                    decoder.decode(piece)
                decoder.decode(b"", final=True)
            return "utf-8" if encoding == "utf-8" else "windows-1252"
        except UnicodeDecodeError as error:
            failed = error
    raise ImportRefused(
        [
            Problem(
                0,
                "",
                "",
                f"the file is neither UTF-8 nor Windows-1252 text (byte {failed.start}); "
                "save it as CSV UTF-8",
            )
        ]
    )


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

    def sheet_rows() -> Iterator[list]:
        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            rows = sheet.iter_rows()
        except Exception as error:  # any unreadable workbook is one problem to report
            raise ImportRefused(
                [Problem(0, "", "", f"the file is not a readable workbook ({error})")]
            ) from error
        for row in rows:
            yield [_cell_text(cell) for cell in row]

    if path.stat().st_size < LARGE:
        lines = io.StringIO()
        csv.writer(lines, lineterminator="\n").writerows(sheet_rows())
        return parse_csv_text(lines.getvalue(), "xlsx", delimiter=",")

    def records() -> Iterator[list[str]]:
        rows = sheet_rows()
        next(rows, None)
        yield from rows

    return _table(next(sheet_rows(), None), records, "xlsx")


def _cell_text(cell) -> str:
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return "" if cell is None else str(cell)


def parse_csv_text(text: str, encoding: str = "utf-8", delimiter: str = "") -> Table:
    """A CSV's text as a table; the character between cells is found from its header row
    unless given."""
    if not text.strip():
        raise ImportRefused(
            [Problem(0, "", "", "the file is empty; expected a header row and figures")]
        )
    try:
        records = list(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or delimiter_of(text))
        )
    except csv.Error as error:
        raise ImportRefused([Problem(0, "", "", _unreadable(error))]) from error
    refuse_unless_reasonable_shape(len(records[0]))
    header = tuple(normalise_column(name) for name in records[0])
    problems = _header_problems(header)
    rows = []
    for number, values in enumerate(records[1:], start=2):
        row = _row(header, number, values, problems)
        if row is not None:
            rows.append(row)
    if problems:
        raise ImportRefused(problems)
    return Table(header, tuple(rows), encoding)


def refuse_unless_reasonable_shape(columns: int) -> None:
    """At most MAX_COLUMNS columns, checked before any row. The number of rows is not limited
    (the file's size is: SOCIALLEDGER_IMPORT_MAX_MB); large files are imported by the worker."""
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


def _row(header, number: int, values: list[str], problems: list[Problem]):
    """(number, {column: value}) for one record; None for a blank line, or (with its problems
    added) for a record that does not fit the header."""
    if not any(value.strip() for value in values):
        return None  # blank lines, often left at the end by spreadsheets
    if len(values) > len(header):
        extra = ", ".join(v for v in values[len(header) :] if v.strip())
        if extra:
            problems.append(Problem(number, "", extra, _more_cells(len(header))))
            return None
    padded = list(values) + [""] * (len(header) - len(values))
    broken = [
        Problem(number, f"column {index + 1}", value, "this cell has no heading above it")
        for index, (name, value) in enumerate(zip(header, padded, strict=False))
        if not name and value.strip()
    ]
    problems += broken
    return number, {
        name: restore_cell(value.strip())
        for name, value in zip(header, padded, strict=False)
        if name
    }


def _more_cells(headings: int) -> str:
    if headings == 1:
        return (
            "this row has more cells than the 1 heading; separate the headings as the cells "
            "are, by commas, semicolons or tabs"
        )
    return f"this row has more cells than the {headings} headings"


def _header_problems(header: tuple[str, ...]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for name in header:
        if name and name in seen:
            problems.append(Problem(1, name, "", "this heading appears twice; keep one"))
        seen.add(name)
    return problems


def _decode(raw: bytes) -> tuple[str, str]:
    _refuse_unless_text(raw)
    text, encoding = _text_of(raw)
    _refuse_nul(text)
    return text, encoding


def _refuse_unless_text(start: bytes) -> None:
    """Refuse, from its first bytes, a zip archive (a workbook named .csv)."""
    if start.startswith(b"PK\x03\x04"):
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


def _refuse_nul(text: str) -> None:
    """Text never holds NUL characters: this is a binary file, or UTF-16 without its mark."""
    if "\x00" in text:
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
