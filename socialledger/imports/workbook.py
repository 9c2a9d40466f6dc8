"""The supplier's return as an Excel workbook: written for one return, read back and checked.

Sheets: Instructions; Figures (one row per figure, split rows allowed, locked headings,
drop-down lists, a hidden contract id on every row); Contracts (the nil return for each contract
in scope); and two hidden sheets, Lists (the drop-down values) and About (which return this is).
Reading checks every cell and reports sheet, row, column, value and what was expected.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from socialledger.imports.reading import (
    ImportRefused,
    Problem,
    _cell_text,
    refuse_unless_reasonable_shape,
    refuse_unless_safe_workbook,
)
from socialledger.lib.csvsafe import restore_cell, safe_cell
from socialledger.measures.models import Dimension, Measure
from socialledger.returns import figures as intake
from socialledger.returns.figures import Fact
from socialledger.returns.models import Return

FORMAT = "social-ledger-return-workbook"
VERSION = "1"
BLANK_ROWS = 300
FIGURES, CONTRACTS, ABOUT, LISTS = "Figures", "Contracts", "About", "Lists"
INFO_FILL = PatternFill("solid", fgColor="EEF1F5")
HEAD_FILL = PatternFill("solid", fgColor="1C2430")
YES = {"yes", "y", "x", "true", "1"}
INSTRUCTIONS = [
    "1. On the Figures sheet, type a quantity for each contract and measure you have figures for.",
    "2. To split a figure (for example by trade, or full and part time), use one row per part:",
    "   choose the contract and measure in a blank row below, and give each row its quantity and",
    "   breakdowns. The figure for a contract and measure is the sum of its rows.",
    "3. Donations need a description: what was given, and to whom.",
    "4. People and events are whole numbers. Quantities are never negative. Leave a cell blank",
    "   for 'not stated'; type 0 only when the figure really is zero.",
    "5. On the Contracts sheet, answer Yes under 'Nothing to report?' for a contract with no",
    "   figures this period, and say why.",
    "6. Upload the workbook on the return's page. Every cell is checked first; if anything is",
    "   wrong, nothing is saved and each problem is listed with its sheet, row and column.",
]


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: int
    editable: bool


def figure_columns(dimensions: list[Dimension]) -> list[Column]:
    return [
        Column("contract", "Contract", 12, True),
        Column("title", "Contract title", 34, False),
        Column("member", "Member", 24, False),
        Column("measure", "Measure", 34, True),
        Column("unit", "Unit", 10, False),
        Column("last_year", "Last year", 10, False),
        Column("committed", "Committed", 10, False),
        Column("quantity", "Quantity", 10, True),
        *[Column(f"dim:{d.code}", d.name, 18, True) for d in dimensions],
        Column("description", "Description", 36, True),
        Column("person", PERSON, 16, True),
        Column("person_key", PERSON_KEY, 8, False),
        Column("contract_id", "contract id (do not change)", 8, False),
    ]


PERSON, PERSON_KEY = "Person's id (optional)", "person key (do not change)"
# The intake's parts, by the Figures sheet's headings.
WORKBOOK_COLUMNS = {
    "quantity": "Quantity",
    "description": "Description",
    "person_key": PERSON,
    "period": "Quantity",
}


# --- Writing --------------------------------------------------------------------------------


def build_workbook(ret: Return, *, contracts, last_year: dict, commitments: dict) -> bytes:
    """The workbook for one return, with its contracts, measures and any figures already in it."""
    measures = list(
        Measure.objects.available_to(ret.provider).counted().prefetch_related("dimensions__values")
    )
    dimensions = list(Dimension.objects.prefetch_related("values"))
    book = Workbook()
    _instructions(book.active, ret)
    lists = _lists(book.create_sheet(LISTS), contracts, measures, dimensions)
    _figures(
        book.create_sheet(FIGURES),
        ret,
        contracts,
        measures,
        dimensions,
        lists,
        last_year,
        commitments,
    )
    _contracts(book.create_sheet(CONTRACTS), ret, contracts)
    _about(book.create_sheet(ABOUT), ret)
    book[LISTS].sheet_state = "veryHidden"
    book[ABOUT].sheet_state = "veryHidden"
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _instructions(sheet, ret: Return) -> None:
    sheet.title = "Instructions"
    closes = f"The round closes on {ret.round.closes_on:%d %B %Y}." if ret.round else ""
    bold, italic = Font(bold=True), Font(italic=True)
    lines = [
        (f"Social value return: {ret.supplier}, {ret.period_label}", Font(bold=True, size=14)),
        (closes, None),
        ("", None),
        ("How to fill it in", bold),
        *[(text, None) for text in INSTRUCTIONS],
        ("", None),
        ("Do not rename the sheets or change the grey cells or the hidden contract id.", italic),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=safe_cell(text))
        if font:
            cell.font = font
    sheet.column_dimensions["A"].width = 110
    sheet.protection.sheet = True


def _lists(sheet, contracts, measures, dimensions) -> dict[str, str]:
    """Write each drop-down list into a column of the hidden Lists sheet; return their ranges."""
    columns = {"contract": [c.reference for c in contracts], "measure": [m.name for m in measures]}
    columns |= {f"dim:{d.code}": [v.label for v in d.values.all()] for d in dimensions if d.closed}
    columns["yes"] = ["Yes", "No"]
    ranges = {}
    for index, (key, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(index)
        for row, value in enumerate(values or [""], start=1):
            sheet.cell(row=row, column=index, value=safe_cell(value))
        ranges[key] = f"{quote_sheetname(LISTS)}!${letter}$1:${letter}${max(len(values), 1)}"
    return ranges


def _figures(sheet, ret, contracts, measures, dimensions, lists, last_year, commitments) -> None:
    columns = figure_columns(dimensions)
    _heading(sheet, columns)
    row = 2
    entries = {}
    for entry in ret.entries.all():
        entries.setdefault((entry.contract_id, entry.measure_id), []).append(entry)
    for contract in contracts:
        for measure in measures:
            for entry in entries.get((contract.pk, measure.pk)) or [None]:
                values = _figure_values(contract, measure, entry, last_year, commitments)
                _write_row(sheet, row, columns, values, prefilled=True)
                row += 1
    for _ in range(BLANK_ROWS):
        _write_row(sheet, row, columns, {}, prefilled=False)
        row += 1
    _drop_downs(sheet, columns, lists, row - 1)
    sheet.freeze_panes = "B2"
    for hidden in (len(columns) - 1, len(columns)):  # the person key and the contract id
        sheet.column_dimensions[get_column_letter(hidden)].hidden = True
    _protect(sheet)


def _figure_values(contract, measure, entry, last_year, commitments) -> dict:
    values = {
        "contract": contract.reference,
        "title": contract.title,
        "member": contract.member.name,
        "measure": measure.name,
        "unit": measure.get_unit_display(),
        "last_year": _number(last_year.get((measure.pk, contract.pk))),
        "committed": _number(commitments.get((contract.pk, measure.pk))),
        "contract_id": contract.pk,
    }
    if entry is not None:
        dimension_labels = {d.code: d for d in measure.dimensions.all()}
        values["quantity"] = _number(entry.quantity)
        values["description"] = entry.description
        values["person_key"] = entry.person_key or None
        for code, stored in entry.breakdowns.items():
            dimension = dimension_labels.get(code)
            values[f"dim:{code}"] = dimension.label_for(stored) if dimension else stored
    return values


def _number(value: Decimal | None):
    # Numbers are stored as numbers, so Excel can add them up; the edge of exactness is here.
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _heading(sheet, columns: list[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.heading)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.protection = Protection(locked=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width


def _write_row(sheet, row: int, columns: list[Column], values: dict, *, prefilled: bool) -> None:
    for index, column in enumerate(columns, start=1):
        # Text is written as text, never as a formula: a description such as =HYPERLINK(…) is
        # neutralised as the exports do it, and read back unchanged.
        cell = sheet.cell(row=row, column=index, value=safe_cell(values.get(column.key)))
        # In a prefilled row the contract and measure are fixed; in a blank row they are chosen.
        fixed = not column.editable or (prefilled and column.key in ("contract", "measure"))
        cell.protection = Protection(locked=fixed)
        if fixed:
            cell.fill = INFO_FILL


def _drop_downs(sheet, columns: list[Column], lists: dict[str, str], last_row: int) -> None:
    for index, column in enumerate(columns, start=1):
        if column.key not in lists:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(type="list", formula1=f"={lists[column.key]}", allow_blank=True)
        validation.error = f"Choose a value from the list for {column.heading}."
        validation.errorTitle = column.heading
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{last_row}")


def _protect(sheet) -> None:
    # Headings and grey cells are locked against slips, not secured: no password, rows may be
    # inserted and sorted.
    sheet.protection.sheet = True
    sheet.protection.insertRows = False
    sheet.protection.deleteRows = False
    sheet.protection.sort = False
    sheet.protection.autoFilter = False
    sheet.protection.formatColumns = False


def _contracts(sheet, ret: Return, contracts) -> None:
    columns = [
        Column("contract", "Contract", 12, False),
        Column("title", "Contract title", 40, False),
        Column("member", "Member", 26, False),
        Column("nil", "Nothing to report?", 16, True),
        Column("reason", "Why (for a nil return)", 50, True),
        Column("contract_id", "contract id (do not change)", 8, False),
    ]
    _heading(sheet, columns)
    scoped = {s.contract_id: s for s in ret.scope.all()}
    for row, contract in enumerate(contracts, start=2):
        state = scoped.get(contract.pk)
        values = {
            "contract": contract.reference,
            "title": contract.title,
            "member": contract.member.name,
            "nil": "Yes" if state and state.nil else None,
            "reason": state.nil_reason if state else None,
            "contract_id": contract.pk,
        }
        _write_row(sheet, row, columns, values, prefilled=True)
    validation = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
    sheet.add_data_validation(validation)
    validation.add(f"D2:D{max(len(contracts) + 1, 2)}")
    sheet.column_dimensions["F"].hidden = True
    _protect(sheet)


def _about(sheet, ret: Return) -> None:
    for row, (key, value) in enumerate(
        [
            ("format", FORMAT),
            ("version", VERSION),
            ("return", ret.pk),
            ("supplier", ret.supplier.reference),
            ("period", ret.period_label),
            ("generated", datetime.now().isoformat(timespec="seconds")),
        ],
        start=1,
    ):
        sheet.cell(row=row, column=1, value=key)
        sheet.cell(row=row, column=2, value=safe_cell(value))


# --- Reading --------------------------------------------------------------------------------


@dataclass
class WorkbookContent:
    about: dict[str, str]
    figures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    figure_headings: dict[str, str] = field(default_factory=dict)
    contracts: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def is_return_workbook(path: Path) -> bool:
    try:
        return (
            _read_sheets(path).get(ABOUT) is not None
            and read_workbook(path).about.get("format") == FORMAT
        )
    except ImportRefused:
        return False


def read_workbook(source) -> WorkbookContent:
    """Read a return workbook (a path or an uploaded file) into plain text cells."""
    sheets = _read_sheets(source)
    missing = [name for name in (ABOUT, FIGURES, CONTRACTS) if name not in sheets]
    if missing:
        raise ImportRefused(
            [
                Problem(
                    0,
                    "",
                    "",
                    "this is not a return workbook made by Social Ledger "
                    "(download a fresh one from the return's page)",
                )
            ]
        )
    about = {
        _cell_text(row[0]): restore_cell(_cell_text(row[1]))
        for row in sheets[ABOUT]
        if len(row) >= 2
    }
    if about.get("format") != FORMAT:
        raise ImportRefused(
            [Problem(0, "", "", "this is not a return workbook made by Social Ledger")]
        )
    figure_cells = sheets[FIGURES]
    width = len(figure_cells[0]) if figure_cells else 0
    refuse_unless_reasonable_shape(width)
    figures, headings = _rows(figure_cells)
    contracts, _ = _rows(sheets[CONTRACTS])
    return WorkbookContent(about, figures, headings, contracts)


def _read_sheets(source) -> dict[str, list[list]]:
    from python_calamine import CalamineWorkbook

    refuse_unless_safe_workbook(source)
    try:
        if isinstance(source, (str, Path)):
            book = CalamineWorkbook.from_path(str(source))
        else:
            book = CalamineWorkbook.from_filelike(source)
        return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    except Exception as error:  # any unreadable file is one clear problem, not a crash
        raise ImportRefused(
            [Problem(0, "", "", f"the file is not a readable Excel workbook ({error})")]
        ) from error


def _rows(cells: list[list]) -> tuple[list[tuple[int, dict[str, str]]], dict[str, str]]:
    """Rows keyed by heading (with the column letter kept for messages), blank rows skipped."""
    if not cells:
        return [], {}
    headings = [_cell_text(c).strip() for c in cells[0]]
    letters = {h: get_column_letter(i + 1) for i, h in enumerate(headings) if h}
    rows = []
    for number, values in enumerate(cells[1:], start=2):
        row = {
            h: restore_cell(_cell_text(values[i]).strip())
            for i, h in enumerate(headings)
            if h and i < len(values)
        }
        if any(value for key, value in row.items() if key not in _READ_ONLY):
            rows.append((number, row))
    return rows, letters


_READ_ONLY = {
    "Contract title",
    "Member",
    "Unit",
    "Last year",
    "Committed",
    "contract id (do not change)",
    PERSON_KEY,
}


@dataclass
class WorkbookPlan:
    facts: list[Fact]
    nil: dict[int, tuple[bool, str]]


def plan_workbook(ret: Return, content: WorkbookContent, *, contracts) -> WorkbookPlan:
    """Check every cell against the return; the facts to store, or ImportRefused listing all."""
    checker = _WorkbookChecker(ret, content, contracts)
    plan = checker.check()
    if checker.problems:
        raise ImportRefused(checker.problems)
    return plan


class _WorkbookChecker:
    def __init__(self, ret: Return, content: WorkbookContent, contracts) -> None:
        self.ret, self.content, self.problems = ret, content, []
        self.by_id = {c.pk: c for c in contracts}
        self.by_reference = {c.reference.lower(): c for c in contracts}
        measures = list(
            Measure.objects.available_to(ret.provider)
            .counted()
            .prefetch_related("dimensions__values")
        )
        self.measures = {m.name.lower(): m for m in measures} | {
            m.code.lower(): m for m in measures
        }
        self.dimensions = list(Dimension.objects.all())
        self.letters = content.figure_headings

    def check(self) -> WorkbookPlan:
        about = self.content.about
        if about.get("return") != str(self.ret.pk):
            self.problems.append(
                Problem(
                    0,
                    "",
                    "",
                    f"this workbook is for another return (the {about.get('period', '?')} return "
                    f"of {about.get('supplier', '?')}); download this return's own workbook",
                    ABOUT,
                )
            )
            return WorkbookPlan([], {})
        facts = self._facts()
        nil = self._nil(facts)
        return WorkbookPlan(facts, nil)

    def _problem(
        self, row: int, heading: str, value: str, expected: str, sheet: str = FIGURES
    ) -> None:
        letter = self.letters.get(heading, "")
        self.problems.append(
            Problem(row, f"{letter} ({heading})" if letter else heading, value, expected, sheet)
        )

    def _facts(self) -> list[Fact]:
        facts, seen = [], {}
        for number, row in self.content.figures:
            fact = self._fact(number, row)
            if fact is None:
                continue
            key = fact.natural_key
            if key in seen:
                self._problem(
                    number,
                    "Quantity",
                    row.get("Quantity", ""),
                    f"repeats row {seen[key]} (same contract, measure, breakdowns and "
                    "description); put the two together",
                )
                continue
            seen[key] = number
            facts.append(fact)
        return facts

    def _fact(self, number: int, row: dict[str, str]) -> Fact | None:
        """A row through the figure intake; each refusal placed in the row's own column."""
        contract = self._contract(number, row)
        measure = self._measure(number, row)
        given = {d.code: row.get(d.name, "") for d in self.dimensions if row.get(d.name, "")}
        if not row.get("Quantity") and not (given or row.get("Description") or row.get(PERSON)):
            return None  # a row offered for a figure and left empty
        if contract is None or measure is None:
            return None
        try:
            return intake.figure(
                self.ret,
                contract,
                measure,
                quantity=row.get("Quantity", ""),
                breakdowns=given,
                description=row.get("Description", ""),
                person_id=row.get(PERSON, ""),
                person_key=row.get(PERSON_KEY, ""),
            )
        except ValidationError as error:
            names = {f"breakdowns.{d.code}": d.name for d in self.dimensions}
            for part, message in intake.first_messages(error).items():
                heading = names.get(part) or WORKBOOK_COLUMNS.get(part, "Quantity")
                self._problem(number, heading, row.get(heading, ""), message)
            return None

    def _contract(self, number: int, row: dict[str, str]):
        hidden = row.get("contract id (do not change)", "")
        contract = self.by_id.get(int(hidden)) if hidden.isdigit() else None
        reference = row.get("Contract", "")
        if contract is not None and reference and reference.lower() != contract.reference.lower():
            contract = None  # a copied row whose reference was changed: trust what is visible
        contract = contract or self.by_reference.get(reference.lower())
        if contract is None:
            known = ", ".join(sorted(c.reference for c in self.by_id.values()))
            self._problem(number, "Contract", reference, f"one of this return's contracts: {known}")
        return contract

    def _measure(self, number: int, row: dict[str, str]):
        text = row.get("Measure", "")
        measure = self.measures.get(text.lower())
        if measure is None:
            self._problem(number, "Measure", text, "a measure from the drop-down list")
        return measure

    def _nil(self, facts: list[Fact]) -> dict[int, tuple[bool, str]]:
        with_figures = {fact.contract.pk for fact in facts}
        letters = {"Nothing to report?": "D", "Why (for a nil return)": "E"}
        nil = {}
        for number, row in self.content.contracts:
            hidden = row.get("contract id (do not change)", "")
            contract = (
                self.by_id.get(int(hidden))
                if hidden.isdigit()
                else self.by_reference.get(row.get("Contract", "").lower())
            )
            if contract is None:
                continue
            answer = row.get("Nothing to report?", "").lower()
            is_nil = answer in YES
            reason = row.get("Why (for a nil return)", "")
            if is_nil and contract.pk in with_figures:
                self.problems.append(
                    Problem(
                        number,
                        f"{letters['Nothing to report?']} (Nothing to report?)",
                        row.get("Nothing to report?", ""),
                        f"{contract.reference} has figures on the Figures sheet; "
                        "answer No, or remove them",
                        CONTRACTS,
                    )
                )
            elif is_nil and not reason:
                self.problems.append(
                    Problem(
                        number,
                        f"{letters['Why (for a nil return)']} (Why)",
                        "",
                        "say why there is nothing to report",
                        CONTRACTS,
                    )
                )
            nil[contract.pk] = (is_nil, reason)
        return nil
