"""Synthetic ledgers at national scale, for benchmarks and load tests (`socialledger generate`).

Several providers, each with frameworks and lots, members and suppliers, about 20,000 contracts
between them, ten financial years of returns, and entries for every counted measure of the
library with breakdowns. Sizes are skewed as in real life: a few providers, suppliers and
contracts hold most of the work (values and shares drawn from long-tailed distributions). People
measures are recorded one person per entry with a pseudonymous person key; some people are
counted on two contracts in a year, so reports have repeats to take out. Everything is drawn from
one seeded generator: the same --entries and --seed give the same ledger.

What it skips, on purpose, to write millions of rows in minutes:
- entries are written with bulk inserts (PostgreSQL COPY, SQLite executemany), not through
  `save_entries`; no audit event per entry or return (one event per provider records the run);
- the summary tables are then rebuilt from the entries (`reports.summaries.rebuild`), which is
  the same computation the write actions use.
It is for empty databases made for testing; it refuses a database that already has providers.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache

from django.db import connection, transaction

from socialledger.audit.actions import record
from socialledger.contracts.models import Contract, Framework, Lot
from socialledger.lib.periods import FinancialYear
from socialledger.measures.models import Measure, breakdown_key
from socialledger.organisations.models import Organisation
from socialledger.reports.summaries import rebuild
from socialledger.returns.models import Entry, Return, Status

FIRST_YEAR, YEARS = 2015, 10  # 2015-16 to 2024-25
CONTRACTS = 20_000
# Providers: (reference, name, share of the contracts, frameworks, members, suppliers)
PROVIDERS = (
    ("NPA", "National Procurement Alliance", 0.6, 5, 800, 1_600),
    ("RHC", "Riverside Housing Consortium", 0.3, 3, 400, 900),
    ("CPS", "Coastal Public Sector Buying", 0.1, 2, 150, 300),
)
# Each counted measure's share of the entries, and whether one entry is one person.
MIX = {
    "jobs-sustained": (0.30, True),
    "jobs-created": (0.14, True),
    "training-non-accredited": (0.16, True),
    "training-accredited": (0.12, True),
    "work-experience": (0.12, True),
    "apprenticeships-sustained": (0.06, True),
    "apprenticeships-created": (0.03, True),
    "careers-events": (0.03, False),
    "volunteering-days": (0.02, False),
    "donations": (0.02, False),
}
REPEAT_SHARE = 0.02  # people counted on a second contract of the supplier in the same year
NOT_STATED = 0.1  # breakdowns left blank
ENTRY_COLUMNS = (
    "submission_id",
    "contract_id",
    "measure_id",
    "definition_version",
    "period_start",
    "period_end",
    "financial_year",
    "quantity",
    "breakdowns",
    "breakdown_key",
    "description",
    "person_key",
    "created_at",
    "updated_at",
)
BATCH = 50_000


class GenerateError(Exception):
    """The database is not one to fill with a synthetic ledger."""


@dataclass(frozen=True)
class Generated:
    providers: int
    contracts: int
    returns: int
    entries: int


def generate(
    entries: int,
    *,
    seed: int = 1,
    contracts: int = CONTRACTS,
    progress: Callable[[int], None] | None = None,
) -> Generated:
    """Fill an empty database with about `entries` entries over `contracts` contracts."""
    if Organisation.objects.providers().exists():
        raise GenerateError("The database already has providers; generate into an empty one.")
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    world = _World(rng, contracts)
    with transaction.atomic():
        world.build()
        written = _write_entries(world, entries, progress)
    for provider in world.providers:
        with transaction.atomic():
            rebuild(provider)
            record(
                provider,
                "ledger.generated",
                by=None,
                provider=provider,
                after={"entries": entries, "seed": seed, "contracts": contracts},
                via="generate",
            )
    return Generated(len(world.providers), len(world.contracts), len(world.returns), written)


class _World:
    """The organisations, frameworks, contracts and returns entries are written into."""

    def __init__(self, rng: random.Random, contracts: int) -> None:
        self.rng, self.target = rng, contracts
        self.providers: list[Organisation] = []
        self.contracts: list[Contract] = []
        self.returns: dict[tuple[int, int], Return] = {}
        self.measures = {m.code: m for m in Measure.objects.filter(provider=None, code__in=MIX)}
        self.choices = {code: _breakdown_choices(m) for code, m in self.measures.items()}
        self.people: dict[tuple, list] = {}  # recent people per return and measure

    def build(self) -> None:
        for reference, name, share, frameworks, members, suppliers in PROVIDERS:
            provider = Organisation.objects.create(
                kind=Organisation.Kind.PROVIDER, reference=reference, name=name
            )
            self.providers.append(provider)
            count = max(1, round(self.target * share))
            self._provider(provider, count, frameworks, members, suppliers)
        self._returns()

    def _provider(self, provider, count: int, frameworks: int, members: int, suppliers: int):
        rng = self.rng
        scale = max(count / (CONTRACTS * 0.6), 0.02)  # fewer parties for a smaller ledger
        buyers = self._parties(provider, "member", max(3, round(members * scale)))
        sellers = self._parties(provider, "supplier", max(3, round(suppliers * scale)))
        lots = self._frameworks(provider, frameworks)
        contracts = []
        for number in range(count):
            lot = lots[rng.randrange(len(lots))]
            start_year = FIRST_YEAR + rng.randrange(-2, YEARS)
            years = min(1 + int(rng.expovariate(1 / 2.5)), 8)
            starts = date(start_year, 4, 1)
            contracts.append(
                Contract(
                    framework_id=lot.framework_id,
                    lot=lot,
                    reference=f"{lot.framework.reference}-{number + 1:06d}",
                    title=f"Works package {number + 1}",
                    member=_skewed(rng, buyers),
                    supplier=_skewed(rng, sellers),
                    value=Decimal(round(math.exp(rng.gauss(13.5, 1.4)), -2)),
                    starts_on=starts,
                    ends_on=date(start_year + years, 3, 31),
                )
            )
        self.contracts += Contract.objects.bulk_create(contracts, batch_size=2_000)
        appointed = {(c.lot_id, c.supplier_id) for c in contracts}
        Lot.suppliers.through.objects.bulk_create(
            [Lot.suppliers.through(lot_id=lot, organisation_id=s) for lot, s in appointed]
        )

    def _parties(self, provider, kind: str, count: int) -> list[Organisation]:
        prefix = "M" if kind == "member" else "S"
        return Organisation.objects.bulk_create(
            [
                Organisation(
                    kind=kind,
                    provider=provider,
                    reference=f"{provider.reference}-{prefix}{n:05d}",
                    name=f"{'Buyer' if kind == 'member' else 'Contractor'} {provider.reference} "
                    f"{n}",
                )
                for n in range(1, count + 1)
            ],
            batch_size=2_000,
        )

    def _frameworks(self, provider, count: int) -> list[Lot]:
        lots = []
        for number in range(1, count + 1):
            framework = Framework.objects.create(
                provider=provider,
                reference=f"{provider.reference}{number}",
                name=f"{provider.name} framework {number}",
                starts_on=date(FIRST_YEAR - 2, 4, 1),
                ends_on=date(FIRST_YEAR + YEARS + 2, 3, 31),
            )
            for lot in range(1, 2 + self.rng.randrange(5)):
                lots.append(
                    Lot.objects.create(framework=framework, reference=str(lot), name=f"Lot {lot}")
                )
        return lots

    def _returns(self) -> None:
        """One return per supplier and year it had live contracts, at a realistic status."""
        wanted = set()
        for contract in self.contracts:
            for year in self.live_years(contract):
                wanted.add((contract.supplier_id, year))
        last = FIRST_YEAR + YEARS - 1
        returns = [
            Return(
                supplier_id=supplier,
                period_start=FinancialYear(year).start,
                period_end=FinancialYear(year).end,
                financial_year=year,
                status=self._status(year == last),
            )
            for supplier, year in sorted(wanted)
        ]
        for ret in Return.objects.bulk_create(returns, batch_size=2_000):
            self.returns[(ret.supplier_id, ret.financial_year)] = ret

    def _status(self, latest: bool) -> str:
        roll = self.rng.random()
        if latest:
            return min(
                (upto, status)
                for status, upto in (
                    (Status.DRAFT, 0.3),
                    (Status.SUBMITTED, 0.7),
                    (Status.VERIFIED, 1),
                )
                if roll < upto
            )[1]
        for status, upto in (
            (Status.VERIFIED, 0.9),
            (Status.SUBMITTED, 0.94),
            (Status.QUERIED, 0.96),
            (Status.REJECTED, 0.98),
        ):
            if roll < upto:
                return status
        return Status.DRAFT

    @staticmethod
    def live_years(contract: Contract) -> range:
        first = max(contract.starts_on.year, FIRST_YEAR)
        last = min(contract.ends_on.year - 1, FIRST_YEAR + YEARS - 1)
        return range(first, last + 1)


def _skewed(rng: random.Random, items: list):
    """Mostly the first few: the share of the i-th falls like 1/i (a Zipf-like tail)."""
    return items[min(int(len(items) ** rng.random()) - 1, len(items) - 1)]


def _breakdown_choices(measure: Measure) -> list[tuple[str, list[str]]]:
    return [
        (d.code, [v.code if d.closed else v.label for v in d.values.all()])
        for d in measure.dimensions.all()
    ]


# --- Entries -----------------------------------------------------------------------------------


def _write_entries(world: _World, wanted: int, progress) -> int:
    """Spread `wanted` entries over the contract-years, larger contracts getting more, and write
    them in batches."""
    cells = [(c, year) for c in world.contracts for year in world.live_years(c)]
    weights = [float(c.value) ** 0.7 for c, _year in cells]
    scale = wanted / sum(weights)
    rows, written = [], 0
    now = connection.ops.adapt_datetimefield_value(datetime.now(UTC))
    carry = 0.0
    for (contract, year), weight in zip(cells, weights, strict=True):
        carry += weight * scale
        count = int(carry)
        carry -= count
        if not count:
            continue
        ret = world.returns[(contract.supplier_id, year)]
        rows.extend(_contract_year(world, ret, contract, year, count, now))
        if len(rows) >= BATCH:
            written += _insert(rows, progress)
            rows = []
    return written + _insert(rows, progress)


def _contract_year(world, ret, contract, year: int, count: int, now) -> Iterator[tuple]:
    rng, fy = world.rng, FinancialYear(year)
    for code, (share, per_person) in MIX.items():
        n = _share(rng, count, share)
        if not n:
            continue
        measure = world.measures[code]
        if per_person:
            yield from _people(world, ret, contract, measure, fy, n, now)
        else:
            yield from _amounts(world, ret, contract, measure, fy, n, now)


def _share(rng: random.Random, count: int, share: float) -> int:
    expected = count * share
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


@cache
def _quarter(fy: FinancialYear, quarter: int) -> tuple:
    """The start and end of a quarter of the year, as the database takes dates."""
    start = date(fy.start_year + (quarter == 3), (4 + 3 * quarter - 1) % 12 + 1, 1)
    end = date(start.year, *{0: (6, 30), 1: (9, 30), 2: (12, 31), 3: (3, 31)}[quarter])
    return connection.ops.adapt_datefield_value(start), connection.ops.adapt_datefield_value(end)


def _people(world, ret, contract, measure, fy, n: int, now) -> Iterator[tuple]:
    """One entry per person, each with a pseudonymous key; a few people were already counted
    on another of the supplier's contracts this year."""
    rng, choices = world.rng, world.choices[measure.code]
    pool = world.people.setdefault((ret.pk, measure.pk), [])
    taken = set()
    for number in range(n):
        earlier = [p for p in pool[-20:] if p[0] != contract.pk and p[1] not in taken]
        if earlier and rng.random() < REPEAT_SHARE:
            person = earlier[rng.randrange(len(earlier))][1]
        else:
            person = _person_key(ret.supplier_id, measure.pk, fy.start_year, contract.pk, number)
            pool.append((contract.pk, person))
            if len(pool) > 200:
                del pool[:100]
        taken.add(person)
        start, end = _quarter(fy, rng.randrange(4))
        breakdowns = _breakdowns(rng, choices)
        yield _row(ret, contract, measure, start, end, 10_000, breakdowns, "", person, now)


