"""socialledger export: entries as the interchange format, CSV or XLSX, ready to import again."""

from __future__ import annotations

from pathlib import Path

from socialledger.cli import LedgerCommand
from socialledger.imports.exporting import entries_in, write_csv, write_xlsx
from socialledger.returns.models import Entry


class Command(LedgerCommand):
    help = (
        "Write the entries of a scope and financial year as a long CSV or XLSX in the "
        "interchange format (docs/import-format.md); the file imports again unchanged."
    )

    def add_arguments(self, parser) -> None:
        self.add_scope_arguments(
            parser, year_help='Financial year, e.g. "2023-24" (default: every year)'
        )
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("-o", "--output", type=Path, required=True, help="The file to write")
        self.add_provider_arguments(parser)

    def handle(self, *args, **options) -> None:
        provider = self.get_provider(options)
        scope, year = self.get_scope_and_year(provider, options)
        entries = entries_in(Entry.objects.all(), scope, year)
        path: Path = options["output"]
        progress = lambda n: self.stderr.write(f"  {n:,} entries written…")  # noqa: E731
        if options["format"] == "xlsx":
            count = write_xlsx(entries, str(path), progress)
        else:
            with path.open("w", encoding="utf-8", newline="") as target:
                count = write_csv(entries, target, progress)
        what = year.label if year else "every year"
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {count:,} entries ({scope.label}, {what}) to {path}.")
        )
