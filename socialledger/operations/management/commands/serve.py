"""socialledger serve: the production web server (gunicorn), after checking it can serve.

Before it starts it runs the start-up checks (the database answers, pg_dump can back it up) and
refuses to serve a database with migrations not yet applied, unless told to apply them
(--migrate, for a single server or a container). Static files are served by WhiteNoise from the
package; collectstatic runs first only when SOCIALLEDGER_STATIC_ROOT asks for a copy.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = "Serve the site with gunicorn (docs/deploy.md), after the start-up checks."
    requires_system_checks = []  # run below, with the database checks too

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default=settings.SERVE_BIND, help="host:port to listen on")
        parser.add_argument(
            "--workers", type=int, default=settings.SERVE_WORKERS, help="worker processes"
        )
        parser.add_argument(
            "--migrate", action="store_true", help="apply waiting migrations before serving"
        )

    def handle(self, *args, **options) -> None:
        call_command("check", databases=["default"], deploy=not settings.DEBUG)
        waiting = migrations_waiting()
        if waiting and not options["migrate"]:
            raise CommandError(
                f"{waiting} migration(s) are not applied to the database yet: run "
                "`socialledger migrate` first (or serve with --migrate)."
            )
        if waiting:
            call_command("migrate", interactive=False, verbosity=1)
        if settings.STATIC_ROOT:
            call_command("collectstatic", interactive=False, verbosity=0)
        connection.close()  # each gunicorn worker opens its own
        web_server(gunicorn_options(options["bind"], options["workers"])).run()


def migrations_waiting() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def gunicorn_options(bind: str, workers: int) -> dict:
    """Worker processes with threads: a slow PDF does not hold up the pages behind it."""
    return {
        "bind": bind,
        "workers": workers or min(2 * (os.cpu_count() or 1) + 1, 8),
        "worker_class": "gthread",
        "threads": settings.SERVE_THREADS,
        "timeout": settings.SERVE_TIMEOUT,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Each worker is replaced after a while, so memory a long life gathered is given back.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "accesslog": "-",
        "errorlog": "-",
        # Behind the proxy SOCIALLEDGER_BEHIND_PROXY trusts, its forwarded headers are believed.
        "forwarded_allow_ips": "*"
        if getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        else "127.0.0.1,::1",
    }


def web_server(options: dict):
    """gunicorn's application for our WSGI app, configured from options, not its command line."""
    from gunicorn.app.base import BaseApplication

    class SocialLedgerServer(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from socialledger.wsgi import application

            return application

    return SocialLedgerServer()