def _amounts(world, ret, contract, measure, fy, n: int, now) -> Iterator[tuple]:
    """Events, days and donations: one entry per quarter and breakdown, with an amount."""
    rng, choices = world.rng, world.choices[measure.code]
    made = set()
    for number in range(n):
        quarter = rng.randrange(4)
        breakdowns = _breakdowns(rng, choices)
        description = ""
        if measure.needs_description:
            description = f"Gift {number + 1} to a community group"
            amount = int(math.exp(rng.gauss(6.5, 1.2))) * 10_000
        elif measure.whole_numbers:
            amount = (1 + int(rng.expovariate(0.5))) * 10_000
        else:
            amount = round(rng.expovariate(0.4), 1) * 10_000
        key = (quarter, breakdown_key(breakdowns), description)
        if key in made:
            continue
        made.add(key)
        start, end = _quarter(fy, quarter)
        yield _row(
            ret, contract, measure, start, end, int(amount), breakdowns, description, "", now
        )


def _breakdowns(rng: random.Random, choices) -> dict[str, str]:
    return {
        code: values[min(int(len(values) ** rng.random()) - 1, len(values) - 1)]
        for code, values in choices
        if rng.random() >= NOT_STATED
    }


def _person_key(*parts) -> str:
    return hashlib.blake2b("/".join(map(str, parts)).encode(), digest_size=32).hexdigest()


def _row(ret, contract, measure, start, end, quantity, breakdowns, description, person, now):
    return (
        ret.pk,
        contract.pk,
        measure.pk,
        measure.version,
        start,
        end,
        ret.financial_year,
        quantity,
        json.dumps(breakdowns, sort_keys=True),
        breakdown_key(breakdowns),
        description,
        person,
        now,
        now,
    )


def _insert(rows: list[tuple], progress) -> int:
    """Write entry rows: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return 0
    table = Entry._meta.db_table
    columns = ", ".join(ENTRY_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(ENTRY_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - names only
                rows,
            )
    if progress:
        progress(len(rows))
    return len(rows)
