"""socialledger demo: set up a database with the demo provider, print its report, and serve,
with one background worker beside the server (stopped with it)."""

from __future__ import annotations

import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from socialledger.accounts.models import Role
from socialledger.demo.builder import DEMO_PASSWORD, build_demo, demo_logins, demo_provider
from socialledger.lib.periods import FinancialYear
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render_text

DEMO_YEAR = FinancialYear(2023)


class Command(BaseCommand):
    help = (
        "Create the demo database, print its 2023-24 report and serve the web app, with a "
        "background worker for uploads and reminders."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="Set up and print; do not serve"
        )
        parser.add_argument(
            "--address", default="127.0.0.1:8000", help="Where to serve (host:port)"
        )

    def handle(self, *args, **options) -> None:
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        provider = demo_provider()
        if provider is None:
            self.stdout.write("Loading the demo provider, its contracts and returns…")
            provider = build_demo()
        else:
            self.stdout.write("The demo provider is already loaded; using it as it is.")
        self.stdout.write("")
        self.stdout.write(render_text(annual_report(Scope(provider), DEMO_YEAR)))
        self._print_logins(options["address"])
        if not options["no_serve"]:
            self._serve(options["address"])

    def _serve(self, address: str) -> None:
        """The web server in this process and `socialledger worker` in another, for as long as
        the server runs."""
        worker = subprocess.Popen(
            [sys.executable, "-m", "socialledger.cli", "worker", "--verbosity", "0"]
        )
        # Stopped from outside (SIGTERM), the server still stops its worker on the way out.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            call_command("runserver", address, use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    def _print_logins(self, address: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"Open http://{address}/ and sign in as one of:"))
        for username, role, organisation in demo_logins():
            self.stdout.write(f"  {username:<10} {Role(role).label} at {organisation}")
        self.stdout.write(f"Every demo user's password is: {DEMO_PASSWORD}")
        self.stdout.write("")
