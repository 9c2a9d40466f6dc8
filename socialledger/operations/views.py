"""Health answers for load balancers and orchestrators: no sign-in, no page, a few bytes of JSON."""

from __future__ import annotations

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Alive: the process answers (it asks nothing of the database, so a restart is not
    triggered by a database outage)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: the database answers, every migration is applied, the cache works."""
    problems = [problem for check in (_database, _migrations, _cache) if (problem := check())]
    if problems:
        return JsonResponse({"status": "unavailable", "problems": problems}, status=503)
    return JsonResponse({"status": "ok"})


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "the database does not answer"
    return ""


def _migrations() -> str:
    try:
        executor = MigrationExecutor(connection)
        waiting = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return ""  # already said by the database check
    return f"{len(waiting)} migration(s) not applied yet" if waiting else ""


def _cache() -> str:
    try:
        cache.set("readyz", "ok", timeout=10)
        return "" if cache.get("readyz") == "ok" else "the cache does not keep values"
    except Exception:  # any backend's failure (a missing table, Redis out of reach) is an answer
        return "the cache cannot be reached"
