"""socialledger report_by_outcome: a scope's figures for a year under an outcome model."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from socialledger.cli import LedgerCommand
from socialledger.outcomes.management.commands.outcome_model import model_from_label
from socialledger.outcomes.output import FORMATS, render
from socialledger.outcomes.reading import by_outcome, model_of_scope
from socialledger.reports.queries import latest_year


class Command(LedgerCommand):
    help = "Print a scope's figures for a financial year grouped by the outcomes of a model."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--model",
            metavar="MODEL@VERSION",
            help="The model version (default for --contract: the one it was procured under)",
        )
        self.add_scope_arguments(
            parser, year_help='Financial year, e.g. "2023-24" (default: latest verified)'
        )
        parser.add_argument("--basis", choices=["verified", "reported"], default="verified")
        parser.add_argument("--format", choices=FORMATS, default="text")
        parser.add_argument(
            "-o", "--output", type=Path, help="Write to this file instead of the screen"
        )
        self.add_provider_arguments(parser)

    def handle(self, *args, **options) -> None:
        provider = self.get_provider(options)
        scope, year = self.get_scope_and_year(provider, options)
        year = year or latest_year(scope)
        if year is None:
            raise CommandError(
                "There are no verified figures in this scope; give a year with --year."
            )
        model = (
            model_from_label(provider, options["model"])
            if options["model"]
            else model_of_scope(scope)
        )
        if model is None:
            raise CommandError(
                "Name the outcome model with --model CODE@VERSION; only a contract that records "
                "the model it was procured under has one of its own."
            )
        text = render(by_outcome(scope, year, model, basis=options["basis"]), options["format"])
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {options['output']}."))
            return
        self.stdout.write(text, ending="")
