"""Reading uploaded tables into rows, and the problems an import reports.

Every problem names the row, the column, the value found and what was expected, so a person can
find and fix it in their spreadsheet. Row numbers are as a spreadsheet shows them: the header is
row 1, the first figure row 2.
"""

from __future__ import annotations

import csv
import io
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
    """A file's header (normalised names) and its rows as dicts keyed by those names."""

    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    encoding: str


def normalise_column(name: str) -> str:
    """ "Period start", "period-start" and "PERIOD_START" are all the column period_start."""
    return "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())


def read_csv(path: Path) -> Table:
    """Read a CSV file saved by Excel, LibreOffice or a program: UTF-8 (with or without a byte
    order mark), or Windows-1252 as Excel's plain "CSV" saves it."""
    raw = path.read_bytes()
    text, encoding = _decode(raw)
    return parse_csv_text(text, encoding)


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
        raise ImportRefused(
            [Problem(0, "", "", f"the file is not readable as CSV ({error})")]
        ) from error
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
                {
                    name: restore_cell(value.strip())
                    for name, value in zip(header, padded, strict=False)
                    if name
                },
            )
        )
    if problems:
        raise ImportRefused(problems)
    return Table(header, tuple(rows), encoding)


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
