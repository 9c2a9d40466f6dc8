"""The set-up file: a provider's frameworks, lots (with their appointed suppliers), members and
suppliers, contracts, commitments and spend, one record a row (docs/setup-file.md).

Every row is carried out through the same actions as the set-up pages and the API, inside one
transaction and each in its own savepoint, so every refusal of every row is found; if there is
any, the whole file is rolled back and each problem is reported with its row and column. A dry
run always rolls back. `import_setup_file` is the one function every door calls (the command
line, the API and, next, the upload page).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from socialledger.contracts import actions as contracts
from socialledger.contracts.models import Commitment, Contract, Framework, Lot
from socialledger.imports.interchange import DATE_FORMATS
from socialledger.imports.reading import ImportRefused, Problem, Table
from socialledger.lib.numbers import parse_decimal
from socialledger.lib.periods import PeriodError
from socialledger.measures.models import Measure
from socialledger.organisations import actions as organisations
from socialledger.organisations.models import Organisation

VIA = "import"
RECORDS = ("organisation", "framework", "lot", "contract", "commitment", "spend")
PLURALS = {kind: f"{kind}s" for kind in RECORDS} | {"spend": "spend records"}
# The columns each kind of record needs; any other column of the file may be left empty.
REQUIRED = {
    "organisation": ("kind", "reference", "name"),
    "framework": ("reference", "name", "starts_on", "ends_on"),
    "lot": ("framework", "reference", "name"),
    "contract": (
        "framework",
        "lot",
        "reference",
        "title",
        "member",
        "supplier",
        "value",
        "starts_on",
    ),
    "commitment": ("measure", "year", "quantity"),
    "spend": ("framework", "contract", "period_end", "amount"),
}
COLUMNS = (
    "record",
    "framework",
    "lot",
    "contract",
    "reference",
    "name",
    "kind",
    "sector",
    "title",
    "member",
    "supplier",
    "suppliers",
    "value",
    "starts_on",
    "ends_on",
    "location",
    "measure",
    "year",
    "basis",
    "quantity",
    "period_end",
    "amount",
    "note",
)
DATES = ("starts_on", "ends_on", "period_end")
AMOUNTS = ("value", "amount", "quantity")


@dataclass
class SetupSummary:
    """What an import of a set-up file did (or, in a dry run, would do), by kind of record."""

    dry_run: bool
    created: Counter = field(default_factory=Counter)
    changed: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        verb = "Would set up" if self.dry_run else "Set up"
        parts = [
            f"{PLURALS[kind]}: {self.created[kind]} new, {self.changed[kind]} changed, "
            f"{self.unchanged[kind]} unchanged"
            for kind in RECORDS
            if self.created[kind] or self.changed[kind] or self.unchanged[kind]
        ]
        return f"{verb} " + ("; ".join(parts) if parts else "nothing") + "."


def is_setup_table(table: Table) -> bool:
    return "record" in table.columns


def import_setup_file(
    provider: Organisation, table: Table, *, by, dry_run: bool = False, via: str = VIA
) -> SetupSummary:
    """Set up what the file describes, all rows or none: every problem of every row is raised
    together as ImportRefused (row, column, value, what was expected), and nothing is written."""
    missing = [name for name in ("record",) if name not in table.columns]
    unknown = [name for name in table.columns if name not in COLUMNS]
    problems = [Problem(1, name, "", "this column is required") for name in missing]
    problems += [
        Problem(1, name, name, f"one of the set-up file's columns: {', '.join(COLUMNS)}")
        for name in unknown
    ]
    if problems:
        raise ImportRefused(problems)
    summary = SetupSummary(dry_run=dry_run)
    with transaction.atomic():
        for number, values in table.rows:
            _carry_out_row(provider, number, values, summary, problems, by=by, via=via)
        if problems or dry_run:
            transaction.set_rollback(True)
    if problems:
        raise ImportRefused(problems)
    return summary


def _carry_out_row(provider, number, values, summary, problems, *, by, via) -> None:
    """One row, checked and carried out in its own savepoint; its refusals become problems."""
    row = _Row(provider, number, values)
    kind = row.values.get("record", "").lower()
    if kind not in RECORDS:
        problems.append(Problem(number, "record", kind, f"one of {', '.join(RECORDS)}"))
        return
    for name in REQUIRED[kind]:
        if not row.values.get(name):
            row.problem(name, "this column is needed for this record")
    parsed = {name: row.parsed(name) for name in (*DATES, *AMOUNTS) if row.values.get(name)}
    if row.problems:
        problems.extend(row.problems)
        return
    try:
        with transaction.atomic():
            outcome = WRITERS[kind](row, parsed, by=by, via=via)
    except ValidationError as error:
        problems.extend(_from_validation(number, row.values, error))
        return
    except (ValueError, _Missing) as error:
        column = error.column if isinstance(error, _Missing) else ""
        problems.append(Problem(number, column, row.values.get(column, ""), str(error)))
        return
    getattr(summary, outcome)[kind] += 1


class _Missing(Exception):
    """A row names something (a framework, a supplier …) that is neither stored nor earlier in
    the file."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


