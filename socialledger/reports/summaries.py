"""Keeping the summary tables true: every write that changes what a report counts updates them in
its own transaction, so reports read pre-added figures that are never stale.

How: a write action names what it touches (contract-years, people, whole returns) and makes its
change inside `kept_true(...)`. Before the change, what those keys contribute to every summary
row is worked out from the entries; after the change, again; the difference is added to the rows.
`rebuild` works a provider's summaries out from scratch with the same functions, so the write
path and the rebuild cannot disagree, and `differences` compares the stored rows with the entries.

What a key contributes (mirroring reports/tally.py exactly):

- a contract-year (contract, financial year): its counted entries by measure, breakdown and state,
  added to each scope the contract is in (its provider, framework, member, supplier, itself) and
  to that scope's group rows. For a stock measure only the contract's latest period counts: the
  latest with each breakdown (`total`) and the latest overall (`whole_total`);
- a person (financial year, person key): among counted entries of one measure and year for the
  same person, each after the earliest in a scope is a repeat there, and is subtracted there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache

from django.db import connection

from socialledger.contracts.models import Contract
from socialledger.lib.batches import in_chunks
from socialledger.measures.models import Measure
from socialledger.organisations.models import Organisation
from socialledger.reports.models import (
    ContractFigure,
    GroupFigure,
    RepeatedPerson,
    ScopeFigure,
    VersionUse,
)
from socialledger.reports.scopes import GROUPS_FOR_SCOPE, SCOPE_KINDS
from socialledger.returns.models import STATUSES_COUNTED_AS, Entry, Return, State

COUNTED = tuple(str(status) for status in STATUSES_COUNTED_AS[State.REPORTED])
STATES_OF = {
    status: tuple(str(s) for s, statuses in STATUSES_COUNTED_AS.items() if status in statuses)
    for status in COUNTED
}
KIND_INDEX = {kind: index for index, kind in enumerate(SCOPE_KINDS)}


@dataclass
class Touched:
    """What a write touches: contract-years, people (year, person key), and whole returns."""

    cells: set[tuple[int, int]] = field(default_factory=set)
    people: set[tuple[int, str]] = field(default_factory=set)
    returns: set[int] = field(default_factory=set)

    def add(self, contract_id: int, financial_year: int, person_key: str = "") -> None:
        self.cells.add((contract_id, financial_year))
        if person_key:
            self.people.add((financial_year, person_key))

    def __bool__(self) -> bool:
        return bool(self.cells or self.people or self.returns)


def touched_by_entries(entries: Iterable[Entry]) -> Touched:
    touched = Touched()
    for entry in entries:
        touched.add(entry.contract_id, entry.financial_year, entry.person_key)
    return touched


# The keys already looked after by an enclosing `kept_true` (an import wraps many actions).
_covering: ContextVar[Touched | None] = ContextVar("summaries_covering", default=None)


@contextmanager
def kept_true(touched: Touched, provider_id: int) -> Iterator[None]:
    """Run a change to entries or return states, then bring the summaries up to date with it.

    Must run inside the change's transaction. Keys an enclosing `kept_true` already covers are
    left to it, so an import that wraps its actions in one does the work once.
    """
    outer = _covering.get()
    mine = _resolve(touched, outer)
    if not mine:
        yield
        return
    # Writers to one provider's summaries queue here (PostgreSQL; SQLite has one writer anyway),
    # so no two of them work out "before" and "after" from the same starting point. FOR NO KEY
    # UPDATE, not FOR UPDATE: every insert that names the provider (an audit event, say) takes
    # a key-share lock on this row, and a full update lock would block it and deadlock with the
    # audit chain's lock, which those inserts hold.
    queue = Organisation.objects.select_for_update(no_key=True).filter(pk=provider_id)
    list(queue.values_list("pk"))
    before = contributions(mine)
    token = _covering.set(_union(outer, mine))
    try:
        yield
    finally:
        _covering.reset(token)
    apply(contributions(mine).minus(before))


def _resolve(touched: Touched, outer: Touched | None) -> Touched:
    """The contract-years and people of `touched` (returns opened up), less what `outer` covers."""
    covered = outer or Touched()
    resolved = Touched(set(touched.cells), set(touched.people), set(touched.returns))
    opened = sorted(touched.returns - covered.returns)
    for chunk in in_chunks(opened):
        rows = Entry.objects.filter(submission_id__in=chunk).values_list(
            "contract_id", "financial_year", "person_key"
        )
        for contract_id, year, person_key in rows.distinct().order_by():
            resolved.add(contract_id, year, person_key)
    resolved.cells -= covered.cells
    resolved.people -= covered.people
    resolved.returns -= covered.returns
    return resolved


def _union(outer: Touched | None, mine: Touched) -> Touched:
    if outer is None:
        return mine
    return Touched(
        outer.cells | mine.cells, outer.people | mine.people, outer.returns | mine.returns
    )


# --- What keys contribute ----------------------------------------------------------------------

# Scopes with their own rows (a provider's and a framework's reports are the large ones); a
# member's, a supplier's and a contract's figures are read from their contracts' rows.
ROLLED_UP = ("provider", "framework")
GROUP_KINDS = {kind: GROUPS_FOR_SCOPE[kind] for kind in ROLLED_UP}
VERSIONED = ("provider", "framework", "member", "supplier")
CONTRACT_VALUES = 12  # total, entries, then (repeat total, repeats) for each of the five kinds


class Sums:
    """Summary rows as Python dicts: key -> list of integers (scaled quantities and counts)."""

    def __init__(self) -> None:
        # (contract, year, measure, state) -> [total, entries, then repeat total and repeats
        # in the provider, framework, member, supplier and contract]
        self.contract: dict[tuple, list[int]] = defaultdict(lambda: [0] * CONTRACT_VALUES)
        # (kind, scope, year, measure, state, dimension, value) -> [total, entries, repeat
        # total, repeats]
        self.scope: dict[tuple, list[int]] = defaultdict(lambda: [0] * 4)
        # (kind, scope, group kind, year, state, measure, group) -> as scope
        self.group: dict[tuple, list[int]] = defaultdict(lambda: [0] * 4)
        # (kind, scope, year, measure, version) -> [entries]
        self.version: dict[tuple, list[int]] = defaultdict(lambda: [0])
        # (entry, state) -> [entries]
        self.repeated: dict[tuple, list[int]] = defaultdict(lambda: [0])
        self.scopes_of: dict[int, tuple[int, ...]] = {}  # contract -> its five scope ids
        self.repeated_about: dict[tuple, tuple] = {}  # (entry, state) -> provider, year, ...

    def tables(self) -> tuple[tuple[str, dict], ...]:
        return (
            ("contract", self.contract),
            ("scope", self.scope),
            ("group", self.group),
            ("version", self.version),
            ("repeated", self.repeated),
        )

    def minus(self, other: Sums) -> Sums:
        """This less `other`, key by key, keeping only keys that changed."""
        result = Sums()
        result.scopes_of = {**other.scopes_of, **self.scopes_of}
        result.repeated_about = {**other.repeated_about, **self.repeated_about}
        for (name, mine), (_name, theirs) in zip(self.tables(), other.tables(), strict=True):
            target = getattr(result, name)
            for key in mine.keys() | theirs.keys():
                a, b = mine.get(key), theirs.get(key)
                change = [x - y for x, y in zip(a or [0] * len(b), b or [0] * len(a), strict=True)]
                if any(change):
                    target[key] = change
        return result

    def nonzero(self) -> dict[str, dict]:
        return {name: {k: v for k, v in rows.items() if any(v)} for name, rows in self.tables()}

    def provider_of(self, name: str, key: tuple) -> int:
        if name == "contract":
            return self.scopes_of[key[0]][0]
        kind, scope = key[0], key[1]
        if kind == "provider":
            return scope
        return self._providers[(kind, scope)]

    @property
    def _providers(self) -> dict[tuple, int]:
        if not hasattr(self, "_provider_index"):
            self._provider_index = {
                (kind, scopes[KIND_INDEX[kind]]): scopes[0]
                for scopes in self.scopes_of.values()
                for kind in SCOPE_KINDS
            }
        return self._provider_index


class _Contracts:
    """Which scopes each contract is in: (provider, framework, member, supplier, contract)."""

    def __init__(self, sums: Sums) -> None:
        self.known = sums.scopes_of

    def load(self, ids: Iterable[int]) -> None:
        missing = sorted(set(ids) - self.known.keys())
        for chunk in in_chunks(missing):
            rows = Contract.objects.filter(pk__in=chunk).values_list(
                "pk", "framework__provider_id", "framework_id", "member_id", "supplier_id"
            )
            for pk, provider, framework, member, supplier in rows:
                self.known[pk] = (provider, framework, member, supplier, pk)

    def __getitem__(self, contract_id: int) -> tuple[int, ...]:
        return self.known[contract_id]


def contributions(touched: Touched) -> Sums:
    """What the touched contract-years and people contribute to every summary row, now."""
    sums = Sums()
    contracts, stock = _Contracts(sums), _stock_measures()
    add_cells(sums, contracts, stock, sorted({c for c, _y in touched.cells}), touched.cells)
    add_people(sums, contracts, stock, touched.people)
    return sums


def _stock_measures() -> set[int]:
    stock = Measure.objects.filter(aggregation=Measure.Aggregation.STOCK)
    return set(stock.values_list("pk", flat=True))


def add_cells(
    sums: Sums,
    contracts: _Contracts,
    stock: set,
    contract_ids: list[int],
    only: set[tuple[int, int]] | None = None,
) -> int:
    """Add the counted entries of these contracts (of only these contract-years, if given);
    returns how many entries that was."""
    contracts.load(contract_ids)
    years = sorted({year for _c, year in only}) if only is not None else None
    cells: dict[tuple, list] = defaultdict(list)
    for row in _cell_rows(contract_ids, years):
        contract_id, measure_id, year = row[0], row[1], row[2]
        if only is None or (contract_id, year) in only:
            cells[(contract_id, measure_id, year)].append(row[3:])
    read = 0
    for (contract_id, measure_id, year), rows in cells.items():
        scopes = contracts[contract_id]
        for state in (State.REPORTED.value, State.VERIFIED.value):
            in_state = [row for row in rows if state in STATES_OF[row[2]]]
            if in_state:
                _add_cell(sums, scopes, (year, measure_id, state), in_state, measure_id in stock)
        for _key, _end, status, version, _total, count in rows:
            read += count
            if State.REPORTED.value in STATES_OF[status]:
                for kind in VERSIONED:
                    scope = scopes[KIND_INDEX[kind]]
                    sums.version[(kind, scope, year, measure_id, version)][0] += count
    return read


def _cell_rows(contract_ids: list[int], years: list[int] | None) -> Iterator[tuple]:
    """Counted entries of the contracts summed by contract, measure, year, breakdowns, period end,
    return status and definition version."""
    entry, ret = Entry._meta.db_table, Return._meta.db_table
    for chunk in in_chunks(contract_ids):
        where = [f"e.contract_id IN ({_marks(chunk)})", f"r.status IN ({_marks(COUNTED)})"]
        params = [*chunk, *COUNTED]
        if years is not None:
            where.append(f"e.financial_year IN ({_marks(years)})")
            params += years
        sql = (
            "SELECT e.contract_id, e.measure_id, e.financial_year, e.breakdown_key, e.period_end,"  # noqa: S608
            " r.status, e.definition_version, SUM(e.quantity), COUNT(*)"
            f" FROM {entry} e JOIN {ret} r ON r.id = e.submission_id WHERE {' AND '.join(where)}"
            " GROUP BY e.contract_id, e.measure_id, e.financial_year, e.breakdown_key,"
            " e.period_end, r.status, e.definition_version"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                yield (*row[:7], int(row[7]), row[8])


def _add_cell(sums: Sums, scopes, where: tuple, rows: list[tuple], is_stock: bool) -> None:
    """One contract's figure for a (year, measure, state): its whole figure and, for the provider
    and the framework, its part for each breakdown value.

    A stock counts only its latest period: the latest overall for the whole figure, the latest
    with each breakdown key for the breakdowns (tally's `_latest_period_per_contract`)."""
    year, measure_id, state = where
    by_key: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    whole = [0, 0]
    latest = max(row[1] for row in rows) if is_stock else None
    latest_by_key: dict[str, object] = {}
    if is_stock:
        for key, end, *_rest in rows:
            latest_by_key[key] = max(latest_by_key.get(key, end), end)
    for key, end, _status, _version, total, count in rows:
        if not is_stock or end == latest_by_key[key]:
            by_key[key][0] += total
            by_key[key][1] += count
        if not is_stock or end == latest:
            whole[0] += total
            whole[1] += count
    figure = sums.contract[(scopes[4], year, measure_id, state)]
    figure[0] += whole[0]
    figure[1] += whole[1]
    parts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for key, part in by_key.items():
        for dimension_value in parse_key(key).items():
            _add(parts[dimension_value], part)
    if is_stock:
        parts[("*", "")] = [sum(f[0] for f in by_key.values()), sum(f[1] for f in by_key.values())]
    parts[("", "")] = whole
    for kind in ROLLED_UP:
        scope = scopes[KIND_INDEX[kind]]
        for (dimension, value), part in parts.items():
            _add(sums.scope[(kind, scope, year, measure_id, state, dimension, value)], part)
        for group_kind in GROUP_KINDS[kind]:
            group = scopes[KIND_INDEX[group_kind]]
            _add(sums.group[(kind, scope, group_kind, year, state, measure_id, group)], whole)


def _add(row: list[int], figure, offset: int = 0) -> None:
    row[offset] += figure[0]
    row[offset + 1] += figure[1]


@cache
def parse_key(key: str) -> dict[str, str]:  # a few thousand distinct keys at most
    """A breakdown key ("hours=part-time|sector=housing") as its values by dimension."""
    return dict(part.split("=", 1) for part in key.split("|")) if key else {}


def add_people(sums: Sums, contracts: _Contracts, stock: set, people: set[tuple[int, str]]):
    """Subtract, in each scope, every entry for a person already counted earlier in that scope
    for the same measure, year and state (tally's `_count_each_person_once`)."""
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for row in _person_rows(people):
        _entry, _contract, measure_id, year, _key, _quantity, person, _status = row
        if measure_id not in stock and (year, person) in people:
            groups[(measure_id, year, person)].append(row)
    repeated = [rows for rows in groups.values() if len(rows) > 1]
    contracts.load({row[1] for rows in repeated for row in rows})
    for rows in repeated:
        rows.sort()
        for state in (State.REPORTED.value, State.VERIFIED.value):
            in_state = [row for row in rows if state in STATES_OF[row[7]]]
            if len(in_state) > 1:
                _add_repeats(sums, contracts, state, in_state)


def _add_repeats(sums: Sums, contracts: _Contracts, state: str, rows: list[tuple]) -> None:
    for index, kind in enumerate(SCOPE_KINDS):
        seen = set()
        for entry_id, contract_id, measure_id, year, key, quantity, person, _status in rows:
            scopes = contracts[contract_id]
            scope = scopes[index]
            if scope not in seen:
                seen.add(scope)
                continue
            repeat = (quantity, 1)
            _add(sums.contract[(contract_id, year, measure_id, state)], repeat, 2 + 2 * index)
            if kind == "provider":
                sums.repeated[(entry_id, state)][0] += 1
                sums.repeated_about[(entry_id, state)] = (scope, year, contract_id, person)
            if kind not in ROLLED_UP:
                continue
            _add(sums.scope[(kind, scope, year, measure_id, state, "", "")], repeat, 2)
            for dimension, value in parse_key(key).items():
                _add(
                    sums.scope[(kind, scope, year, measure_id, state, dimension, value)], repeat, 2
                )
            for group_kind in GROUP_KINDS[kind]:
                group = scopes[KIND_INDEX[group_kind]]
                row = sums.group[(kind, scope, group_kind, year, state, measure_id, group)]
                _add(row, repeat, 2)


def _person_rows(people: set[tuple[int, str]]) -> Iterator[tuple]:
    """Counted entries of these people (any year of theirs, filtered by the caller), for the
    people with more than one counted entry of a measure in a year: only they can repeat."""
    entry, ret = Entry._meta.db_table, Return._meta.db_table
    keys = sorted({person for _year, person in people})
    years = sorted({year for year, _person in people})
    counted = f"r.status IN ({_marks(COUNTED)})"
    for chunk in in_chunks(keys):
        # Both halves name the people, so each reads their entries through the person index
        # (reports_entry_person) rather than every entry of the years: without statistics SQLite
        # would otherwise take the (year, measure) index, and at ten million entries each chunk
        # would scan millions of rows. The unary + keeps the year out of the index choice; it
        # means the same on both databases.
        people = f"e.person_key <> '' AND e.person_key IN ({_marks(chunk)})"
        twice = (
            f"SELECT e.measure_id, e.financial_year, e.person_key FROM {entry} e"  # noqa: S608
            f" JOIN {ret} r ON r.id = e.submission_id"
            f" WHERE {people} AND +e.financial_year IN ({_marks(years)}) AND {counted}"
            " GROUP BY e.measure_id, e.financial_year, e.person_key HAVING COUNT(*) > 1"
        )
        sql = (
            "SELECT e.id, e.contract_id, e.measure_id, e.financial_year, e.breakdown_key,"  # noqa: S608
            f" e.quantity, e.person_key, r.status FROM {entry} e"
            f" JOIN {ret} r ON r.id = e.submission_id JOIN ({twice}) t"
            " ON t.measure_id = e.measure_id AND t.financial_year = e.financial_year"
            f" AND t.person_key = e.person_key WHERE {counted} AND {people}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*chunk, *years, *COUNTED, *COUNTED, *chunk])
            for row in cursor.fetchall():
                yield (*row[:5], int(row[5]), row[6], row[7])


# --- Writing the differences -------------------------------------------------------------------

# Each table: its model, key columns (in the order of the Sums keys) and value columns.
REPEAT_COLUMNS = tuple(
    column for kind in SCOPE_KINDS for column in (f"{kind}_repeat_total", f"{kind}_repeats")
)
TABLES = {
    "contract": (
        ContractFigure,
        ("contract_id", "financial_year", "measure_id", "state"),
        ("total", "entries", *REPEAT_COLUMNS),
    ),
    "scope": (
        ScopeFigure,
        ("scope_kind", "scope_id", "financial_year", "measure_id", "state", "dimension", "value"),
        ("total", "entries", "repeat_total", "repeats"),
    ),
    "group": (
        GroupFigure,
        (
            "scope_kind",
            "scope_id",
            "group_kind",
            "financial_year",
            "state",
            "measure_id",
            "group_id",
        ),
        ("total", "entries", "repeat_total", "repeats"),
    ),
    "version": (
        VersionUse,
        ("scope_kind", "scope_id", "financial_year", "measure_id", "definition_version"),
        ("entries",),
    ),
    "repeated": (RepeatedPerson, ("entry_id", "state"), ("entries",)),
}


def apply(delta: Sums) -> None:
    """Add the differences to the stored rows; delete rows left with no entries behind them."""
    with connection.cursor() as cursor:
        for name, rows in delta.tables():
            if not rows:
                continue
            model, keys, values = TABLES[name]
            table = model._meta.db_table
            extra, about = _about(name, delta)
            columns = (*keys, *values, *extra)
            updates = ", ".join(f"{v} = {table}.{v} + excluded.{v}" for v in values)
            conflict = f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
            changes = [(*key, *change, *about(key)) for key, change in rows.items()]
            _upsert(cursor, table, columns, conflict, changes)
            emptied = [key for key, change in rows.items() if change[values.index("entries")] < 0]
            if emptied:
                match = " AND ".join(f"{k} = %s" for k in keys)
                cursor.executemany(
                    f"DELETE FROM {table} WHERE {match} AND entries = 0",  # noqa: S608
                    [tuple(key) for key in emptied],
                )


COPIED_FROM = 2000  # rows: fewer go one statement each; more are copied in and added at once


def _upsert(cursor, table: str, columns: tuple[str, ...], conflict: str, rows: list) -> None:
    """Insert rows, or add them to the rows with the same key. SQLite runs one prepared statement
    for every row. So does PostgreSQL for a few rows (an action's change), but many (a rebuild
    writes hundreds of thousands) are copied into a temporary table and added in one statement:
    one statement per row costs it a parse and a round trip each."""
    names = ", ".join(columns)
    if connection.vendor != "postgresql" or len(rows) < COPIED_FROM:
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({_marks(columns)}) {conflict}",  # noqa: S608
            rows,
        )
        return
    delta = f"{table}_delta"
    cursor.execute(f"DROP TABLE IF EXISTS {delta}")
    cursor.execute(f"CREATE TEMPORARY TABLE {delta} AS SELECT {names} FROM {table} WITH NO DATA")  # noqa: S608
    with cursor.cursor.copy(f"COPY {delta} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {delta} {conflict}")  # noqa: S608
    cursor.execute(f"DROP TABLE {delta}")


def _about(name: str, sums: Sums) -> tuple[tuple[str, ...], Callable]:
    """The columns a row carries besides its key and values, and how to fill them."""
    if name == "repeated":
        return ("provider_id", "financial_year", "contract_id", "person_key"), (
            lambda key: sums.repeated_about[key]
        )
    if name == "contract":
        return ("provider_id", "framework_id", "member_id", "supplier_id"), (
            lambda key: sums.scopes_of[key[0]][:4]
        )
    return ("provider_id",), lambda key: (sums.provider_of(name, key),)


# --- From scratch ------------------------------------------------------------------------------


def rebuild(provider: Organisation, *, progress: Callable[[int], None] | None = None) -> int:
    """Work out a provider's summaries afresh from its entries; returns the entries read.

    Contracts are taken a batch at a time, so memory stays flat however large the ledger.
    Run in a transaction: readers see the old summaries until it commits.
    """
    for model, *_rest in TABLES.values():
        model.objects.filter(provider=provider).delete()
    contracts = Contract.objects.for_provider(provider).order_by("pk")
    stock, read = _stock_measures(), 0
    for chunk in in_chunks(list(contracts.values_list("pk", flat=True)), 2500):
        sums = Sums()
        done = add_cells(sums, _Contracts(sums), stock, chunk)
        apply(sums)
        read += done
        if progress:
            progress(done)
    people = _people_seen_twice(provider)
    for chunk in in_chunks(people, 2000):
        sums = Sums()
        add_people(sums, _Contracts(sums), stock, set(chunk))
        apply(sums)
    return read


def _people_seen_twice(provider: Organisation) -> list[tuple[int, str]]:
    """(year, person key) of people with more than one counted entry of a measure in a year:
    only they can be counted twice."""
    entry, ret = Entry._meta.db_table, Return._meta.db_table
    contract, framework = Contract._meta.db_table, "contracts_framework"
    sql = (
        f"SELECT e.financial_year, e.person_key FROM {entry} e"  # noqa: S608
        f" JOIN {ret} r ON r.id = e.submission_id JOIN {contract} c ON c.id = e.contract_id"
        f" JOIN {framework} f ON f.id = c.framework_id"
        f" WHERE f.provider_id = %s AND e.person_key <> '' AND r.status IN ({_marks(COUNTED)})"
        " GROUP BY e.measure_id, e.financial_year, e.person_key HAVING COUNT(*) > 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [provider.pk, *COUNTED])
        return sorted(set(cursor.fetchall()))


def differences(provider: Organisation) -> list[str]:
    """Every stored summary row that differs from what the entries say now (empty when true)."""
    contract_ids = [pk for (pk,) in Contract.objects.for_provider(provider).values_list("pk")]
    expected, stock = Sums(), _stock_measures()
    contracts = _Contracts(expected)
    add_cells(expected, contracts, stock, contract_ids)
    people = set(
        Entry.objects.filter(contract_id__in=contract_ids)
        .exclude(person_key="")
        .values_list("financial_year", "person_key")
    )
    add_people(expected, contracts, stock, people)
    found = []
    for name, rows in expected.nonzero().items():
        stored = _stored(name, provider)
        for key in sorted(rows.keys() | stored.keys(), key=str):
            if rows.get(key) != stored.get(key):
                found.append(f"{name} {key}: entries say {rows.get(key)}, stored {stored.get(key)}")
    return found


def _stored(name: str, provider: Organisation) -> dict[tuple, list[int]]:
    model, keys, values = TABLES[name]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join((*keys, *values))} FROM {table} WHERE provider_id = %s",  # noqa: S608
            [provider.pk],
        )
        return {
            tuple(row[: len(keys)]): [int(v) for v in row[len(keys) :]] for row in cursor.fetchall()
        }


def _marks(items) -> str:
    return ", ".join(["%s"] * len(items))
