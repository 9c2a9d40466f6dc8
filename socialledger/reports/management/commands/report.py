"""socialledger report: the annual report for a scope and financial year."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from socialledger.cli import LedgerCommand
from socialledger.lib.periods import PeriodError
from socialledger.reports.documents import render_pdf, render_xlsx
from socialledger.reports.queries import (
    annual_report,
    latest_year,
    parse_price_year,
)
from socialledger.reports.renderers import FORMATS, render

BINARY_FORMATS = {"pdf": render_pdf, "xlsx": render_xlsx}


class Command(LedgerCommand):
    help = "Print the annual social value report for a financial year against the year before."

    def add_arguments(self, parser) -> None:
        self.add_scope_arguments(
            parser, year_help='Financial year, e.g. "2023-24" (default: latest verified)'
        )
        parser.add_argument("--basis", choices=["verified", "reported"], default="verified")
        parser.add_argument("--format", choices=[*FORMATS, *BINARY_FORMATS], default="text")
        parser.add_argument(
            "--price-year",
            help='Financial year whose prices real £ are given in, e.g. "2023-24" '
            "(default: the latest year of the GDP deflator series)",
        )
        parser.add_argument(
            "-o", "--output", type=Path, help="Write to this file instead of the screen"
        )
        self.add_provider_arguments(parser)

    def handle(self, *args, **options) -> None:
        provider = self.get_provider(options)
        scope, year = self.get_scope_and_year(provider, options)
        year = year or latest_year(scope)
        try:
            price_year = parse_price_year(options["price_year"])
        except (PeriodError, ValueError) as error:
            raise CommandError(str(error)) from None
        if year is None:
            raise CommandError(
                "There are no verified figures in this scope; give a year with --year."
            )
        report = annual_report(scope, year, basis=options["basis"], price_year=price_year)
        if options["format"] in BINARY_FORMATS:
            self._write_binary(report, options)
            return
        text = render(report, options["format"])
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stdout.write(
                self.style.SUCCESS(f"Wrote the {year.label} report to {options['output']}.")
            )
        else:
            self.stdout.write(text, ending="")

    def _write_binary(self, report, options) -> None:
        """PDF and XLSX are files, never printed to a terminal: they need -o FILE."""
        if not options["output"]:
            raise CommandError(f"--format {options['format']} writes a file: give -o FILE.")
        options["output"].write_bytes(BINARY_FORMATS[options["format"]](report))
        self.stdout.write(
            self.style.SUCCESS(f"Wrote the {report.year.label} report to {options['output']}.")
        )
