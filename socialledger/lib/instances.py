"""Whole instances of the product for the tests that run it as its users do: in other processes,
through the `socialledger` command and a real web server, each on its own database.

An instance is a data folder plus, on PostgreSQL, a database of its own next to the one named by
DATABASE_URL (on SQLite the database is a file in the folder). The backup, crash and load tests
and `make bench` use these; nothing in the product itself does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

# Variables of the test run that must not leak into an instance's processes.
_NOT_INHERITED = ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "SOCIALLEDGER_DATA_DIR")


class CommandFailed(AssertionError):
    """A `socialledger` command that was expected to succeed did not."""


@dataclass
class Instance:
    """One installation: its data folder, its database, and the environment its processes get."""

    folder: Path
    database_url: str = ""

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "socialledger.settings",
                "SOCIALLEDGER_DATA_DIR": str(self.folder),
                "SECRET_KEY": "instance-secret-" + "x" * 40,
            }
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    @property
    def engine(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    @property
    def sqlite_file(self) -> Path:
        return self.folder / "socialledger.sqlite3"

    def command(self, *args: str) -> list[str]:
        """The argv that runs `socialledger ARGS` for this instance (with this Python)."""
        return [sys.executable, "-m", "socialledger.cli", *args]

    def run(self, *args: str, check: bool = True, **extra_env: str):
        """Run `socialledger ARGS` to completion; with check, a failure raises CommandFailed."""
        result = subprocess.run(  # noqa: S603 - our own command, with arguments we chose
            self.command(*args),
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise CommandFailed(
                f"socialledger {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def start(self, *args: str, **extra_env: str) -> subprocess.Popen:
        """Start `socialledger ARGS` in the background (output kept in the folder)."""
        log = (self.folder / "command.log").open("ab")
        return subprocess.Popen(  # noqa: S603
            self.command(*args), env={**self.env, **extra_env}, stdout=log, stderr=log
        )

    def shell(self, code: str) -> str:
        """Run Python inside the instance (Django set up); what it printed."""
        return self.run("shell", "--no-imports", "-c", code).stdout

    def wait_until_unused(self, timeout: float = 60) -> None:
        """Wait until no session is connected to the database. PostgreSQL carries on with a
        killed client's last statement (a COMMIT among them) until it finds the client gone;
        only then is what the client left behind settled. A SQLite writer dies with its
        process."""
        if not self.database_url:
            return
        deadline = time.monotonic() + timeout
        # Autocommit: each look is its own transaction, so it sees the activity afresh.
        with _admin_connection(self.database_url) as admin:
            while time.monotonic() < deadline:
                (sessions,) = admin.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [_name(self)]
                ).fetchone()
                if not sessions:
                    return
                time.sleep(0.1)
        raise TimeoutError(f"{_name(self)} still had sessions after {timeout:.0f} s")

    def copy(self, folder: Path) -> Instance:
        """A second instance holding exactly this one's data (the database copied whole)."""
        shutil.copytree(self.folder, folder)
        if not self.database_url:
            return Instance(folder)
        copy = Instance(folder, _sibling_url(self.database_url, _database_name(self.database_url)))
        _admin(self.database_url, f'CREATE DATABASE "{_name(copy)}" TEMPLATE "{_name(self)}"')
        return copy

    def remove(self) -> None:
        """Delete the instance: its database and its folder."""
        if self.database_url:
            _admin(self.database_url, f'DROP DATABASE IF EXISTS "{_name(self)}" WITH (FORCE)')
        shutil.rmtree(self.folder, ignore_errors=True)


def new_instance(folder: Path, database_url: str | None = None) -> Instance:
    """An empty instance in `folder`: on PostgreSQL (when `database_url`, by default the
    DATABASE_URL of this process, names one) a new database beside it; else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "") if database_url is None else database_url
    folder.mkdir(parents=True, exist_ok=True)
    if not url.startswith("postgres"):
        return Instance(folder)
    instance = Instance(folder, _sibling_url(url, _database_name(url)))
    _admin(url, f'CREATE DATABASE "{_name(instance)}"')
    return instance


def _database_name(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?")[0] or "socialledger"


def _sibling_url(url: str, base_name: str) -> str:
    """The same server, a new database named after the configured one (so that parallel runs
    with different DATABASE_URLs never meet)."""
    name = f"{base_name[:40]}_i{uuid.uuid4().hex[:10]}"
    return f"{url.rsplit('/', 1)[0]}/{name}"


def _name(instance: Instance) -> str:
    return _database_name(instance.database_url)


def _admin(url: str, statement: str) -> None:
    with _admin_connection(url) as admin:
        admin.execute(statement)


def _admin_connection(url: str):
    """An autocommit connection to the server's `postgres` database, beside the instance's own."""
    import psycopg

    return psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True)
