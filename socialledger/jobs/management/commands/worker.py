"""socialledger worker: run the background jobs (uploads, summary rebuilds, reminders).

It is the task library's database worker (django-tasks-db's `db_worker`, with all its options),
plus a clock that queues the rounds' due reminders every SOCIALLEDGER_REMINDERS_EVERY_MINUTES, so
no cron entry is needed. Run one or more beside the web server; each job runs once, in one of
them. SIGTERM or Ctrl+C lets the job in hand finish first.
"""

from __future__ import annotations

import logging
import os
import threading

from django.conf import settings
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

logger = logging.getLogger(__name__)


class Command(DatabaseWorker):
    help = (
        "Run the background jobs: uploads, summary rebuilds, and the rounds' reminders every "
        "SOCIALLEDGER_REMINDERS_EVERY_MINUTES minutes (docs/jobs.md)."
    )

    def handle(self, *args, **options) -> None:
        minutes = settings.REMINDERS_EVERY_MINUTES
        # With --reload the command runs twice: in a watching parent and in the child that
        # works. Only the one that works keeps the clock.
        watching = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if minutes > 0 and not watching:
            clock = threading.Thread(
                target=queue_reminders, args=(minutes * 60,), name="reminders", daemon=True
            )
            clock.start()
        super().handle(*args, **options)


def queue_reminders(every: float, stop: threading.Event | None = None) -> None:
    """Queue the reminders task now and every `every` seconds: the worker runs it like any
    other job. Sending is idempotent (each reminder goes once), so several workers may each
    queue it."""
    from socialledger.jobs.tasks import send_due_reminders

    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            send_due_reminders.enqueue()
        except Exception:  # a busy or unreachable database: try again next time
            logger.exception("Could not queue the reminders")
        finally:
            connections.close_all()  # this thread's own connections
        stop.wait(every)
