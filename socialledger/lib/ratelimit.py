"""Counting requests in the shared cache, so a limit holds across every server process."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def within_limit(kind: str, who: str, *, limit: int, seconds: int) -> bool:
    """Count one more request of this kind by this party; False once the limit is passed within
    the window (which starts at the first request counted)."""
    key = f"ratelimit:{kind}:{hashlib.sha256(who.encode()).hexdigest()}"
    if cache.add(key, 1, timeout=seconds):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between the two calls: this request starts a new one
        cache.add(key, 1, timeout=seconds)
        count = 1
    return count <= limit
