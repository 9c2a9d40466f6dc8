"""Reading an outcome model file (TOML) and a crosswalk file (CSV): every problem found first,
each with its place, then a plain description the actions write from."""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass, field
from datetime import date

MODEL_FIELDS = {
    "code": "a short code for the model, e.g. ppn-002",
    "version": "the version of the model, e.g. 2025-02",
    "title": "the model's title",
    "publisher": "who publishes the model",
    "source_title": "the title of the publication the text is taken from",
    "licence": "the licence the text is published under",
}
OPTIONAL_MODEL_FIELDS = ("source_url", "applies_until", "note")
DATE_FIELDS = ("source_date", "applies_from", "applies_until")
CROSSWALK_COLUMNS = ("outcome", "measure", "note")


class OutcomeFileError(ValueError):
    """A file that cannot be loaded; `problems` says where and why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class MetricText:
    code: str
    title: str
    unit: str


@dataclass(frozen=True)
class OutcomeText:
    code: str
    title: str
    metrics: tuple[MetricText, ...]


@dataclass(frozen=True)
class ThemeText:
    code: str
    title: str
    outcomes: tuple[OutcomeText, ...]


@dataclass(frozen=True)
class ModelText:
    fields: dict
    themes: tuple[ThemeText, ...]


@dataclass
class _Reader:
    problems: list[str] = field(default_factory=list)

    def text(self, table: dict, key: str, place: str, expected: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problems.append(f"{place}.{key}: {expected}")
            return ""
        return value.strip()

    def codes_unique(self, items, place: str) -> None:
        seen: set[str] = set()
        for item in items:
            if item.code in seen:
                self.problems.append(f"{place}: the code {item.code} is used twice")
            seen.add(item.code)


def read_model_file(content: str) -> ModelText:
    """An outcome model: [model] with its source, licence and dates; [[themes]] each with
    [[themes.outcomes]], each with optional [[themes.outcomes.metrics]]."""
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as error:
        raise OutcomeFileError([f"the file is not TOML ({error})"]) from None
    reader = _Reader()
    head = data.get("model")
    if not isinstance(head, dict):
        raise OutcomeFileError(["model: a [model] table with the model's code, version and source"])
    fields = {
        key: reader.text(head, key, "model", expected) for key, expected in MODEL_FIELDS.items()
    }
    for key in OPTIONAL_MODEL_FIELDS:
        fields[key] = head.get(key) if head.get(key) is not None else ""
    for key in DATE_FIELDS:
        fields[key] = _date(head.get(key), f"model.{key}", reader, required=key != "applies_until")
    if (
        fields["applies_until"]
        and fields["applies_from"]
        and fields["applies_until"] < fields["applies_from"]
    ):
        reader.problems.append("model.applies_until: a date on or after applies_from")
    themes = tuple(_theme(t, i, reader) for i, t in enumerate(_tables(data, "themes", "", reader)))
    if not themes:
        reader.problems.append("themes: at least one [[themes]] table")
    reader.codes_unique(themes, "themes")
    if reader.problems:
        raise OutcomeFileError(reader.problems)
    return ModelText(fields, themes)


def _theme(table: dict, i: int, reader: _Reader) -> ThemeText:
    place = f"themes[{i}]"
    outcomes = tuple(
        _outcome(o, f"{place}.outcomes[{j}]", reader)
        for j, o in enumerate(_tables(table, "outcomes", place, reader))
    )
    if not outcomes:
        reader.problems.append(f"{place}.outcomes: at least one outcome")
    reader.codes_unique(outcomes, f"{place}.outcomes")
    code = reader.text(table, "code", place, "the theme's code")
    return ThemeText(code, reader.text(table, "title", place, "the theme's title"), outcomes)


def _outcome(table: dict, place: str, reader: _Reader) -> OutcomeText:
    metrics = tuple(
        MetricText(
            reader.text(m, "code", f"{place}.metrics[{k}]", "the metric's code"),
            reader.text(m, "title", f"{place}.metrics[{k}]", "the metric's title"),
            str(m.get("unit") or ""),
        )
        for k, m in enumerate(_tables(table, "metrics", place, reader))
    )
    code = reader.text(table, "code", place, "the outcome's code")
    return OutcomeText(code, reader.text(table, "title", place, "the outcome's title"), metrics)


def _tables(data: dict, key: str, place: str, reader: _Reader) -> list[dict]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        reader.problems.append(f"{place + '.' if place else ''}{key}: a list of tables")
        return []
    return value


def _date(value, place: str, reader: _Reader, *, required: bool) -> date | None:
    if value is None or value == "":
        if required:
            reader.problems.append(f"{place}: a date such as 2025-10-01")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        reader.problems.append(f'{place}: "{value}" – a date such as 2025-10-01')
        return None


@dataclass(frozen=True)
class CrosswalkRow:
    row: int
    outcome: str
    measure: str
    note: str


def read_crosswalk_file(content: str) -> list[CrosswalkRow]:
    """A crosswalk CSV: columns outcome (its code), measure (its code) and note."""
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    missing = [c for c in CROSSWALK_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise OutcomeFileError(
            [f"row 1: the columns {', '.join(CROSSWALK_COLUMNS)} (missing: {', '.join(missing)})"]
        )
    rows, problems = [], []
    for number, line in enumerate(reader, start=2):
        outcome, measure = (line.get("outcome") or "").strip(), (line.get("measure") or "").strip()
        for column, value in (("outcome", outcome), ("measure", measure)):
            if not value:
                problems.append(f"row {number}, column {column}: a code")
        rows.append(CrosswalkRow(number, outcome, measure, (line.get("note") or "").strip()))
    if problems:
        raise OutcomeFileError(problems)
    return rows
