"""Backups: one archive holding a consistent copy of the database and every evidence file.

SQLite is copied with its online backup API, which gives a consistent snapshot while the product
keeps running; PostgreSQL with pg_dump, which reads one consistent snapshot too. Evidence files
are copied after the database snapshot, from local disk or from the object store (S3) alike.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection

import socialledger

FORMAT = "social-ledger-backup"
VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def make_backup(target: Path) -> dict:
    """Write the archive; returns its manifest."""
    kind = engine()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        database = work / ("database.sqlite3" if kind == "sqlite" else "database.dump")
        _dump_sqlite(database) if kind == "sqlite" else _dump_postgres(database)
        media = Path(settings.MEDIA_ROOT)
        stored = None if _on_local_disk() else list(_stored_names())
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "engine": kind,
            "product_version": socialledger.__version__,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": database.name,
            "media_files": len(stored) if stored is not None else _count_files(media),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / "manifest.json", arcname="manifest.json")
            archive.add(database, arcname=database.name)
            if stored is not None:
                _add_stored_files(archive, stored)
            elif media.is_dir():
                archive.add(media, arcname="media")
        # Only a finished archive takes the name asked for.
        os.replace(partial, target)
    return manifest


def _on_local_disk() -> bool:
    return isinstance(default_storage, FileSystemStorage)


def _stored_names(folder: str = ""):
    """Every file's name in the object store, folder by folder."""
    folders, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _stored_names(f"{folder}/{sub}" if folder else sub)


def _add_stored_files(archive: tarfile.TarFile, names: list[str]) -> None:
    """Stream each stored file into the archive under media/, as local disk would be."""
    for name in names:
        with default_storage.open(name, "rb") as stored:
            member = tarfile.TarInfo(f"media/{name}")
            member.size, member.mode = default_storage.size(name), 0o600
            archive.addfile(member, stored)


def _dump_sqlite(target: Path) -> None:
    """SQLite's online backup, in one step: it reads one consistent snapshot (writers carry on
    meanwhile in WAL mode) and copies every page of it."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _dump_postgres(target: Path) -> None:
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _dbname_argument()])


def _dbname_argument() -> str:
    settings_dict = connection.settings_dict
    parts = {
        "host": settings_dict.get("HOST") or "",
        "port": str(settings_dict.get("PORT") or ""),
        "user": settings_dict.get("USER") or "",
        "dbname": settings_dict["NAME"],
    }
    return "--dbname=" + " ".join(f"{key}={value}" for key, value in parts.items() if value)


def _run(command: list[str]) -> None:
    env = {**os.environ}
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed; install the PostgreSQL client tools.")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _count_files(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else 0


def read_manifest(source: Path) -> dict:
    try:
        with tarfile.open(source, "r:gz") as archive:
            member = archive.extractfile("manifest.json")
            manifest = json.loads(member.read()) if member else {}
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as error:
        raise BackupError(f"{source} is not a Social Ledger backup ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a Social Ledger backup.")
    return manifest


def restore_backup(source: Path, *, force: bool = False) -> dict:
    """Put an archive's database and evidence files in place of the configured ones."""
    manifest = read_manifest(source)
    kind = engine()
    if manifest["engine"] != kind:
        raise BackupError(
            f"This is a {manifest['engine']} backup; the configured database is {kind}."
        )
    if _has_data() and not force:
        raise BackupError(
            "The configured database already holds data; restore with --force to replace it."
        )
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        if not hasattr(tarfile, "data_filter"):
            raise BackupError("Restoring needs Python 3.11.4 or newer (safe archive extraction).")
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work, filter="data")
        database = work / manifest["database"]
        _load_sqlite(database) if kind == "sqlite" else _load_postgres(database)
        if _on_local_disk():
            _replace_media(work / "media")
        else:
            _replace_stored_files(work / "media")
    return manifest


def _has_data() -> bool:
    tables = connection.introspection.table_names()
    if "organisations_organisation" not in tables:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM organisations_organisation")
        return cursor.fetchone()[0] > 0


def _load_sqlite(database: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(database)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()


def _load_postgres(database: Path) -> None:
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            _dbname_argument(),
            str(database),
        ]
    )


def _replace_media(folder: Path) -> None:
    """Copy the backup's evidence beside the current folder, then swap the two, so a failed copy
    never leaves the instance with half its evidence."""
    target = Path(settings.MEDIA_ROOT)
    incoming, outgoing = (
        target.with_name(target.name + ".restoring"),
        target.with_name(target.name + ".replaced"),
    )
    for leftover in (incoming, outgoing):
        shutil.rmtree(leftover, ignore_errors=True)
    if folder.is_dir():
        shutil.copytree(folder, incoming)
    else:
        incoming.mkdir(parents=True)
    if target.exists():
        target.rename(outgoing)
    incoming.rename(target)
    shutil.rmtree(outgoing, ignore_errors=True)


def _replace_stored_files(folder: Path) -> None:
    """Put the backup's evidence in the object store, then remove what the backup did not hold;
    a failed upload leaves every file there was, never half of them."""
    incoming = (
        {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}
        if folder.is_dir()
        else {}
    )
    for name, path in incoming.items():
        if default_storage.exists(name):
            default_storage.delete(name)
        with path.open("rb") as content:
            saved = default_storage.save(name, File(content))
        if saved != name:
            raise BackupError(f"The object store kept {name} as {saved}; restore again.")
    for name in set(_stored_names()) - set(incoming):
        default_storage.delete(name)
