"""Lists cut into pieces small enough for one query's `IN (...)` on every database."""

from __future__ import annotations

from collections.abc import Iterator

IDS_PER_QUERY = 500  # well under every supported database's limit on parameters


def in_chunks(items: list, size: int = IDS_PER_QUERY) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
