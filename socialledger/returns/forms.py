"""The figures a supplier gives for one contract and one measure, read from a web form.

A block is a total and, optionally, rows that split it (each row a quantity with its breakdowns
and, where the measure needs one, a description). Rows must add up to the total when both are
given. Every problem is reported against the field it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from socialledger.lib.numbers import format_quantity
from socialledger.measures.models import Measure
from socialledger.returns import figures
from socialledger.returns.figures import Fact
from socialledger.returns.models import Return

EXTRA_ROWS = 1
MAX_ROWS = 200


@dataclass
class Row:
    quantity: str = ""
    breakdowns: dict[str, str] = field(default_factory=dict)
    description: str = ""
    person: str = ""

    @property
    def is_blank(self) -> bool:
        values = [self.quantity, self.description, self.person, *self.breakdowns.values()]
        return not any(value.strip() for value in values)


class FiguresBlock:
    """One contract × measure block of a return: bind it to posted data, check it, make facts."""

    def __init__(
        self,
        ret: Return,
        contract,
        measure: Measure,
        data=None,
        *,
        extra_rows: int = 0,
        delivered_by=None,
    ):
        self.ret, self.contract, self.measure = ret, contract, measure
        # Whose figures the block holds: the supplier's own, or one subcontractor's.
        self.delivered_by = delivered_by
        self.dimensions = list(measure.dimensions.all())
        self.errors: dict[str, str] = {}
        self.bound = data is not None
        if self.bound:
            self.total, self.rows = self._read(data)
        else:
            self.total, self.rows = self._initial()
        self.rows += [self._blank() for _ in range(extra_rows or (0 if self.rows else EXTRA_ROWS))]

    @property
    def prefix(self) -> str:
        return f"c{self.contract.pk}-m{self.measure.pk}"

    def field_name(self, name: str, index: int | None = None) -> str:
        return f"{self.prefix}-{name}" if index is None else f"{self.prefix}-row{index}-{name}"

    @property
    def total_field(self) -> dict:
        name = self.field_name("total")
        return {"name": name, "value": self.total, "error": self.errors.get(name, "")}

    def row_fields(self) -> list[dict]:
        """Each row's inputs for the template: name, value and any error, per column."""
        return [self._row_view(index, row) for index, row in enumerate(self.rows)]

    def _row_view(self, index: int, row: Row) -> dict:
        def cell(name: str, value: str) -> dict:
            full = self.field_name(name, index)
            return {"name": full, "value": value, "error": self.errors.get(full, "")}

        return {
            "number": index + 1,
            "quantity": cell("quantity", row.quantity),
            "breakdowns": [
                {**cell(d.code, row.breakdowns.get(d.code, "")), "dimension": d}
                for d in self.dimensions
            ],
            "description": cell("description", row.description),
            "person": cell("person", ""),
        }

    @property
    def asks_for_person(self) -> bool:
        return self.measure.unit == Measure.Unit.PEOPLE

    @property
    def has_split(self) -> bool:
        return any(row.quantity for row in self.rows)

    def _blank(self) -> Row:
        return Row(breakdowns={d.code: "" for d in self.dimensions})

    def _initial(self) -> tuple[str, list[Row]]:
        entries = [
            e
            for e in self.ret.entries.all()
            if e.contract_id == self.contract.pk
            and e.measure_id == self.measure.pk
            and e.delivered_by_id == getattr(self.delivered_by, "pk", None)
        ]
        if not entries:
            return "", []
        total = format_quantity(sum((e.quantity for e in entries), Decimal(0))).replace(",", "")
        if len(entries) == 1 and not entries[0].breakdowns and not entries[0].description:
            return total, []
        rows = [
            Row(
                str(e.quantity),
                {d.code: e.breakdowns.get(d.code, "") for d in self.dimensions},
                e.description,
                "",
            )
            for e in entries
        ]
        return total, rows

    def _read(self, data) -> tuple[str, list[Row]]:
        total = data.get(self.field_name("total"), "").strip()
        rows = []
        for index in range(MAX_ROWS):
            row_prefix = f"{self.prefix}-row{index}-"
            if not any(key.startswith(row_prefix) for key in data):
                break
            rows.append(
                Row(
                    data.get(self.field_name("quantity", index), "").strip(),
                    {
                        d.code: data.get(self.field_name(d.code, index), "").strip()
                        for d in self.dimensions
                    },
                    data.get(self.field_name("description", index), ""),
                    data.get(self.field_name("person", index), "").strip(),
                )
            )
        return total, [row for row in rows if not row.is_blank]

    def was_posted(self, data) -> bool:
        """Whether the posted page held this block at all."""
        return self.field_name("total") in data

    def differs_from(self, saved: FiguresBlock) -> bool:
        """Whether what was posted is not what the block, as saved, would show: only such
        blocks are saved when the whole page is."""
        return (self.total, self.rows) != (saved.total, [r for r in saved.rows if not r.is_blank])

    def is_valid(self) -> bool:
        self.errors = {}
        self._facts = self._check()
        return not self.errors

    def facts(self) -> list[Fact]:
        """The figures to store for this contract and measure; none clears them."""
        return self._facts

    def _check(self) -> list[Fact]:
        total = self._quantity(self.total, self.field_name("total")) if self.total else None
        facts, seen = [], {}
        for index, row in enumerate(self.rows):
            if row.is_blank:
                continue  # the spare row offered for a split
            fact = self._row_fact(index, row)
            if fact is None:
                continue
            if fact.natural_key in seen:
                self.errors[self.field_name("quantity", index)] = (
                    f"This row repeats row {seen[fact.natural_key] + 1}; combine them."
                )
            seen.setdefault(fact.natural_key, index)
            facts.append(fact)
        if self.errors:
            return []
        return self._against_total(total, facts)

    def _against_total(self, total: Decimal | None, facts: list[Fact]) -> list[Fact]:
        if not facts:
            return self._total_facts(total) if total is not None else []
        if total is None:
            return facts
        unit = self.measure.get_unit_display()
        for index, fact in enumerate(facts):
            if fact.quantity > total:
                part, whole = format_quantity(fact.quantity), format_quantity(total)
                self.errors[self.field_name("quantity", index)] = (
                    f"{part} is larger than the total of {whole} {unit}."
                )
        parts = sum((fact.quantity for fact in facts), Decimal(0))
        if not self.errors and parts != total:
            self.errors[self.field_name("total")] = (
                f"The rows add up to {format_quantity(parts)}, not the total of "
                f"{format_quantity(total)}; correct one or the other."
            )
        return facts

    def _row_fact(self, index: int, row: Row) -> Fact | None:
        """A row through the figure intake; each refusal placed on the row's own field."""
        try:
            return figures.figure(
                self.ret,
                self.contract,
                self.measure,
                quantity=row.quantity,
                breakdowns=row.breakdowns,
                description=row.description,
                person_id=row.person,
                delivered_by=self.delivered_by,
            )
        except ValidationError as error:
            for part, message in figures.first_messages(error).items():
                name = FORM_FIELDS.get(part, part.removeprefix("breakdowns."))
                where = self.field_name(name, index) if name else self.field_name("total")
                self.errors[where] = message
            return None

    def _quantity(self, text: str, name: str) -> Decimal | None:
        try:
            return figures.check_quantity(self.measure, text)
        except ValidationError as error:
            self.errors[name] = error.messages[0]
        return None

    def _total_facts(self, quantity: Decimal) -> list[Fact]:
        """A total given alone is one figure; what it lacks (a donation's description) is said
        against the total."""
        try:
            fact = figures.figure(
                self.ret,
                self.contract,
                self.measure,
                quantity=quantity,
                delivered_by=self.delivered_by,
            )
            return [fact]
        except ValidationError as error:
            self.errors[self.field_name("total")] = " ".join(figures.first_messages(error).values())
            return []


# The intake's parts that the form names otherwise ("" places it on the block's total).
FORM_FIELDS = {"person_key": "person", "period": ""}
