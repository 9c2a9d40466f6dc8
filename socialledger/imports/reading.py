"""Reading uploaded tables into rows, and the problems an import reports.

Every problem names the row, the column, the value found and what was expected, so a person can
find and fix it in their spreadsheet. Row numbers are as a spreadsheet shows them: the header is
row 1, the first figure row 2.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from socialledger.lib.csvsafe import restore_cell


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
    order mark), or Windows-1252 as Excel's plain "CSV" saves it."""
    if path.stat().st_size < LARGE:
        text, encoding = _decode(path.read_bytes())
        return parse_csv_text(text, encoding)
    encoding = _encoding_of(path)
    python_encoding = "utf-8-sig" if encoding == "utf-8" else "cp1252"

    def records() -> Iterator[list[str]]:
        with path.open(encoding=python_encoding, newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            yield from _csv_records(reader)

    with path.open(encoding=python_encoding, newline="") as handle:
        first = next(_csv_records(csv.reader(handle)), None)
    return _table(first, records, encoding)


def _csv_records(reader: Iterable[list[str]]) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as error:
        raise ImportRefused(
            [Problem(0, "", "", f"the file is not readable as CSV ({error})")]
        ) from error


def _table(first: list[str] | None, records, encoding: str) -> Table:
    """A table read row by row, once its header has been checked."""
    if not first or not any(cell.strip() for cell in first):
        raise ImportRefused(
            [Problem(0, "", "", "the file is empty; expected a header row and figures")]
        )
    header = tuple(normalise_column(name) for name in first)
    problems = _header_problems(header)
    if problems:
        raise ImportRefused(problems)
    return Table(header, Rows(header, records), encoding)


def _encoding_of(path: Path) -> str:
    """UTF-8 if the whole file decodes as UTF-8, else Windows-1252; read in pieces."""
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
        return parse_csv_text(lines.getvalue(), "xlsx")

    def records() -> Iterator[list[str]]:
        rows = sheet_rows()
        next(rows, None)
        yield from rows

    return _table(next(sheet_rows(), None), records, "xlsx")


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
        raise ImportRefused(
            [Problem(0, "", "", f"the file is not readable as CSV ({error})")]
        ) from error
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


def _row(header, number: int, values: list[str], problems: list[Problem]):
    """(number, {column: value}) for one record; None for a blank line, or (with its problems
    added) for a record that does not fit the header."""
    if not any(value.strip() for value in values):
        return None  # blank lines, often left at the end by spreadsheets
    if len(values) > len(header):
        extra = ", ".join(v for v in values[len(header) :] if v.strip())
        if extra:
            problems.append(
                Problem(
                    number, "", extra, f"this row has more cells than the {len(header)} headings"
                )
            )
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


def _header_problems(header: tuple[str, ...]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for name in header:
        if name and name in seen:
            problems.append(Problem(1, name, "", "this heading appears twice; keep one"))
        seen.add(name)
    return problems


def _decode(raw: bytes) -> tuple[str, str]:
    try:
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
