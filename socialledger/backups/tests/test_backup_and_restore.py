"""A backup taken while the product runs restores into a fresh database with every report and
the audit chain exactly as they were (both databases, through the real commands)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

EVERY_REPORT = """
import json
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
print(json.dumps(reports, sort_keys=True))
"""


def ledger(*args, env, check=True):
    command = [sys.executable, "-m", "socialledger.cli", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if check and result.returncode != 0:
        raise AssertionError(
            f"socialledger {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result


def environment(folder: Path, database: str | None) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "socialledger.settings",
            "SOCIALLEDGER_DATA_DIR": str(folder),
            "SECRET_KEY": "backup-test-secret-" + "x" * 40,
        }
    )
    if database:
        env["DATABASE_URL"] = database
    return env


@pytest.fixture(scope="module")
def original_and_restored(tmp_path_factory):
    """The demo in one database, backed up; and a second, empty database to restore into."""
    folder = tmp_path_factory.mktemp("backup")
    url = os.environ.get("DATABASE_URL", "")
    names = [f"sl_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    if url.startswith("postgres"):
        _create_databases(url, names)
        base = url.rsplit("/", 1)[0]
        envs = [environment(folder / name, f"{base}/{name}") for name in names]
    else:
        envs = [environment(folder / name, None) for name in names]
    original, restored = envs
    ledger("demo", "--no-serve", env=original)
    evidence = Path(original["SOCIALLEDGER_DATA_DIR"]) / "media" / "evidence" / "kept.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 kept")
    archive = folder / "ledger.tar.gz"
    made = ledger("backup", str(archive), env=original).stdout
    yield original, restored, archive, made
    if url.startswith("postgres"):
        _drop_databases(url, names)


def _create_databases(url: str, names: list[str]) -> None:
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')


def _drop_databases(url: str, names: list[str]) -> None:
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def every_report(env) -> dict:
    return json.loads(ledger("shell", "--no-imports", "-c", EVERY_REPORT, env=env).stdout)


def test_a_restored_backup_has_every_report_and_an_intact_audit_chain(original_and_restored):
    original, restored, archive, made = original_and_restored
    assert "1 evidence file(s)" in made
    ledger("restore", str(archive), env=restored)
    assert every_report(restored) == every_report(original)
    assert "intact" in ledger("audit", "verify", env=restored).stdout
    kept = Path(restored["SOCIALLEDGER_DATA_DIR"]) / "media" / "evidence" / "kept.pdf"
    assert kept.read_bytes() == b"%PDF-1.4 kept"


def test_restore_refuses_to_overwrite_data_without_force(original_and_restored):
    original, _restored, archive, _made = original_and_restored
    refused = ledger("restore", str(archive), env=original, check=False)
    assert refused.returncode != 0
    assert "already holds data" in refused.stderr
    assert ledger("restore", str(archive), "--force", env=original).returncode == 0


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    fake = tmp_path / "fake.tar.gz"
    fake.write_bytes(b"not an archive")
    result = ledger("restore", str(fake), env=environment(tmp_path, None), check=False)
    assert result.returncode != 0
    assert "is not a Social Ledger backup" in result.stderr


def test_backup_never_overwrites_an_existing_file(tmp_path):
    existing = tmp_path / "ledger.tar.gz"
    existing.write_text("precious")
    result = ledger("backup", str(existing), env=environment(tmp_path, None), check=False)
    assert "exists already" in result.stderr
    assert existing.read_text() == "precious"
