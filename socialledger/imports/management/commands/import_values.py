"""socialledger import_values FILE: load a value set (CSV or XLSX) as a new, immutable version."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from socialledger.cli import LedgerCommand
from socialledger.imports.actions import import_value_set
from socialledger.imports.reading import ImportRefused, read_table
from socialledger.valuation.actions import ChoiceError


class Command(LedgerCommand):
    help = (
        "Load a value set from a CSV or XLSX file (docs/value-sets.md) as a new version. Every "
        "row is checked first; on any problem nothing is written. The set stays in this instance."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--code", required=True, help="Short code, e.g. my-licensed-set")
        parser.add_argument("--name", required=True, help="The set's name as reports show it")
        parser.add_argument(
            "--set-version", type=int, help="Version number (default: one above the latest)"
        )
        parser.add_argument("--description", default="", help="What the set is and where from")
        parser.add_argument(
            "--choose",
            metavar="REASON",
            default="",
            help="Also value the provider's figures with it from now on, for this reason",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check, write nothing")
        self.add_provider_arguments(parser)

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        provider, by = self.get_provider(options), self.get_user(options)
        try:
            table = read_table(path)
            value_set = import_value_set(
                provider,
                table,
                code=options["code"],
                name=options["name"],
                version=options["set_version"],
                description=options["description"],
                choose_reason=options["choose"],
                by=by,
                dry_run=options["dry_run"],
            )
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"{path}: {len(refused.problems)} problem(s) found; nothing was written."
            ) from None
        except ChoiceError as error:
            raise CommandError(str(error)) from None
        verb = "Would load" if options["dry_run"] else "Loaded"
        chosen = " and chose it" if options["choose"] else ""
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {value_set.label} ({len(table.rows)} values){chosen}.")
        )
