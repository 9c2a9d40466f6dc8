"""`make bench`: Social Ledger's speed and memory at scale, each figure beside its baseline.

One run, on one machine, on the same data:

1. the provider's annual report (every measure, breakdowns, this year against last) against
   DuckDB computing the same aggregation over the same raw entries held in memory;
2. the same report at 100 thousand, 1 million and 10 million entries (up to BENCH_ENTRIES);
3. importing a BENCH_IMPORT_ROWS-row interchange CSV through `socialledger import` (full
   checks, all or nothing) against a bare sqlite3 executemany of the same rows into a plain
   table; the same rows as XLSX against the CSV; the peak memory of each import.

Environment: BENCH_ENTRIES (default 1,000,000; 10,000,000 for the full run), BENCH_IMPORT_ROWS
(default 1,000,000), BENCH_CONTRACTS (default 20,000; fewer only for a quick smoke run),
BENCH_DIR (default data/bench), DATABASE_URL (PostgreSQL: the benchmark makes its own databases
named after it, e.g. sl_bench_1m; without it, SQLite files).
Tests never assert timings; the goals live here (docs/performance.md).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import platform
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENTRIES = int(os.environ.get("BENCH_ENTRIES", "1000000"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))
CONTRACTS = os.environ.get("BENCH_CONTRACTS", "20000")  # fewer only for a quick smoke run
SCALES = [n for n in (100_000, 1_000_000, 10_000_000) if n <= ENTRIES] or [ENTRIES]
WORK = Path(os.environ.get("BENCH_DIR", ROOT / "data" / "bench")).resolve()
BASE_URL = os.environ.get("DATABASE_URL", "")
SEED = 7
PROVIDER = "NPA"  # the largest provider the generator makes
PEOPLE_MEASURES = {
    "jobs-sustained": 0.3,
    "jobs-created": 0.15,
    "training-non-accredited": 0.2,
    "training-accredited": 0.15,
    "work-experience": 0.12,
    "apprenticeships-created": 0.08,
}
BREAKDOWN_COLUMNS = ("hours", "sector", "role", "locality", "trade", "level")
IMPORT_HEADER = (
    "framework",
    "contract",
    "supplier",
    "member",
    "measure",
    "financial_year",
    "quantity",
    *BREAKDOWN_COLUMNS,
    "person_key",
    "status",
)


def main() -> None:
    if len(sys.argv) > 1:
        {"report": _measure_report, "duckdb": _measure_duckdb, "rows": _write_import_rows}[
            sys.argv[1]
        ]()
        return
    WORK.mkdir(parents=True, exist_ok=True)
    results = {"machine": _machine(), "database": "PostgreSQL" if BASE_URL else "SQLite"}
    results["entries"] = ENTRIES
    results["reports"] = {}
    for entries in SCALES:
        db = Database(f"{_short(entries)}")
        db.fresh()
        db.run("generate", "--entries", str(entries), "--seed", str(SEED), "--contracts", CONTRACTS)
        results["reports"][entries] = db.child("report")
        if entries == SCALES[-1]:
            results["duckdb"] = db.child("duckdb")
    results["import"] = _bench_import()
    results["dashboard"] = dashboard_requests_per_second()
    (WORK / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print_table(results)


# --- Databases ---------------------------------------------------------------------------------


class Database:
    """One benchmark database: a SQLite file under BENCH_DIR, or a PostgreSQL database named
    after DATABASE_URL's."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.folder = WORK / name
        if BASE_URL:
            parts = urlsplit(BASE_URL)
            self.dbname = f"{parts.path.lstrip('/') or 'sl_bench'}_{name}"
            self.url = urlunsplit(parts._replace(path=f"/{self.dbname}"))

    @property
    def env(self) -> dict:
        env = {**os.environ, "SOCIALLEDGER_DATA_DIR": str(self.folder)}
        # The benchmark imports a million rows in one file, past the size limits a site keeps for
        # uploads (docs/configuration.md); it raises them for itself, as an operator may.
        env.setdefault("SOCIALLEDGER_IMPORT_MAX_MB", "4096")
        env.setdefault("SOCIALLEDGER_WORKBOOK_MAX_UNPACKED_MB", "8192")
        if BASE_URL:
            env["DATABASE_URL"] = self.url
        else:
            env.pop("DATABASE_URL", None)
        return env

    def fresh(self, template: Database | None = None) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        if BASE_URL:
            _server(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
            copy = f' TEMPLATE "{template.dbname}"' if template else ""
            _server(f'CREATE DATABASE "{self.dbname}"{copy}')
        elif template:
            shutil.copy(template.folder / "socialledger.sqlite3", self.folder)
        if not template:
            self.run("migrate", "--noinput", "-v", "0")

    def run(self, *args: str) -> float:
        started = time.perf_counter()
        subprocess.run([BIN / "socialledger", *args], env=self.env, check=True)
        return time.perf_counter() - started

    def child(self, what: str, *args: str) -> dict:
        done = subprocess.run(
            [sys.executable, __file__, what, *args],
            env=self.env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])


