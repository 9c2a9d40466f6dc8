"""An import of 200,000 rows killed (SIGKILL) at random moments leaves the database with all of
it or none of it, an intact audit chain, and reports that still equal the raw entries; the same
import then runs to the end when tried again.

Each attempt starts from a copy of the same demo database. The moments are drawn across the time
a complete import takes; the seed is printed so a failure can be replayed. Two kills normally,
twenty under `make stress`, which also
imports again after the last kill.
"""

import csv
import json
import random
import time

import pytest

from socialledger.lib.instances import new_instance

pytestmark = pytest.mark.slow
ROWS = 200_000
HEADINGS = "framework contract supplier member measure financial_year quantity description status"
# Read in one snapshot: counted in separate transactions, a commit landing between two reads
# would look like a half-written import.
STATE = """
import json
from django.db import connection, transaction
from socialledger.audit.models import chain_keys, verify_chain
from socialledger.reports.consistency import ledger_inconsistencies
from socialledger.returns.models import Entry
with transaction.atomic():
    if connection.vendor == "postgresql":
        connection.cursor().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    print(json.dumps({
        "entries": Entry.objects.count(),
        "broken_chains": [problem for problem in map(verify_chain, chain_keys()) if problem],
        "inconsistencies": ledger_inconsistencies(),
    }))
"""


def write_big_import(path) -> None:
    """200,000 figures for one demo supplier's open 2024-25 return, each a distinct fact."""
    with path.open("w", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(HEADINGS.split())
        for n in range(ROWS):
            contract, member = ("RDF-003", "ACH") if n % 2 else ("RDF-005", "HNT")
            measure = "jobs-created" if n % 3 else "jobs-sustained"
            rows.writerow(
                [
                    "RDF",
                    contract,
                    "OBS",
                    member,
                    measure,
                    "2024-25",
                    1 + n % 7,
                    f"figure {n}",
                    "submitted",
                ]
            )


def state(instance) -> dict:
    return json.loads(instance.shell(STATE).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("killed")
    instance = new_instance(folder / "demo")
    instance.run("demo", "--no-serve")
    big = folder / "big.csv"
    write_big_import(big)
    yield instance, big
    instance.remove()


def test_a_killed_import_leaves_all_of_it_or_none_of_it(demo, tmp_path, stress):
    template, big = demo
    before = state(template)
    assert before["broken_chains"] == []
    assert before["inconsistencies"] == []
    complete = template.copy(tmp_path / "complete")
    started = time.monotonic()
    complete.run("import", str(big))
    duration = time.monotonic() - started
    after = state(complete)
    complete.remove()
    assert after == {**before, "entries": before["entries"] + ROWS}

    seed = random.randrange(1_000_000)  # noqa: S311 - moments to kill at, not secrets
    kills = 20 if stress else 2
    moments = random.Random(seed).sample(range(1, int(duration * 10)), kills)  # noqa: S311
    landed = {"none": 0, "all": 0}
    for attempt, tenths in enumerate(moments):
        trial = template.copy(tmp_path / f"kill-{attempt}")
        importing = trial.start("import", str(big))
        time.sleep(tenths / 10)
        importing.kill()
        importing.wait()
        trial.wait_until_unused()
        found = state(trial)
        assert found in (before, after), f"seed {seed}, killed after {tenths / 10} s: {found}"
        landed["none" if found == before else "all"] += 1
        if stress and attempt == len(moments) - 1:
            trial.run("import", str(big))  # tried again, it goes through
            assert state(trial) == after
        trial.remove()
    print(  # noqa: T201
        f"\n{ROWS} rows ({template.engine}): a complete import took {duration:.1f} s; "
        f"{len(moments)} kills (seed {seed}) left none of it {landed['none']} times, "
        f"all of it {landed['all']} times"
    )
