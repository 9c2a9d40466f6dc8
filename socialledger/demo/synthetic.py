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
import io
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
from socialledger.lib.progress import Progress
from socialledger.measures.models import Measure, breakdown_key
from socialledger.organisations.models import Organisation
from socialledger.reports.summaries import rebuild
from socialledger.returns.models import Entry, Return, State, Status, write_entry_rows

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
    progress: Callable[[str, int | None], Progress] | None = None,
) -> Generated:
    """Fill an empty database with about `entries` entries over `contracts` contracts (with no
    entries: the organisations, frameworks and contracts only, ready for an import)."""
    if Organisation.objects.providers().exists():
        raise GenerateError("The database already has providers; generate into an empty one.")
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    show = progress or (lambda what, total: Progress(what, total, stream=io.StringIO()))
    world = _World(rng, contracts)
    with transaction.atomic(), show("Writing entries", entries) as writing:
        world.build(returns=entries > 0)
        written = _write_entries(world, entries, writing.advance) if entries else 0
    _analyze()  # the rebuild below reads the entries just written
    for provider in world.providers:
        counted = Entry.objects.for_provider(provider).counted_as(State.REPORTED).count()
        with transaction.atomic(), show(f"Summaries of {provider}", counted) as rebuilding:
            rebuild(provider, progress=rebuilding.advance)
            record(
                provider,
                "ledger.generated",
                by=None,
                provider=provider,
                after={"entries": entries, "seed": seed, "contracts": contracts},
                via="generate",
            )
    _analyze()  # and the reports read the summaries just written
    return Generated(len(world.providers), len(world.contracts), len(world.returns), written)