def _server(sql: str) -> None:
    import psycopg

    parts = urlsplit(BASE_URL)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


def _short(entries: int) -> str:
    return f"{entries // 1_000_000}m" if entries >= 1_000_000 else f"{entries // 1000}k"


# --- 1 and 2: the report -----------------------------------------------------------------------


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialledger.settings")
    import django

    django.setup()
    from socialledger.organisations.models import Organisation
    from socialledger.reports.queries import Scope, latest_year

    provider = Organisation.objects.providers().get(reference=PROVIDER)
    return provider, Scope(provider), latest_year(Scope(provider))


def _measure_report() -> None:
    """Best of five of the provider's annual report, in this process, after one to warm up."""
    provider, scope, year = _django()
    from socialledger.reports.queries import annual_report
    from socialledger.returns.models import Entry

    annual_report(scope, year)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        report = annual_report(scope, year)
        times.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "seconds": min(times),
                "year": year.label,
                "provider_entries": Entry.objects.for_provider(provider).count(),
                "all_entries": Entry.objects.count(),
                "measures": len(report.measures),
            }
        )
    )


DUCKDB_SQL = """
CREATE OR REPLACE TEMP TABLE counted AS
SELECT e.*, s.state,
       e.person_key <> '' AND ROW_NUMBER() OVER (
           PARTITION BY e.measure_id, e.financial_year, e.person_key, s.state ORDER BY e.id
       ) > 1 AS repeat
FROM entries e
JOIN (VALUES ('reported'), ('verified')) s(state)
  ON (s.state = 'verified' AND e.status = 'verified')
  OR (s.state = 'reported' AND e.status IN ('submitted', 'queried', 'resubmitted', 'verified'));
"""
DUCKDB_QUERIES = {
    "history": "SELECT measure_id, financial_year, state, SUM(quantity), COUNT(*) FROM counted "
    "WHERE NOT repeat AND financial_year <= $year GROUP BY ALL",
    "breakdowns": "SELECT measure_id, financial_year, state, breakdown_key, SUM(quantity), "
    "COUNT(*) FROM counted WHERE NOT repeat AND financial_year IN ($year, $previous) GROUP BY ALL",
    "framework": "SELECT measure_id, financial_year, state, framework_id, SUM(quantity) "
    "FROM counted WHERE NOT repeat AND financial_year IN ($year, $previous) GROUP BY ALL",
    "member": "SELECT measure_id, financial_year, state, member_id, SUM(quantity) "
    "FROM counted WHERE NOT repeat AND financial_year IN ($year, $previous) GROUP BY ALL",
    "supplier": "SELECT measure_id, financial_year, state, supplier_id, SUM(quantity) "
    "FROM counted WHERE NOT repeat AND financial_year IN ($year, $previous) GROUP BY ALL",
    "like_for_like": "WITH per AS (SELECT contract_id, measure_id, financial_year, "
    "SUM(quantity) AS total FROM counted WHERE NOT repeat AND state = 'verified' "
    "AND financial_year IN ($year, $previous) GROUP BY ALL), "
    "both_years AS (SELECT contract_id FROM per GROUP BY contract_id "
    "HAVING COUNT(DISTINCT financial_year) = 2) "
    "SELECT measure_id, financial_year, SUM(total) FROM per "
    "WHERE contract_id IN (SELECT contract_id FROM both_years) GROUP BY ALL",
}


