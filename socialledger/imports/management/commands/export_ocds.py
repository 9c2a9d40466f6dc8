"""socialledger export_ocds: contracts, commitments and delivery as an OCDS release package."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from socialledger.cli import LedgerCommand
from socialledger.imports.ocds_export import ocds_release_package, package_json
from socialledger.imports.ocds_performance import performance_notice_package


class Command(LedgerCommand):
    help = (
        "Write the contracts of a scope (live in a year, or all) with their frameworks, "
        "commitments and delivered figures as an OCDS 1.1 release package (docs/ocds.md)."
    )

    def add_arguments(self, parser) -> None:
        self.add_scope_arguments(
            parser, year_help='Financial year, e.g. "2023-24" (default: every contract and year)'
        )
        parser.add_argument(
            "--performance-notices",
            action="store_true",
            help="Write the KPI ratings as contract performance notices instead: a release per "
            "contract and rating period",
        )
        parser.add_argument(
            "-o", "--output", type=Path, help="Write to this file instead of the screen"
        )
        self.add_provider_arguments(parser)

    def handle(self, *args, **options) -> None:
        provider = self.get_provider(options)
        scope, year = self.get_scope_and_year(provider, options)
        if options["performance_notices"]:
            package = performance_notice_package(scope, timezone.localdate())
        else:
            package = ocds_release_package(scope, year)
        text = package_json(package)
        if not options["output"]:
            self.stdout.write(text, ending="")
            return
        options["output"].write_text(text, encoding="utf-8")
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(package['releases'])} releases to {options['output']}.")
        )
