"""What the product writes itself (the SQLite database, backups, exports, reports saved to a
file) is readable by its own user only: other accounts on the server cannot read the ledger."""

import os
import stat
import subprocess
import sys

from django.core.management import call_command

from socialledger.backups.archive import make_backup
from socialledger.returns.tests.factories import make_return


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_backup_is_written_for_its_owner_only(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_backup(tmp_path / "ledger.tar.gz")
    assert mode(tmp_path / "ledger.tar.gz") == 0o600


def test_exports_and_saved_reports_are_written_for_their_owner_only(
    supplier, contract, olivia_officer, tmp_path
):
    make_return(supplier, [(contract, "jobs-created", 4)])
    call_command("export", "--output", str(tmp_path / "entries.csv"))
    call_command("report", "--year", "2023-24", "--output", str(tmp_path / "report.md"))
    call_command("report", "--year", "2023-24", "--format", "pdf", "-o", str(tmp_path / "r.pdf"))
    for name in ("entries.csv", "report.md", "r.pdf"):
        assert mode(tmp_path / name) == 0o600, name


def test_the_sqlite_database_is_created_for_its_owner_only(tmp_path):
    env = {**os.environ, "SOCIALLEDGER_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    opens_the_database = (
        "import django; django.setup(); from django.db import connection; "
        "connection.ensure_connection()"
    )
    subprocess.run(  # noqa: S603 - the interpreter running the tests, our own code
        [sys.executable, "-c", opens_the_database],
        env={**env, "DJANGO_SETTINGS_MODULE": "socialledger.settings"},
        check=True,
    )
    assert mode(tmp_path / "socialledger.sqlite3") == 0o600
    assert mode(tmp_path / "secret-key") == 0o600