def _measure_duckdb() -> None:
    """The same aggregation in DuckDB over the provider's raw entries, loaded into memory first
    (loading is not timed): counted states, each person once, every grouping the report uses."""
    import duckdb
    from django.db import connection

    provider, _scope, year = _django()
    dump = WORK / "duckdb-entries.csv"
    sql = (
        "SELECT e.id, e.contract_id, e.measure_id, e.financial_year, e.breakdown_key, "
        "e.quantity, e.person_key, r.status, c.framework_id, c.member_id, c.supplier_id "
        "FROM returns_entry e JOIN returns_return r ON r.id = e.submission_id "
        "JOIN contracts_contract c ON c.id = e.contract_id "
        "JOIN contracts_framework f ON f.id = c.framework_id WHERE f.provider_id = %s"
    )
    with dump.open("w", newline="") as handle, connection.cursor() as cursor:
        writer = csv.writer(handle)
        cursor.execute(sql, [provider.pk])
        while rows := cursor.fetchmany(50_000):
            writer.writerows(rows)
    db = duckdb.connect()
    db.execute(
        "CREATE TABLE entries AS SELECT * FROM read_csv(?, header=false, columns={"
        "'id': 'BIGINT', 'contract_id': 'INTEGER', 'measure_id': 'INTEGER', "
        "'financial_year': 'INTEGER', 'breakdown_key': 'VARCHAR', 'quantity': 'BIGINT', "
        "'person_key': 'VARCHAR', 'status': 'VARCHAR', 'framework_id': 'INTEGER', "
        "'member_id': 'INTEGER', 'supplier_id': 'INTEGER'})",
        [str(dump)],
    )
    dump.unlink()
    params = {"year": year.start_year, "previous": year.start_year - 1}
    times = []
    for _ in range(3):
        started = time.perf_counter()
        db.execute(DUCKDB_SQL)
        for query in DUCKDB_QUERIES.values():
            used = {k: v for k, v in params.items() if f"${k}" in query}
            db.execute(query, used).fetchall()
        times.append(time.perf_counter() - started)
    rows = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    print(json.dumps({"seconds": min(times), "entries": rows, "threads": _duckdb_threads(db)}))


def _duckdb_threads(db) -> int:
    return db.execute("SELECT current_setting('threads')").fetchone()[0]


# --- 3: imports --------------------------------------------------------------------------------


def _bench_import() -> dict:
    """A ledger with the generator's contracts and no figures to speak of; the same rows as CSV
    and XLSX; each imported into a fresh copy of it, timed, with its peak memory."""
    base = Database("import-base")
    base.fresh()
    base.run("generate", "--entries", "0", "--seed", str(SEED), "--contracts", CONTRACTS)
    files = base.child("rows")
    baseline = _bare_executemany(Path(files["csv"]))
    result = {"rows": files["rows"], "baseline_seconds": baseline}
    for kind in ("csv", "xlsx"):
        target = Database(f"import-{kind}")
        target.fresh(template=base)
        seconds, peak = _import_with_peak_memory(target, Path(files[kind]))
        result[kind] = {"seconds": seconds, "peak_mb": peak}
    return result


