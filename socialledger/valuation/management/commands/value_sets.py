"""socialledger value_sets: list the value sets a provider may use, and choose one."""

from __future__ import annotations

from django.core.management.base import CommandError

from socialledger.cli import LedgerCommand
from socialledger.valuation.actions import ChoiceError, choose_value_set
from socialledger.valuation.models import ValueSet, ValueSetChoice


class Command(LedgerCommand):
    help = "List value sets and the provider's history of choices; --choose switches sets."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--choose", metavar="CODE[:VERSION]", help="Value figures with this set from now on"
        )
        parser.add_argument("--reason", default="", help="Why (printed beside restatements)")
        self.add_provider_arguments(parser)

    def handle(self, *args, **options) -> None:
        provider = self.get_provider(options)
        if options["choose"]:
            value_set = self._find(provider, options["choose"])
            try:
                choose_value_set(
                    provider, value_set, by=self.get_user(options), reason=options["reason"]
                )
            except ChoiceError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(self.style.SUCCESS(f"{provider} now uses {value_set.label}."))
        self._list(provider)

    def _find(self, provider, text: str) -> ValueSet:
        code, _, version = text.partition(":")
        sets = ValueSet.objects.available_to(provider).filter(code=code)
        found = sets.filter(version=int(version)).first() if version.isdigit() else None
        found = found or (None if version else sets.order_by("-version").first())
        if found is None:
            raise CommandError(
                f'No value set "{text}"; run `socialledger value_sets` to list them.'
            )
        return found

    def _list(self, provider) -> None:
        self.stdout.write("Value sets:")
        for value_set in ValueSet.objects.available_to(provider).prefetch_related("values"):
            owner = "shipped" if value_set.provider_id is None else "this provider's own"
            self.stdout.write(
                f"  {value_set.code}:{value_set.version}  {value_set.label} ({owner}; "
                f"{value_set.values.count()} measures valued)"
            )
        self.stdout.write("Choices, oldest first:")
        for choice in ValueSetChoice.objects.for_provider(provider).select_related("value_set"):
            self.stdout.write(
                f"  {choice.chosen_at:%Y-%m-%d}  {choice.value_set.label}: {choice.reason}"
            )
