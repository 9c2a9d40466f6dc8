"""Start-up checks (`socialledger check --database default`, and `socialledger serve` before it
starts): each says what is missing and what to do, before a person meets the failure."""

from __future__ import annotations

import re
import shutil
import subprocess

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections


@register(Tags.database)
def pg_dump_matches_the_server(databases=None, **kwargs) -> list:
    """Backups of PostgreSQL need pg_dump of the server's major version or newer."""
    if not databases or "default" not in databases:
        return []
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return []
    try:
        connection.ensure_connection()
        server = connection.pg_version // 10000
    except DatabaseError:
        return []  # Django's own checks say the database is out of reach
    found = client_major_version("pg_dump")
    hint = f"Install the PostgreSQL {server} client tools (Debian: postgresql-client-{server})."
    if found is None:
        return [
            Warning(
                "pg_dump is not installed, so `socialledger backup` cannot run.",
                hint=hint,
                id="socialledger.W001",
            )
        ]
    if found < server:
        return [
            Warning(
                f"pg_dump is version {found} but the database server is {server}; "
                "pg_dump will refuse to back it up.",
                hint=hint,
                id="socialledger.W002",
            )
        ]
    return []


def client_major_version(program: str) -> int | None:
    """The major version of a PostgreSQL client program on PATH, or None if there is none."""
    path = shutil.which(program)
    if path is None:
        return None
    said = subprocess.run(  # noqa: S603 - a program found on PATH, with a fixed argument
        [path, "--version"], capture_output=True, text=True, check=False
    ).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", said)
    return int(found.group(1)) if found else None
