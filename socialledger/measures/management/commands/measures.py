"""socialledger measures: the measures a provider can report on, with units and breakdowns."""

from __future__ import annotations

from socialledger.cli import LedgerCommand
from socialledger.measures.models import Measure


class Command(LedgerCommand):
    help = "List measure codes, units, breakdowns and definitions (the codes the import expects)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--definitions", action="store_true", help="Show each definition too")
        self.add_provider_arguments(parser)

    def handle(self, *args, **options) -> None:
        provider = (
            self.get_provider(options)
            if Measure.objects.filter(provider__isnull=False).exists()
            else None
        )
        measures = Measure.objects.available_to(provider).prefetch_related(
            "dimensions", "components__component"
        )
        for measure in measures:
            self.stdout.write(self._describe(measure))
            if options["definitions"]:
                self.stdout.write(f"    {measure.definition} (version {measure.version})")

    def _describe(self, measure: Measure) -> str:
        if measure.is_derived:
            parts = " + ".join(part.component.code for part in measure.components.all())
            extra = f"derived: {parts}"
        else:
            breakdowns = ", ".join(d.code for d in measure.dimensions.all()) or "none"
            extra = f"breakdowns: {breakdowns}"
        return f"{measure.code:<28} {measure.get_unit_display():<22} {measure.name} ({extra})"
