"""The interchange format: one CSV row per entry (docs/import-format.md).

`plan_entries` checks every row against the ledger and returns a plan, or raises ImportRefused
listing every problem. Nothing here writes; `imports.actions` carries the plan out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from socialledger.contracts.models import Contract, Framework, Lot
from socialledger.imports.reading import ImportRefused, Problem, Table
from socialledger.lib.numbers import parse_decimal
from socialledger.lib.periods import FinancialYear, PeriodError, year_of_period
from socialledger.measures.models import Dimension, Measure
from socialledger.organisations.models import Organisation
from socialledger.returns import figures as intake
from socialledger.returns.models import Entry, Return, Status

REQUIRED = ("framework", "contract", "supplier", "member", "measure", "quantity")
PERIOD_COLUMNS = ("financial_year", "period_start", "period_end")
CONTRACT_COLUMNS = ("lot", "contract_title", "contract_value", "contract_start", "contract_end")
OTHER_COLUMNS = ("description", "person_id", "person_key", "status")
STATUSES = {"draft": Status.DRAFT, "submitted": Status.SUBMITTED, "verified": Status.VERIFIED}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """A row that passed every check, waiting to be written (slots: a million of them may wait
    at once)."""

    number: int
    contract_key: tuple[int, str]
    measure: Measure
    period_start: date
    period_end: date
    year: FinancialYear
    quantity: Decimal
    breakdowns: dict[str, str]
    description: str
    person_key: str
    status: str
    supplier_key: str

    @property
    def natural_key(self) -> tuple:
        return intake.key_of(self, self.contract_key)


@dataclass
class NewContract:
    """A contract the file names that the ledger does not know, to be created on request."""

    framework: Framework
    lot: Lot
    reference: str
    title: str
    value: Decimal
    starts_on: date
    ends_on: date | None
    supplier_key: str
    member_key: str


@dataclass
class Plan:
    rows: list[PlannedRow] = field(default_factory=list)
    contracts: dict[tuple[int, str], Contract] = field(default_factory=dict)
    new_contracts: dict[tuple[int, str], NewContract] = field(default_factory=dict)
    organisations: dict[tuple[str, str], Organisation] = field(default_factory=dict)
    new_organisations: dict[tuple[str, str], str] = field(default_factory=dict)


def expected_columns(dimensions: list[Dimension]) -> set[str]:
    breakdown_columns = {dimension.code.replace("-", "_") for dimension in dimensions}
    return set(REQUIRED + PERIOD_COLUMNS + CONTRACT_COLUMNS + OTHER_COLUMNS) | breakdown_columns


def plan_entries(provider: Organisation, table: Table, *, create_missing: bool = False) -> Plan:
    """Check every row; return the plan, or raise ImportRefused with every problem found."""
    checker = _RowChecker(provider, create_missing)
    problems = checker.check_header(table.columns)
    if problems:
        raise ImportRefused(problems)
    read = 0
    for number, values in table.rows:
        checker.check_row(number, values)
        read += 1
    if not read:
        raise ImportRefused([Problem(0, "", "", "the file has a header but no rows of figures")])
    checker.check_across_rows()
    if checker.problems:
        raise ImportRefused(checker.problems)
    return checker.plan


class _RowChecker:
    """Checks rows one by one against what the ledger already holds, collecting problems."""

    def __init__(self, provider: Organisation, create_missing: bool) -> None:
        self.provider, self.create_missing = provider, create_missing
        self.problems: list[Problem] = []
        self.plan = Plan()
        self.frameworks = {f.reference.lower(): f for f in Framework.objects.for_provider(provider)}
        self.lots = {
            (lot.framework_id, lot.reference.lower()): lot
            for lot in Lot.objects.filter(framework__provider=provider)
        }
        self.lots_by_framework: dict[int, list[Lot]] = {}
        for lot in self.lots.values():
            self.lots_by_framework.setdefault(lot.framework_id, []).append(lot)
        self.contracts = {
            (c.framework_id, c.reference.lower()): c
            for c in Contract.objects.for_provider(provider).select_related(
                "supplier__provider", "member"
            )
        }
        self.contract_keys = {contract.pk: key for key, contract in self.contracts.items()}
        self.parties = _index_parties(provider)
        measures = list(
            Measure.objects.available_to(provider).prefetch_related("dimensions__values")
        )
        self.measures = {m.code.lower(): m for m in measures} | {
            m.name.lower(): m for m in measures
        }
        self.dimensions = list(Dimension.objects.prefetch_related("values"))
        self.columns = [(d.code, d.code.replace("-", "_")) for d in self.dimensions]
        # Checks that depend only on a few cells are worked out once per distinct value: a
        # large file repeats the same periods, quantities and breakdowns many times over.
        self.known: dict[tuple, tuple] = {}

    def _once(self, key: tuple, check):
        """`check()` for the first row with this key; later rows get the same answer and the same
        problems (each reported with its own row number and value)."""
        found = self.known.get(key)
        if found is None:
            before = len(self.problems)
            result = check()
            found = (result, [(p.column, p.expected) for p in self.problems[before:]])
            self.known[key] = found
            return result
        result, problems = found
        for column, expected in problems:
            self._problem(column, expected)
        return result

    # --- header -------------------------------------------------------------------------------

    def check_header(self, columns: tuple[str, ...]) -> list[Problem]:
        problems = [
            Problem(1, name, "", "this column is required")
            for name in REQUIRED
            if name not in columns
        ]
        if "financial_year" not in columns and not {"period_start", "period_end"} <= set(columns):
            problems.append(
                Problem(
                    1, "financial_year", "", "give financial_year, or period_start and period_end"
                )
            )
        known = expected_columns(self.dimensions)
        problems += [
            Problem(
                1, name, "", "this is not a column of the import format; see docs/import-format.md"
            )
            for name in columns
            if name and name not in known
        ]
        return problems

    # --- one row ------------------------------------------------------------------------------

    def check_row(self, number: int, values: dict[str, str]) -> None:
        before = len(self.problems)
        self.number, self.values = number, values
        framework = self._framework()
        measure = self._measure()
        period = self._period()
        supplier_key = self._party("supplier")
        member_key = self._party("member")
        contract_key = self._contract(framework, supplier_key, member_key, period)
        quantity = self._quantity(measure)
        breakdowns = self._breakdowns(measure)
        description = self._description(measure)
        person_key = self._person_key()
        status = self._status()
        if len(self.problems) > before:
            return
        start, end, year = period
        self.plan.rows.append(
            PlannedRow(
                number,
                contract_key,
                measure,
                start,
                end,
                year,
                quantity,
                breakdowns,
                description,
                person_key,
                status,
                supplier_key,
            )
        )

    def _problem(self, column: str, expected: str) -> None:
        self.problems.append(Problem(self.number, column, self.values.get(column, ""), expected))

    def _required(self, column: str) -> str:
        text = self.values.get(column, "")
        if not text:
            self._problem(column, "this cell must not be empty")
        return text

    def _framework(self) -> Framework | None:
        text = self._required("framework")
        if not text:
            return None
        framework = self.frameworks.get(text.lower())
        if framework is None:
            known = ", ".join(sorted(f.reference for f in self.frameworks.values())) or "none yet"
            self._problem("framework", f"not a framework of {self.provider}; known: {known}")
        return framework

    def _measure(self) -> Measure | None:
        text = self._required("measure")
        if not text:
            return None
        measure = self.measures.get(text.lower())
        if measure is None:
            self._problem("measure", "not a measure code; `socialledger measures` lists them")
        elif measure.is_derived:
            parts = " and ".join(
                p.component.code for p in measure.components.select_related("component")
            )
            self._problem(
                "measure", f"{measure.name} is worked out from {parts}; give those instead"
            )
            return None
        return measure

    def _period(self) -> tuple[date, date, FinancialYear] | None:
        values = self.values
        key = ("period", *(values.get(c, "") for c in PERIOD_COLUMNS))
        return self._once(key, self._check_period)

    def _check_period(self) -> tuple[date, date, FinancialYear] | None:
        year_text = self.values.get("financial_year", "")
        start_text, end_text = (
            self.values.get("period_start", ""),
            self.values.get("period_end", ""),
        )
        year = None
        if year_text:
            try:
                year = self.provider.parse_year(year_text)
            except PeriodError as error:
                self._problem("financial_year", str(error))
                return None
        if not start_text and not end_text:
            if year is None:
                self._problem(
                    "financial_year", "give the financial year, or period_start and period_end"
                )
                return None
            return year.start, year.end, year
        start, end = self._date("period_start"), self._date("period_end")
        if start is None or end is None:
            return None
        try:
            found = year_of_period(start, end, self.provider.year_start_month)
        except PeriodError as error:
            self._problem("period_end", str(error))
            return None
        if year is not None and found != year:
            self._problem(
                "financial_year", f"the period given falls in {found.label}, not {year.label}"
            )
            return None
        return start, end, found

    def _date(self, column: str, *, required: bool = True) -> date | None:
        text = self.values.get(column, "")
        if not text:
            if required:
                self._problem(column, "give a date such as 2023-04-01 or 01/04/2023")
            return None
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        self._problem(column, "not a date; write it as 2023-04-01 or 01/04/2023")
        return None

    def _party(self, kind: str) -> str:
        """The key of a supplier or member: an existing one's reference, or a new one's name."""
        text = self._required(kind)
        if not text:
            return ""
        # Worked out once per name: a million rows then share a few thousand keys.
        return self._once(("party", kind, text), lambda: self._check_party(kind, text))

    def _check_party(self, kind: str, text: str) -> str:
        found = self.parties.get((kind, text.lower()))
        if found is None:
            if not self.create_missing:
                self._problem(
                    kind,
                    f"not a {kind} of {self.provider}; check the spelling, or import with "
                    "--create-missing to add it",
                )
                return ""
            self.plan.new_organisations.setdefault((kind, text.lower()), text)
            return text.lower()
        if found == "ambiguous":
            self._problem(kind, f"more than one {kind} has this name; use its reference")
            return ""
        self.plan.organisations[(kind, found.reference.lower())] = found
        return found.reference.lower()

    def _contract(
        self, framework, supplier_key: str, member_key: str, period
    ) -> tuple[int, str] | None:
        reference = self._required("contract")
        if framework is None or not reference:
            return None
        key = (framework.pk, reference.lower())
        contract = self.contracts.get(key)
        if contract is not None:
            key = self.contract_keys[contract.pk]  # one key object for all the contract's rows
            self.plan.contracts[key] = contract
            self._same_party(contract.supplier, supplier_key, "supplier")
            self._same_party(contract.member, member_key, "member")
            return key
        if not self.create_missing:
            self._problem(
                "contract",
                f"not a contract under {framework.reference}; import with --create-missing "
                "to add it",
            )
            return None
        return self._new_contract(key, framework, reference, supplier_key, member_key, period)

    def _same_party(self, party: Organisation, key: str, kind: str) -> None:
        if key and key != party.reference.lower():
            self._problem(kind, f"the contract is with {party.name} ({party.reference})")

    def _new_contract(self, key, framework, reference, supplier_key, member_key, period):
        known = self.plan.new_contracts.get(key)
        if known is not None:
            if (known.supplier_key, known.member_key) != (supplier_key, member_key):
                self._problem(
                    "contract", "an earlier row gives this new contract another supplier or member"
                )
            return key
        lot = self._lot(framework)
        value_text = self.values.get("contract_value", "")
        value = (
            self._decimal("contract_value", "give the new contract's value in £ to create it")
            if value_text
            else None
        )
        if not value_text:
            self._problem("contract_value", "give the new contract's value in £ to create it")
        starts_on = self._date("contract_start", required=False) or (period[0] if period else None)
        ends_on = self._date("contract_end", required=False)
        # As the contract's own constraints would refuse them when it is created.
        if value is not None and value < 0:
            self._problem("contract_value", "a contract's value is never negative")
            value = None
        if ends_on and starts_on and ends_on < starts_on:
            self._problem("contract_end", "the contract must end on or after the day it starts")
            ends_on = starts_on = None
        if lot is None or value is None or starts_on is None or not supplier_key or not member_key:
            return None
        title = self.values.get("contract_title") or reference
        self.plan.new_contracts[key] = NewContract(
            framework, lot, reference, title, value, starts_on, ends_on, supplier_key, member_key
        )
        return key

    def _lot(self, framework: Framework) -> Lot | None:
        text = self.values.get("lot", "")
        if text:
            lot = self.lots.get((framework.pk, text.lower()))
            if lot is None:
                self._problem("lot", f"not a lot of {framework.reference}")
            return lot
        lots = self.lots_by_framework.get(framework.pk, [])
        if len(lots) == 1:
            return lots[0]
        self._problem(
            "lot",
            f"{framework.reference} has {len(lots)} lots; say which one the new contract is under",
        )
        return None

    def _decimal(self, column: str, expected: str) -> Decimal | None:
        try:
            return parse_decimal(self.values.get(column, ""))
        except ValueError:
            self._problem(column, expected)
            return None

    def _quantity(self, measure: Measure | None) -> Decimal | None:
        key = ("quantity", measure.pk if measure else None, self.values.get("quantity", ""))
        return self._once(key, lambda: self._check_quantity(measure))

    def _check_quantity(self, measure: Measure | None) -> Decimal | None:
        try:
            return intake.check_quantity(measure, self.values.get("quantity", ""))
        except ValidationError as error:
            self._problem("quantity", error.messages[0])
            return None

    def _breakdowns(self, measure: Measure | None) -> dict[str, str]:
        texts = tuple(self.values.get(column, "") for _code, column in self.columns)
        key = ("breakdowns", measure.pk if measure else None, texts)
        return self._once(key, lambda: self._check_breakdowns(measure, texts))

    def _check_breakdowns(self, measure: Measure | None, texts: tuple) -> dict[str, str]:
        given = {code: text for (code, _column), text in zip(self.columns, texts, strict=True)}
        if measure is None:
            return {}
        try:
            return intake.check_breakdowns(measure, given)
        except ValidationError as error:
            for part, message in intake.first_messages(error).items():
                self._problem(part.removeprefix("breakdowns.").replace("-", "_"), message)
            return {}

    def _description(self, measure: Measure | None) -> str:
        text = self.values.get("description", "")
        if measure is None:
            return intake.tidy_description(text)
        try:
            return intake.check_description(measure, text)
        except ValidationError as error:
            self._problem("description", error.messages[0])
            return ""

    def _person_key(self) -> str:
        """A person's id (kept only as a keyed hash), or a key already made by this product."""
        try:
            return intake.check_person(
                provider_id=self.provider.pk,
                person_id=self.values.get("person_id", ""),
                person_key=self.values.get("person_key", ""),
            )
        except ValidationError as error:
            self._problem("person_key", error.messages[0])
            return ""

    def _status(self) -> str:
        text = self.values.get("status", "").lower() or "submitted"
        if text not in STATUSES:
            self._problem("status", "draft, submitted or verified")
            return Status.SUBMITTED
        return STATUSES[text]

    # --- across rows --------------------------------------------------------------------------

    def check_across_rows(self) -> None:
        self._no_duplicates()
        self._one_status_per_return()
        self._locked_returns_unchanged()
        self._returns_can_take_the_rows()

    def _returns_can_take_the_rows(self) -> None:
        """What carrying the rows out would refuse, found now and said against the rows: a new
        return overlapping one the supplier has, or a return to be submitted whose scope would
        still lack figures for a contract."""
        held = _returns_by_supplier(self.provider, {row.year.start_year for row in self.plan.rows})
        into: dict[int, list[PlannedRow]] = {}
        for row in self.plan.rows:
            supplier = self.plan.organisations.get(("supplier", row.supplier_key))
            mine = held.get(supplier.pk, []) if supplier else []
            ret = _containing(mine, row)
            if ret is not None:
                into.setdefault(ret.pk, []).append(row)
                continue
            clash = _overlapping(mine, row.year)
            if clash is not None:
                self.problems.append(
                    Problem(
                        row.number,
                        "period_end",
                        f"{row.period_start:%d/%m/%Y}–{row.period_end:%d/%m/%Y}",
                        f"{clash.supplier} already has a return for {clash.period_label}, which "
                        "this period does not lie within; give a period within it",
                    )
                )
        returns = {ret.pk: ret for mine in held.values() for ret in mine}
        for pk, rows in into.items():
            self._can_be_submitted(returns[pk], rows)

    def _can_be_submitted(self, ret: Return, rows: list[PlannedRow]) -> None:
        """Rows that would submit an editable return: every contract in its scope then has
        figures or a nil return (as `submit_return` requires)."""
        if not ret.is_editable or all(row.status == Status.DRAFT for row in rows):
            return
        given = {
            self.plan.contracts[row.contract_key].pk
            for row in rows
            if row.contract_key in self.plan.contracts
        }
        missing = sorted(
            scoped.contract.reference
            for scoped in ret.scope.missing_figures().select_related("contract")
            if scoped.contract_id not in given
        )
        if not missing:
            return
        for row in rows:
            self.problems.append(
                Problem(
                    row.number,
                    "status",
                    row.status,
                    f"the {ret.period_label} return of {ret.supplier} cannot be submitted yet: "
                    f"its scope still lacks figures or a nil return for {', '.join(missing)}; "
                    "import these rows as draft, or give those figures too",
                )
            )

    def _no_duplicates(self) -> None:
        # Rows by the hash of their natural key (a million keys would not fit in memory whole);
        # rows whose hashes meet are compared in full.
        rows = self.plan.rows
        seen: dict[int, int] = {}
        clashes: dict[tuple, int] = {}
        for index, row in enumerate(rows):
            key = row.natural_key
            first = seen.setdefault(hash(key), index)
            if first == index:
                continue
            clashes.setdefault(rows[first].natural_key, first)
            first = rows[clashes.setdefault(key, index)].number
            if first != row.number:
                self.problems.append(
                    Problem(
                        row.number,
                        "",
                        "",
                        f"repeats row {first} (same contract, measure, period, breakdowns and "
                        "description); combine them into one",
                    )
                )

    def _one_status_per_return(self) -> None:
        wanted: dict[tuple, tuple[str, int]] = {}
        for row in self.plan.rows:
            key = (row.supplier_key, row.year)
            status, first = wanted.setdefault(key, (row.status, row.number))
            if status != row.status:
                self.problems.append(
                    Problem(
                        row.number,
                        "status",
                        row.status,
                        f"row {first} gives this supplier's {row.year.label} return the status "
                        f"{status}; one return has one status",
                    )
                )

    def _locked_returns_unchanged(self) -> None:
        """Figures in a submitted, verified or rejected return change only after reopening."""
        locked = _locked_returns(self.provider, {row.year.start_year for row in self.plan.rows})
        for row in self.plan.rows:
            supplier = self.plan.organisations.get(("supplier", row.supplier_key))
            ret = _containing(locked.get(supplier.pk, []) if supplier else [], row)
            if ret is None:
                continue
            contract = self.plan.contracts.get(row.contract_key)
            key = (contract.pk, *row.natural_key[1:]) if contract else None
            quantity = ret.quantities.get(key)
            status = ret.get_status_display().lower()
            state = f"the {ret.period_label} return of {ret.supplier} is {status}"
            if quantity != row.quantity:
                was = "add a figure" if quantity is None else f"change {quantity} to {row.quantity}"
                self.problems.append(
                    Problem(
                        row.number,
                        "quantity",
                        str(row.quantity),
                        f"{state}; this row would {was}; reopen the return first",
                    )
                )
            elif ret.status == Status.REJECTED and row.status != Status.DRAFT:
                self.problems.append(
                    Problem(
                        row.number,
                        "status",
                        row.status,
                        f"{state}; reopen it before it is submitted again",
                    )
                )


