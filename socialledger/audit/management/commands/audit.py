"""socialledger audit verify: recompute every audit chain and name the first broken event."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from socialledger.audit.models import chain_head, chain_key, chain_keys, verify_chain
from socialledger.organisations.models import Organisation


class Command(BaseCommand):
    help = "Check the audit log's hash chains: every event as written, none deleted or inserted."

    def add_arguments(self, parser) -> None:
        parser.add_argument("what", choices=["verify"], help="verify: check the chains")
        parser.add_argument("--provider", help="Only this provider's chain (its reference)")

    def handle(self, *args, **options) -> None:
        keys = self._keys(options.get("provider"))
        broken = 0
        for key in keys:
            problem = verify_chain(key)
            label = self._label(key)
            if problem:
                broken += 1
                self.stderr.write(f"{label}: BROKEN – {problem}")
            else:
                length, head_hash = chain_head(key)
                # The head, noted elsewhere, lets a later check spot a chain rewritten whole.
                self.stdout.write(f"{label}: intact ({length} events, last hash {head_hash})")
        if broken:
            raise CommandError(f"{broken} of {len(keys)} audit chain(s) are broken.")
        self.stdout.write(self.style.SUCCESS(f"All {len(keys)} audit chain(s) are intact."))

    def _keys(self, reference: str | None) -> list[str]:
        if not reference:
            return chain_keys()
        provider = Organisation.objects.providers().filter(reference__iexact=reference).first()
        if provider is None:
            raise CommandError(f'No provider has the reference "{reference}".')
        return [chain_key(provider.pk)]

    def _label(self, key: str) -> str:
        if key.startswith("provider-"):
            provider = Organisation.objects.filter(pk=int(key.removeprefix("provider-"))).first()
            return f"{provider.name} ({provider.reference})" if provider else key
        return "System events"
