"""A backup taken while the product runs restores into a fresh database with every report and
the audit chain exactly as they were (both databases, through the real commands), and a backup
taken while another process keeps writing holds whole transactions only."""

import json
import time

import pytest

from socialledger.lib.instances import Instance, new_instance

pytestmark = pytest.mark.slow

EVERY_REPORT = """
import json
from socialledger.audit.models import chain_head, chain_keys
from socialledger.organisations.models import Organisation
from socialledger.reports.queries import annual_report, scope_from_text
from socialledger.reports.renderers import report_data
provider = Organisation.objects.providers().get()
reports = {
    f"{year} {scope}": report_data(
        annual_report(scope_from_text(provider, scope), provider.financial_year(year))
    )
    for year in (2021, 2022, 2023, 2024)
    for scope in ("provider", "framework:DEC", "member:LFH", "supplier:CRS", "contract:RDF/RDF-001")
}
reports["audit chains"] = {key: chain_head(key) for key in chain_keys()}
print(json.dumps(reports, sort_keys=True))
"""
# Adds one-day returns of three figures each (three transactions: open, save, submit) until
# SECONDS have passed.
KEEP_WRITING = """
import time
from datetime import date, timedelta
from decimal import Decimal
from socialledger.contracts.models import Contract
from socialledger.measures.models import Measure
from socialledger.returns.actions import Fact, open_return, save_entries, submit_return
contract = Contract.objects.get(reference="DEC-001")
jobs = Measure.objects.get(provider=None, code="jobs-created")
day, until = date(2000, 4, 1), time.monotonic() + SECONDS
while time.monotonic() < until:
    ret = open_return(contract.supplier, period_start=day, period_end=day, by=None)
    facts = [Fact(contract, jobs, day, day, Decimal(n + 1), description=str(n)) for n in range(3)]
    save_entries(ret, facts, by=None)
    submit_return(ret, by=None)
    day += timedelta(days=1)
"""
WHOLE_TRANSACTIONS = """
import json
from django.db.models import Count, F
from socialledger.audit.models import chain_keys, verify_chain
from socialledger.reports.consistency import ledger_inconsistencies
from socialledger.returns.models import Return
written = Return.objects.filter(period_start=F("period_end")).annotate(n=Count("entries"))
print(json.dumps({
    "returns": written.count(),
    "sizes": sorted({r.n for r in written}),
    "broken_chains": [p for p in map(verify_chain, chain_keys()) if p],
    "inconsistencies": ledger_inconsistencies(),
}))
"""


def every_report(instance: Instance) -> dict:
    return json.loads(instance.shell(EVERY_REPORT))


@pytest.fixture(scope="module")
def original_and_restored(tmp_path_factory):
    """The demo in one database, backed up; and a second, empty database to restore into."""
    folder = tmp_path_factory.mktemp("backup")
    original, restored = new_instance(folder / "original"), new_instance(folder / "restored")
    original.run("demo", "--no-serve")
    evidence = original.folder / "media" / "evidence" / "kept.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 kept")
    archive = folder / "ledger.tar.gz"
    made = original.run("backup", str(archive)).stdout
    yield original, restored, archive, made
    original.remove()
    restored.remove()


def test_a_restored_backup_has_every_report_and_an_intact_audit_chain(original_and_restored):
    original, restored, archive, made = original_and_restored
    # The file kept here and the demo's three case study pictures.
    assert "4 evidence file(s)" in made
    restored.run("restore", str(archive))
    assert every_report(restored) == every_report(original)
    assert "intact" in restored.run("audit", "verify").stdout
    kept = restored.folder / "media" / "evidence" / "kept.pdf"
    assert kept.read_bytes() == b"%PDF-1.4 kept"
    pictures = sorted((restored.folder / "media" / "case-studies").rglob("*.jpg"))
    assert [p.read_bytes() for p in pictures] == [
        (original.folder / p.relative_to(restored.folder)).read_bytes() for p in pictures
    ]
    assert len(pictures) == 3


def test_restore_refuses_to_overwrite_data_without_force(original_and_restored):
    original, _restored, archive, _made = original_and_restored
    refused = original.run("restore", str(archive), check=False)
    assert refused.returncode != 0
    assert "already holds data" in refused.stderr
    assert original.run("restore", str(archive), "--force").returncode == 0


def test_a_backup_taken_while_another_process_writes_holds_whole_transactions(tmp_path):
    instance = new_instance(tmp_path / "busy")
    instance.run("demo", "--no-serve")
    writer = instance.start("shell", "--no-imports", "-c", KEEP_WRITING.replace("SECONDS", "8"))
    time.sleep(3)
    archive = tmp_path / "during-writes.tar.gz"
    instance.run("backup", str(archive))
    assert writer.wait(timeout=120) == 0, (instance.folder / "command.log").read_text()
    restored = new_instance(tmp_path / "restored")
    restored.run("restore", str(archive))
    found = json.loads(restored.shell(WHOLE_TRANSACTIONS))
    assert found["returns"] > 0  # the backup was taken in the middle of the writing
    assert set(found["sizes"]) <= {0, 3}  # a return's figures are all there or not yet saved
    assert found["broken_chains"] == []
    assert found["inconsistencies"] == []
    for done in (instance, restored):
        done.remove()


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    fake = tmp_path / "fake.tar.gz"
    fake.write_bytes(b"not an archive")
    result = Instance(tmp_path).run("restore", str(fake), check=False)
    assert result.returncode != 0
    assert "is not a Social Ledger backup" in result.stderr


def test_backup_never_overwrites_an_existing_file(tmp_path):
    existing = tmp_path / "ledger.tar.gz"
    existing.write_text("precious")
    result = Instance(tmp_path).run("backup", str(existing), check=False)
    assert "exists already" in result.stderr
    assert existing.read_text() == "precious"
