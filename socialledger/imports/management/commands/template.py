"""socialledger template: the workbook a supplier fills in for its return."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from socialledger.cli import LedgerCommand
from socialledger.imports.actions import return_workbook
from socialledger.lib.periods import PeriodError
from socialledger.organisations.models import Organisation
from socialledger.returns.models import Return


class Command(LedgerCommand):
    help = "Write the Excel workbook a supplier fills in for its return for a year."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--supplier", required=True, help="The supplier's reference or name")
        parser.add_argument("--year", required=True, help='Financial year, e.g. "2023-24"')
        parser.add_argument(
            "-o", "--output", type=Path, required=True, help="Where to write the .xlsx"
        )
        self.add_provider_arguments(parser)

    def handle(self, *args, **options) -> None:
        provider = self.get_provider(options)
        supplier = (
            Organisation.objects.in_provider(provider)
            .suppliers()
            .matching(options["supplier"])
            .first()
        )
        if supplier is None:
            raise CommandError(f'{provider} has no supplier "{options["supplier"]}".')
        try:
            year = provider.parse_year(options["year"])
        except PeriodError as error:
            raise CommandError(str(error)) from None
        ret = (
            Return.objects.filter(supplier=supplier, financial_year=year.start_year)
            .order_by("period_start")
            .first()
        )
        if ret is None:
            raise CommandError(
                f"{supplier} has no return for {year.label}; open a round for that year first."
            )
        options["output"].write_bytes(return_workbook(ret))
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote the {ret.period_label} workbook of {supplier} to {options['output']}."
            )
        )
