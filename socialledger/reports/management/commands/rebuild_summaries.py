"""socialledger rebuild_summaries: work the report summary tables out again from the entries."""

from __future__ import annotations

from django.db import transaction

from socialledger.cli import LedgerCommand
from socialledger.lib.progress import Progress
from socialledger.organisations.models import Organisation
from socialledger.reports.summaries import differences, rebuild
from socialledger.returns.models import Entry, State


class Command(LedgerCommand):
    help = (
        "Rebuild the summary tables reports read, from the entries, for one provider or all. "
        "Never needed in normal running (every write keeps them true); use it after loading "
        "entries behind the product's back, or with --check to compare them with the entries."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--provider", help="Provider reference (default: every provider)")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only compare the summaries with the entries and list any difference",
        )

    def handle(self, *args, **options) -> None:
        providers = Organisation.objects.providers().order_by("reference")
        if options["provider"]:
            providers = [self.get_provider(options)]
        for provider in providers:
            if options["check"]:
                self._check(provider)
            else:
                self._rebuild(provider)

    def _rebuild(self, provider: Organisation) -> None:
        counted = Entry.objects.for_provider(provider).counted_as(State.REPORTED).count()
        shown = Progress(f"Summaries of {provider}", counted, unit="entries", stream=self.stderr)
        with shown, transaction.atomic():
            rebuild(provider, progress=shown.advance)

    def _check(self, provider: Organisation) -> None:
        found = differences(provider)
        for line in found[:50]:
            self.stderr.write(f"  {line}")
        verdict = f"{len(found)} difference(s)" if found else "true to the entries"
        self.stdout.write(f"Summaries of {provider}: {verdict}.")