class _Row:
    def __init__(self, provider: Organisation, number: int, values: dict[str, str]) -> None:
        self.provider, self.number = provider, number
        self.values = {k: (v or "").strip() for k, v in values.items()}
        self.problems: list[Problem] = []

    def problem(self, column: str, expected: str) -> None:
        self.problems.append(Problem(self.number, column, self.values.get(column, ""), expected))

    def parsed(self, column: str):
        text = self.values[column]
        if column in DATES:
            for fmt in DATE_FORMATS:
                try:
                    return datetime.strptime(text, fmt).date()
                except ValueError:
                    continue
            self.problem(column, "a date such as 2024-04-01 or 01/04/2024")
            return None
        try:
            return parse_decimal(text)
        except ValueError:
            self.problem(column, "a number such as 1318 or 1,318.50")
            return None

    def text(self, column: str) -> str:
        return self.values.get(column, "")

    # --- Finding what a row names -----------------------------------------------------------

    def party(self, column: str, kind: str, reference: str = "") -> Organisation:
        found = (
            Organisation.objects.in_provider(self.provider)
            .filter(kind=kind, reference__iexact=reference or self.text(column))
            .first()
        )
        if found is None:
            raise _Missing(column, f"the reference of one of your {kind}s (or a row above)")
        return found

    def framework(self) -> Framework:
        found = Framework.objects.for_provider(self.provider).filter(
            reference__iexact=self.text("framework")
        )
        if not found:
            raise _Missing("framework", "the reference of one of your frameworks (or a row above)")
        return found[0]

    def lot(self, framework: Framework, column: str = "lot") -> Lot:
        found = framework.lots.filter(reference__iexact=self.text(column)).first()
        if found is None:
            raise _Missing(column, f"the reference of a lot of {framework.reference}")
        return found

    def contract(self, framework: Framework) -> Contract:
        found = framework.contracts.filter(reference__iexact=self.text("contract")).first()
        if found is None:
            raise _Missing("contract", f"the reference of a contract under {framework.reference}")
        return found


def _organisation(row: _Row, parsed: dict, *, by, via: str) -> str:
    kind = row.text("kind").lower()
    if kind not in ("member", "supplier"):
        raise _Missing("kind", "member or supplier")
    details = {"name": row.text("name"), "sector": row.text("sector").lower()}
    existing = (
        Organisation.objects.in_provider(row.provider)
        .filter(reference__iexact=row.text("reference"))
        .first()
    )
    if existing is None:
        organisations.register_organisation(
            row.provider, kind=kind, reference=row.text("reference"), by=by, via=via, **details
        )
        return "created"
    if existing.kind != kind:
        raise _Missing("kind", f"{existing.reference} is already a {existing.kind}")
    return _updated(existing, details, organisations.update_organisation, by=by, via=via)


def _framework(row: _Row, parsed: dict, *, by, via: str) -> str:
    details = {
        "name": row.text("name"),
        "starts_on": parsed["starts_on"],
        "ends_on": parsed["ends_on"],
        "value": parsed.get("value"),
    }
    existing = Framework.objects.for_provider(row.provider).filter(
        reference__iexact=row.text("reference")
    )
    if not existing:
        contracts.create_framework(
            row.provider, reference=row.text("reference"), by=by, via=via, **details
        )
        return "created"
    return _updated(existing[0], details, contracts.update_framework, by=by, via=via)


