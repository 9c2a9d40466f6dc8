"""socialledger explain: the working behind a £ figure, step by step, with every source."""

from __future__ import annotations

from django.core.management.base import CommandError

from socialledger.cli import LedgerCommand
from socialledger.lib.periods import PeriodError
from socialledger.reports.queries import (
    annual_report,
    latest_year,
    parse_price_year,
    scope_from_text,
)
from socialledger.reports.working import TOTAL, working_lines


class Command(LedgerCommand):
    help = (
        "Show how a £ social value figure was made: entries × value × adjustments × deflator, "
        "with every source and the value set version."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", help='Financial year, e.g. "2023-24" (default: latest)')
        parser.add_argument(
            "--measure", default=TOTAL, help=f"A measure code, or {TOTAL} (the default)"
        )
        parser.add_argument(
            "--scope", help="provider (default), framework:REF, member:REF or supplier:REF"
        )
        parser.add_argument("--basis", choices=["verified", "reported"], default="verified")
        parser.add_argument("--price-year", help='Prices for real £, e.g. "2024-25"')
        self.add_provider_arguments(parser)

    def handle(self, *args, **options) -> None:
        provider = self.get_provider(options)
        try:
            scope = scope_from_text(provider, options["scope"])
            year = provider.parse_year(options["year"]) if options["year"] else latest_year(scope)
            price_year = parse_price_year(options["price_year"])
        except (PeriodError, ValueError) as error:
            raise CommandError(str(error)) from None
        if year is None:
            raise CommandError("There are no verified figures in this scope; give --year.")
        report = annual_report(scope, year, basis=options["basis"], price_year=price_year)
        code = options["measure"]
        if code != TOTAL and report.money and code not in {m.code for m in report.money.lines}:
            known = ", ".join(m.code for m in report.money.lines)
            raise CommandError(f'"{code}" is not a counted measure; use {TOTAL} or one of: {known}')
        self.stdout.write("\n".join(working_lines(report, code)))
