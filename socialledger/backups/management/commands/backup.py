"""socialledger backup FILE: a consistent copy of the database and evidence, while running."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from socialledger.backups.archive import BackupError, make_backup


class Command(BaseCommand):
    help = "Back up the database and evidence files into one archive (safe while the app runs)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file", type=Path, help="The archive to write, e.g. ledger-2025-05-01.tar.gz"
        )

    def handle(self, *args, **options) -> None:
        target: Path = options["file"]
        if target.exists():
            raise CommandError(f"{target} exists already; choose another name.")
        try:
            manifest = make_backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = target.stat().st_size / 1_048_576
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {manifest['engine']} database and "
                f"{manifest['media_files']} evidence "
                f"file(s) to {target} ({size:.1f} MB)."
            )
        )