def _lot(row: _Row, parsed: dict, *, by, via: str) -> str:
    framework = row.framework()
    details = {"name": row.text("name"), "value": parsed.get("value")}
    existing = framework.lots.filter(reference__iexact=row.text("reference")).first()
    if existing is None:
        lot = contracts.create_lot(
            framework, reference=row.text("reference"), by=by, via=via, **details
        )
        outcome = "created"
    else:
        lot, outcome = existing, _updated(existing, details, contracts.update_lot, by=by, via=via)
    for reference in filter(None, (part.strip() for part in row.text("suppliers").split(";"))):
        supplier = row.party("suppliers", "supplier", reference)
        if not lot.suppliers.filter(pk=supplier.pk).exists():
            contracts.appoint_supplier(lot, supplier, by=by, via=via)
            outcome = "changed" if outcome == "unchanged" else outcome
    return outcome


def _contract(row: _Row, parsed: dict, *, by, via: str) -> str:
    framework = row.framework()
    lot = row.lot(framework)
    member, supplier = row.party("member", "member"), row.party("supplier", "supplier")
    details = {
        "title": row.text("title"),
        "value": parsed["value"],
        "starts_on": parsed["starts_on"],
        "ends_on": parsed.get("ends_on"),
        "location": row.text("location"),
    }
    existing = framework.contracts.filter(reference__iexact=row.text("reference")).first()
    if existing is None:
        try:
            contracts.create_contract(
                lot,
                reference=row.text("reference"),
                member=member,
                supplier=supplier,
                by=by,
                via=via,
                **details,
            )
        except ValueError as error:  # the one it raises: a supplier not appointed to the lot
            raise _Missing("supplier", str(error)) from None
        return "created"
    for column, now, then in (
        ("lot", existing.lot, lot),
        ("member", existing.member, member),
        ("supplier", existing.supplier, supplier),
    ):
        if now != then:
            raise _Missing(
                column, f"{existing.reference} is under {now}; its {column} never changes"
            )
    return _updated(existing, details, contracts.update_contract, by=by, via=via)


def _commitment(row: _Row, parsed: dict, *, by, via: str) -> str:
    measure = Measure.objects.available_to(row.provider).filter(code=row.text("measure")).first()
    if measure is None:
        raise _Missing("measure", "a measure code such as jobs-created")
    try:
        year = row.provider.parse_year(row.text("year")).start_year
    except PeriodError as error:
        raise _Missing("year", str(error)) from None
    scope = {}
    if row.text("framework"):
        framework = row.framework()
        if row.text("contract"):
            scope["contract"] = row.contract(framework)
        else:
            scope["framework"] = framework
    if row.text("member"):
        scope["member"] = row.party("member", "member")
    basis = row.text("basis").lower() or Commitment.Basis.ABSOLUTE
    if basis not in Commitment.Basis.values:
        raise _Missing("basis", "absolute or per-million")
    existing = Commitment.objects.filter(
        provider=row.provider,
        measure=measure,
        financial_year=year,
        contract=scope.get("contract"),
        framework=scope.get("framework"),
        member=scope.get("member"),
    ).first()
    quantity = parsed["quantity"]
    if existing and (existing.quantity, existing.basis) == (quantity, basis):
        return "unchanged"
    contracts.set_commitment(
        row.provider,
        measure=measure,
        financial_year=year,
        quantity=quantity,
        basis=basis,
        note=row.text("note"),
        by=by,
        via=via,
        **scope,
    )
    return "changed" if existing else "created"


def _spend(row: _Row, parsed: dict, *, by, via: str) -> str:
    contract = row.contract(row.framework())
    existing = contract.spend.filter(period_end=parsed["period_end"]).first()
    if existing and existing.amount == parsed["amount"]:
        return "unchanged"
    contracts.record_spend(
        contract, period_end=parsed["period_end"], amount=parsed["amount"], by=by, via=via
    )
    return "changed" if existing else "created"


def _updated(obj, details: dict, update, *, by, via: str) -> str:
    """Bring a stored object in line with its row: "changed", or "unchanged" if it was."""
    differs = {name: value for name, value in details.items() if getattr(obj, name) != value}
    if not differs:
        return "unchanged"
    update(obj, by=by, via=via, **differs)
    return "changed"


WRITERS = {
    "organisation": _organisation,
    "framework": _framework,
    "lot": _lot,
    "contract": _contract,
    "commitment": _commitment,
    "spend": _spend,
}


def _from_validation(number: int, values: dict, error: ValidationError) -> list[Problem]:
    """An action's refusal as problems, each in the column of the field it names."""
    if not hasattr(error, "error_dict"):
        return [Problem(number, "", "", message) for message in error.messages]
    return [
        Problem(number, column, values.get(column, ""), message)
        for name, messages in error.message_dict.items()
        for column in [name if name in COLUMNS else ""]
        for message in messages
    ]