def _containing(returns: list[Return], row: PlannedRow) -> Return | None:
    for ret in returns:
        if ret.period_start <= row.period_start and row.period_end <= ret.period_end:
            return ret
    return None


def _overlapping(returns: list[Return], year: FinancialYear) -> Return | None:
    for ret in returns:
        if ret.period_start <= year.end and year.start <= ret.period_end:
            return ret
    return None


def _returns_by_supplier(provider: Organisation, years: set[int]) -> dict[int, list[Return]]:
    by_supplier: dict[int, list[Return]] = {}
    found = Return.objects.for_provider(provider).filter(financial_year__in=years)
    for ret in found.select_related("supplier"):
        by_supplier.setdefault(ret.supplier_id, []).append(ret)
    return by_supplier


def _index_parties(provider: Organisation) -> dict[tuple[str, str], Organisation | str]:
    index: dict[tuple[str, str], Organisation | str] = {}
    for party in Organisation.objects.in_provider(provider).exclude(
        kind=Organisation.Kind.PROVIDER
    ):
        index[(party.kind, party.reference.lower())] = party
        name_key = (party.kind, party.name.lower())
        existing = index.get(name_key)
        index[name_key] = party if existing is None or existing == party else "ambiguous"
    return index


def _locked_returns(provider: Organisation, years: set[int]) -> dict[int, list[Return]]:
    """Returns no longer editable, by supplier, each with `quantities` by natural key."""
    returns = list(
        Return.objects.for_provider(provider)
        .filter(financial_year__in=years)
        .exclude(status__in=[Status.DRAFT, Status.QUERIED])
        .select_related("supplier")
    )
    by_pk = {ret.pk: ret for ret in returns}
    for ret in returns:
        ret.quantities = {}
    for entry in Entry.objects.filter(submission__in=returns).iterator():
        by_pk[entry.submission_id].quantities[entry.natural_key] = entry.quantity
    by_supplier: dict[int, list[Return]] = {}
    for ret in returns:
        by_supplier.setdefault(ret.supplier_id, []).append(ret)
    return by_supplier
