"""socialledger import FILE: check every row (or release), then write all of them or none."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from socialledger.cli import LedgerCommand
from socialledger.imports.actions import (
    import_entries,
    import_ocds_package,
    import_opening_balances,
    import_return_workbook,
    is_opening_balance_table,
)
from socialledger.imports.ocds import is_ocds_package, package_releases, read_package
from socialledger.imports.reading import ImportRefused, read_table
from socialledger.imports.setup import import_setup_file, is_setup_table
from socialledger.imports.values import is_value_set_table
from socialledger.imports.workbook import is_return_workbook, read_workbook
from socialledger.lib.progress import Progress
from socialledger.returns.actions import TransitionError
from socialledger.returns.models import Return


class Command(LedgerCommand):
    help = (
        "Import figures from an interchange CSV or XLSX (docs/import-format.md), a set-up file "
        "(docs/setup-file.md), opening balances, "
        "a supplier's filled-in return workbook, or frameworks and contracts from an OCDS release "
        "package (.json, docs/ocds.md). Everything is checked first; on any problem nothing is "
        "written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and count, write nothing")
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create suppliers, members and contracts the file names but the ledger lacks "
            "(for OCDS: organisations no identifier matches)",
        )
        parser.add_argument(
            "--as-framework",
            action="store_true",
            help="OCDS: take a notice that does not say whether it is a framework or a call-off "
            "as a framework (Contracts Finder's framework award notices say neither)",
        )
        parser.add_argument(
            "--skip-unreadable",
            action="store_true",
            help="OCDS: leave out a process that cannot be read (for instance a notice that is "
            "neither a framework nor a call-off) and list it, instead of refusing the file",
        )
        self.add_provider_arguments(parser)

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        provider = self.get_provider(options)
        by = self.get_user(options)
        try:
            if path.suffix.lower() == ".xlsx" and is_return_workbook(path):
                self._import_workbook(path, provider, by, options["dry_run"])
                return
            if path.suffix.lower() == ".json":
                self._import_ocds(path, provider, by, options)
                return
            table = read_table(path)
            self.stdout.write(f"Reading {path} ({table.encoding}).")
            if is_value_set_table(table):
                raise CommandError(
                    f"{path} is a value set; load it with `socialledger import_values {path} "
                    "--code CODE --name NAME` (docs/value-sets.md)."
                )
            if is_setup_table(table):
                summary = import_setup_file(provider, table, by=by, dry_run=options["dry_run"])
                self.stdout.write(self.style.SUCCESS(str(summary)))
                return
            if is_opening_balance_table(table):
                count = import_opening_balances(provider, table, by=by, dry_run=options["dry_run"])
                verb = "Would set" if options["dry_run"] else "Set"
                self.stdout.write(self.style.SUCCESS(f"{verb} {count} opening balances."))
                return
            summary = import_entries(
                provider,
                table,
                by=by,
                create_missing=options["create_missing"],
                dry_run=options["dry_run"],
                progress=lambda what, total: Progress(what, total, stream=self.stderr),
            )
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"{path}: {len(refused.problems)} problem(s) found; nothing was written."
            ) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))

    def _import_ocds(self, path: Path, provider, by, options) -> None:
        """An OCDS release package: frameworks, lots and call-off contracts."""
        package = read_package(path)
        if not is_ocds_package(package):
            raise CommandError(
                f'{path} is JSON but not an OCDS release or record package (no "releases" or '
                '"records").'
            )
        self.stdout.write(f"Read {len(package_releases(package))} releases from {path}.")
        summary = import_ocds_package(
            provider,
            package,
            by=by,
            create_missing=options["create_missing"],
            dry_run=options["dry_run"],
            as_framework=options["as_framework"],
            skip_unreadable=options["skip_unreadable"],
        )
        self.stdout.write(self.style.SUCCESS(str(summary)))

    def _import_workbook(self, path: Path, provider, by, dry_run: bool) -> None:
        """A supplier's return workbook: it names its return, which must be this provider's."""
        about = read_workbook(path).about
        ret = Return.objects.for_provider(provider).filter(pk=about.get("return", "0") or 0).first()
        if ret is None:
            raise CommandError(
                f"{path} is a return workbook for a return {provider} does not have."
            )
        try:
            summary = import_return_workbook(ret, path, by=by, dry_run=dry_run, via="import")
        except TransitionError as error:
            raise CommandError(str(error)) from None
        verb = "Would replace" if dry_run else "Replaced"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} the figures of {ret}: {summary.added} added, {summary.changed} changed, "
                f"{summary.unchanged} unchanged, {summary.removed} removed."
            )
        )
