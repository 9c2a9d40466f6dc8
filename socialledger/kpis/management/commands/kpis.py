"""socialledger kpis due | export: Procurement Act KPI ratings due, and the notice data."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from socialledger.cli import LedgerCommand
from socialledger.contracts.models import Contract
from socialledger.kpis.queries import (
    contracts_short_of_kpis,
    notice_csv,
    notice_json,
    performance_notice,
    ratings_due,
)

RENDER = {"csv": notice_csv, "json": notice_json}


class Command(LedgerCommand):
    help = (
        "Procurement Act 2023 KPIs (docs/kpis.md): `due` lists ratings overdue or due soon and "
        "contracts above the threshold with fewer than three KPIs; `export` writes every rating "
        "with what a contract performance notice needs, as CSV or JSON."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("what", choices=["due", "export"])
        parser.add_argument("--format", choices=list(RENDER), default="csv")
        parser.add_argument("-o", "--output", type=Path, help="Write the export to this file")
        self.add_provider_arguments(parser)

    def handle(self, *args, **options) -> None:
        provider = self.get_provider(options)
        contracts = Contract.objects.for_provider(provider)
        if options["what"] == "due":
            self._due(contracts)
            return
        text = RENDER[options["format"]](performance_notice(contracts, timezone.localdate()))
        if not options["output"]:
            self.stdout.write(text, ending="")
            return
        options["output"].write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote the KPI ratings to {options['output']}."))

    def _due(self, contracts) -> None:
        due = ratings_due(contracts, timezone.localdate())
        for line in due:
            contract = line.kpi.contract
            state = "OVERDUE" if line.status == "overdue" else "due"
            self.stdout.write(
                f"{state:8} {line.due_on:%d %b %Y}  {contract.framework.reference}/"
                f"{contract.reference}  {line.kpi.title}"
            )
        short = contracts_short_of_kpis(contracts)
        for contract in short:
            self.stdout.write(
                f"{'SHORT':8} {contract.kpi_count} of 3 KPIs  {contract.framework.reference}/"
                f"{contract.reference}  {contract.title} (£{contract.value:,})"
            )
        if not due and not short:
            self.stdout.write("No KPI rating is due and no contract is short of KPIs.")
