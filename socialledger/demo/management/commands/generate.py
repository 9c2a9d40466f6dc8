"""socialledger generate --entries N [--seed S]: a synthetic national-scale ledger."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from socialledger.demo.synthetic import CONTRACTS, GenerateError, generate
from socialledger.lib.progress import Progress


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic ledger: several providers, frameworks and lots, "
        "about 20,000 contracts, ten financial years of returns and N entries with breakdowns "
        "and pseudonymous people. For benchmarks and load tests (docs/performance.md)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--entries", type=int, required=True, help="How many entries (0: contracts only)"
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same ledger")
        parser.add_argument(
            "--contracts", type=int, default=CONTRACTS, help=f"How many contracts ({CONTRACTS:,})"
        )

    def handle(self, *args, **options) -> None:
        if options["entries"] < 0 or options["contracts"] < 1:
            raise CommandError("--entries must be 0 or more, and --contracts at least 1.")
        try:
            made = generate(
                options["entries"],
                seed=options["seed"],
                contracts=options["contracts"],
                progress=lambda what, total: Progress(what, total, stream=self.stderr),
            )
        except GenerateError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {made.entries:,} entries in {made.returns:,} returns on "
                f"{made.contracts:,} contracts of {made.providers} providers; summaries rebuilt."
            )
        )
