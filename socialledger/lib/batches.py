"""Helpers for bulk work: lists cut into pieces small enough for one query's `IN (...)` on every
database, and planner statistics brought up to date after writing many rows."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection

IDS_PER_QUERY = 500  # well under every supported database's limit on parameters
STATISTICS_STALE_AFTER = 50_000  # rows written in one transaction


def in_chunks(items: list, size: int = IDS_PER_QUERY) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def refresh_statistics(*models, written: int) -> None:
    """After one transaction wrote many rows, fresh planner statistics for these tables, so the
    rest of the transaction is planned knowing them.

    Why: autovacuum cannot count rows before they are committed, so PostgreSQL goes on planning
    with the tables' old sizes; a million-row import into a young ledger then read each chunk of
    people by scanning every entry (0.2 s a chunk, five minutes in all) instead of through the
    person index. ANALYZE inside the transaction sees its own rows. SQLite's queries name their
    indexes, and a few rows change no plan, so both are left alone."""
    if connection.vendor != "postgresql" or written < STATISTICS_STALE_AFTER:
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