def _write_import_rows() -> None:
    """Valid interchange rows for the provider's contracts: one person per row, each row a new
    entry, statuses verified; written as CSV and as XLSX (the XLSX is not timed)."""
    provider, _scope, _year = _django()
    from socialledger.contracts.models import Contract

    rng = random.Random(SEED)  # noqa: S311 - benchmark data, not secrets
    contracts = list(
        Contract.objects.for_provider(provider)
        .select_related("framework", "supplier", "member")
        .order_by("pk")
    )
    choices = _breakdown_values()
    measures, weights = list(PEOPLE_MEASURES), list(PEOPLE_MEASURES.values())
    csv_path, xlsx_path = WORK / "import.csv", WORK / "import.xlsx"
    with csv_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(IMPORT_HEADER)
        for number in range(IMPORT_ROWS):
            contract = contracts[min(int(len(contracts) ** rng.random()) - 1, len(contracts) - 1)]
            first, last = contract.starts_on.year, contract.ends_on.year - 1
            year = rng.randint(max(first, 2015), max(min(last, 2024), max(first, 2015)))
            measure = rng.choices(measures, weights)[0]
            takes = choices.get(measure, {})
            split = [rng.choice(takes[c]) if c in takes else "" for c in BREAKDOWN_COLUMNS]
            writer.writerow(
                [
                    contract.framework.reference,
                    contract.reference,
                    contract.supplier.reference,
                    contract.member.reference,
                    measure,
                    f"{year}-{(year + 1) % 100:02d}",
                    "1",
                    *split,
                    hashlib.blake2b(b"import/%d" % number, digest_size=32).hexdigest(),
                    "verified",
                ]
            )
    _as_xlsx(csv_path, xlsx_path)
    print(json.dumps({"csv": str(csv_path), "xlsx": str(xlsx_path), "rows": IMPORT_ROWS}))


def _breakdown_values() -> dict[str, dict[str, list[str]]]:
    """For each people measure, each breakdown column it takes and the values it accepts (a
    blank among them: not stated)."""
    from socialledger.measures.models import Measure

    found: dict[str, dict[str, list[str]]] = {}
    for measure in Measure.objects.filter(provider=None, code__in=PEOPLE_MEASURES):
        for dimension in measure.dimensions.all():
            if dimension.code in BREAKDOWN_COLUMNS:
                values = [v.code if dimension.closed else v.label for v in dimension.values.all()]
                found.setdefault(measure.code, {})[dimension.code] = [*values, ""]
    return found