def _analyze() -> None:
    """Fresh statistics on both databases: planning on the empty tables' would choose nested
    loops over millions of rows (seen on PostgreSQL: a report at 17 s instead of 0.3 s, and
    rebuilding summaries at a few hundred entries a second, until ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class _World:
    """The organisations, frameworks, contracts and returns entries are written into."""

    def __init__(self, rng: random.Random, contracts: int) -> None:
        self.rng, self.target = rng, contracts
        self.providers: list[Organisation] = []
        self.contracts: list[Contract] = []
        self.returns: dict[tuple[int, int], Return] = {}
        self.measures = {m.code: m for m in Measure.objects.filter(provider=None, code__in=MIX)}
        self.breakdowns = {code: _splits(rng, m) for code, m in self.measures.items()}
        self.people: dict[tuple, list] = {}  # recent people per supplier, year and measure
        self.now = connection.ops.adapt_datetimefield_value(datetime.now(UTC))

    def build(self, *, returns: bool) -> None:
        for reference, name, share, frameworks, members, suppliers in PROVIDERS:
            provider = Organisation.objects.create(
                kind=Organisation.Kind.PROVIDER, reference=reference, name=name
            )
            self.providers.append(provider)
            count = max(1, round(self.target * share))
            self._provider(provider, count, frameworks, members, suppliers)
        if returns:
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


# --- Entries -----------------------------------------------------------------------------------


def _write_entries(world: _World, wanted: int, progress) -> int:
    """Spread `wanted` entries over the contract-years, larger contracts getting more, and write
    them in batches, return by return (so the database's indexes grow in order)."""
    cells = sorted(
        ((c.supplier_id, year, c.pk, c) for c in world.contracts for year in world.live_years(c)),
        key=lambda cell: cell[:3],
    )
    weights = [float(c.value) ** 0.7 for *_key, c in cells]
    scale = wanted / sum(weights)
    rows, written = [], 0
    carry = 0.0
    for (supplier_id, year, _pk, contract), weight in zip(cells, weights, strict=True):
        carry += weight * scale
        count = int(carry)
        carry -= count
        if count:
            cell = _Cell(world, world.returns[(supplier_id, year)], contract, FinancialYear(year))
            rows.extend(cell.rows(count))
        if len(rows) >= BATCH:
            written += _insert(rows, progress)
            rows = []
    return written + _insert(rows, progress)


class _Cell:
    """One contract's entries in one year, as rows ready for the database."""

    def __init__(self, world: _World, ret: Return, contract: Contract, year: FinancialYear):
        self.world, self.rng, self.year = world, world.rng, year
        self.head = (ret.pk, contract.pk)
        self.supplier, self.contract = ret.supplier_id, contract.pk
        self.reference = contract.reference.encode()  # unique: it starts with the framework's
        self.quarters = [_quarter(year, quarter) for quarter in range(4)]

    def rows(self, count: int) -> Iterator[tuple]:
        for code, (share, per_person) in MIX.items():
            n = _share(self.rng, count, share)
            if n:
                measure = self.world.measures[code]
                make = self._people if per_person else self._amounts
                yield from make(measure, n, self.world.breakdowns[code])

    def _row(self, measure, quarter: int, quantity: int, split, description="", person=""):
        return (
            *self.head,
            measure.pk,
            measure.version,
            *self.quarters[quarter],
            self.year.start_year,
            quantity,
            *split,
            description,
            person,
            self.world.now,
            self.world.now,
        )

    def _people(self, measure, n: int, splits) -> Iterator[tuple]:
        """One entry per person, each with a pseudonymous key; a few people were already counted
        on another of the supplier's contracts this year."""
        rng = self.rng
        pool = self.world.people.setdefault((self.supplier, self.year, measure.pk), [])
        taken = set()
        for number in range(n):
            person = ""
            if pool and rng.random() < REPEAT_SHARE:
                earlier = [p for c, p in pool[-20:] if c != self.contract and p not in taken]
                person = earlier[rng.randrange(len(earlier))] if earlier else ""
            if not person:
                person = _person_key(self.reference, measure.code, self.year.start_year, number)
                pool.append((self.contract, person))
                if len(pool) > 200:
                    del pool[:100]
            taken.add(person)
            split = splits[int(rng.random() * len(splits))]
            yield self._row(measure, int(rng.random() * 4), 10_000, split, person=person)

    def _amounts(self, measure, n: int, splits) -> Iterator[tuple]:
        """Events, days and donations: one entry per quarter and breakdown, with an amount."""
        rng, made = self.rng, set()
        for number in range(n):
            quarter, split = rng.randrange(4), splits[int(rng.random() * len(splits))]
            description = ""
            if measure.needs_description:
                description = f"Gift {number + 1} to a community group"
                amount = int(math.exp(rng.gauss(6.5, 1.2))) * 10_000
            elif measure.whole_numbers:
                amount = (1 + int(rng.expovariate(0.5))) * 10_000
            else:
                amount = int(rng.expovariate(0.4) * 10) * 1_000
            if (quarter, split[1], description) not in made:
                made.add((quarter, split[1], description))
                yield self._row(measure, quarter, amount, split, description)


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


def _splits(rng: random.Random, measure: Measure, count: int = 400) -> list[tuple[str, str]]:
    """Breakdowns drawn in advance, skewed as real ones are (a few common values, a long tail,
    some left blank), as (JSON, key) pairs; entries pick from them at random."""
    choices = [
        (d.code, [v.code if d.closed else v.label for v in d.values.all()])
        for d in measure.dimensions.all()
    ]
    drawn = []
    for _ in range(count):
        breakdowns = {
            code: values[min(int(len(values) ** rng.random()) - 1, len(values) - 1)]
            for code, values in choices
            if rng.random() >= NOT_STATED
        }
        drawn.append((json.dumps(breakdowns, sort_keys=True), breakdown_key(breakdowns)))
    return drawn


def _person_key(contract: bytes, measure: str, year: int, number: int) -> str:
    """A pseudonymous key for a new person (a hash, as real keys are: 64 hex characters)."""
    text = b"%s/%s/%d/%d" % (contract, measure.encode(), year, number)
    return hashlib.blake2b(text, digest_size=32).hexdigest()


def _insert(rows: list[tuple], progress) -> int:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB for the indexes while loading
    written = write_entry_rows(rows)
    if progress:
        progress(written)
    return written
