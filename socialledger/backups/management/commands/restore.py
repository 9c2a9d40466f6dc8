"""socialledger restore FILE: put a backup's database and evidence files back."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from socialledger.backups.archive import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `socialledger backup` into the configured database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already holds data"
        )

    def handle(self, *args, **options) -> None:
        source: Path = options["file"]
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        try:
            manifest = restore_backup(source, force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        # A backup from an older release is brought up to date.
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} "
                f"({manifest['media_files']} evidence file(s)). "
                "Run `socialledger audit verify` to check it."
            )
        )