def _as_xlsx(csv_path: Path, xlsx_path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
    sheet = book.add_worksheet("Figures")
    with csv_path.open(newline="") as handle:
        for number, row in enumerate(csv.reader(handle)):
            sheet.write_row(number, 0, row)
    book.close()


def _bare_executemany(path: Path) -> float:
    """The baseline: read the same CSV and executemany its rows into a plain SQLite table."""
    target = WORK / "bare.sqlite3"
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    db = sqlite3.connect(target)
    db.execute(f"CREATE TABLE rows ({', '.join(f'c{i} TEXT' for i in range(len(IMPORT_HEADER)))})")
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        marks = ", ".join("?" * len(IMPORT_HEADER))
        db.executemany(f"INSERT INTO rows VALUES ({marks})", reader)  # noqa: S608
    db.commit()
    db.close()
    seconds = time.perf_counter() - started
    target.unlink()
    return seconds


def _import_with_peak_memory(db: Database, path: Path) -> tuple[float, float]:
    """Run `socialledger import` in a child process; its peak memory is read with getrusage by a
    small parent of its own, so no other child of this benchmark is counted."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    command = [BIN / "socialledger", "import", str(path), "--provider", PROVIDER]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", probe, *map(str, command)],
        env=db.env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - started
    print(done.stdout.strip().rsplit("\n", 1)[0])
    return seconds, int(done.stdout.strip().splitlines()[-1]) / 1024


# --- The load tool's figure --------------------------------------------------------------------


def dashboard_requests_per_second() -> dict:
    """The provider dashboard's requests per second under 32 concurrent connections, served by
    gunicorn (several workers) on loopback, against a trivial page on the same server (goal: at
    least half; no failed request). It runs on the demo ledger: the dashboard reads summaries,
    so its cost does not grow with the entries behind them."""
    from socialledger.lib.instances import new_instance
    from socialledger.lib.loadtest import dashboard_against_trivial, serve

    print("Dashboard under load: serving the demo with gunicorn...", file=sys.stderr)
    instance = new_instance(WORK / "dashboard", BASE_URL)
    try:
        instance.run("demo", "--no-serve")
        with serve(instance) as base:
            seconds = float(os.environ.get("BENCH_LOAD", "20"))
            found = dashboard_against_trivial(base, seconds=seconds)
    finally:
        instance.remove()
    runs = ("cold", "dashboard", "trivial")
    failed = sum(len(found[run].failures) for run in runs)
    return {
        "cold": found["cold_rps"],
        "dashboard": found["dashboard_rps"],
        "trivial": found["trivial_rps"],
        "failed": failed,
    }


# --- The table ---------------------------------------------------------------------------------


def print_table(results: dict) -> None:
    rows = []
    reports = results["reports"]
    largest = max(reports, key=int)
    ours, duck = reports[largest]["seconds"], results["duckdb"]["seconds"]
    rows.append(
        (
            f"Annual report, {int(largest):,} entries",
            f"{ours * 1000:.0f} ms",
            f"DuckDB {duck * 1000:.0f} ms",
            ours / duck,
            "≤ 1× DuckDB",
            ours <= duck,
        )
    )
    smallest = min(reports, key=int)
    for entries in sorted(reports, key=int):
        if entries == smallest:
            continue
        growth = reports[entries]["seconds"] / reports[smallest]["seconds"]
        rows.append(
            (
                f"Annual report, {int(entries):,} entries",
                f"{reports[entries]['seconds'] * 1000:.0f} ms",
                f"{int(smallest):,}: {reports[smallest]['seconds'] * 1000:.0f} ms",
                growth,
                "≤ 2×",
                growth <= 2,
            )
        )
    imported = results["import"]
    n = imported["rows"]
    bare = n / imported["baseline_seconds"]
    for kind, against, goal, share in (
        ("csv", bare, "≥ 0.25×", 0.25),
        ("xlsx", None, "≥ 0.5×", 0.5),
    ):
        speed = n / imported[kind]["seconds"]
        base = against if against else n / imported["csv"]["seconds"]
        label = "bare executemany" if against else "CSV import"
        rows.append(
            (
                f"Import {n:,} rows, {kind.upper()}",
                f"{speed:,.0f} rows/s",
                f"{label} {base:,.0f} rows/s",
                speed / base,
                goal,
                speed / base >= share,
            )
        )
    for kind in ("csv", "xlsx"):
        peak = imported[kind]["peak_mb"]
        rows.append(
            (
                f"Peak memory, {kind.upper()} import",
                f"{peak:,.0f} MB",
                "—",
                peak / 500,
                "< 500 MB",
                peak < 500,
            )
        )
    found = results["dashboard"]
    ratio = found["dashboard"] / found["trivial"]
    rows.append(
        (
            "Dashboard, fresh server (cold)",
            f"{found['cold']:,.1f} req/s",
            f"trivial page {found['trivial']:,.0f} req/s",
            found["cold"] / found["trivial"],
            "(each process builds once)",
            None,
        )
    )
    rows.append(
        (
            "Dashboard, 32 connections",
            f"{found['dashboard']:,.0f} req/s",
            f"trivial page {found['trivial']:,.0f} req/s",
            ratio,
            "≥ 0.5×, no failures",
            ratio >= 0.5 and not found["failed"],
        )
    )
    print(f"\nSocial Ledger benchmark on {results['database']}, {results['machine']}\n")
    widths = (34, 16, 30, 8, 20, 4)
    print(
        "  ".join(
            h.ljust(w)
            for h, w in zip(
                ("figure", "value", "baseline", "ratio", "goal", "met"), widths, strict=True
            )
        )
    )
    for name, value, baseline, ratio, goal, met in rows:
        shown = "—" if ratio is None else f"{ratio:.2f}×"
        verdict = "—" if met is None else ("yes" if met else "no")
        cells = (name, value, baseline, shown, goal, verdict)
        print("  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)))
    print(f"\nFigures written to {WORK / 'results.json'}.")


def _machine() -> str:
    cpus = os.cpu_count()
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        memory = 0
    return f"{platform.processor() or platform.machine()}, {cpus} CPUs, {memory:.0f} GB"


if __name__ == "__main__":
    main()
