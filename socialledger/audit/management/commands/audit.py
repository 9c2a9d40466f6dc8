"""socialledger audit verify: recompute every audit chain and name the first broken event;
with --against, check the log against heads kept elsewhere (published reports, saved)."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from socialledger.audit.models import chain_head, chain_key, chain_keys, verify_chain
from socialledger.audit.seals import check_seal, seals_in
from socialledger.organisations.models import Organisation

# A published page or PDF is small; this stops a wrong address filling memory.
MOST_BYTES = 50 * 1024 * 1024
TIMEOUT_SECONDS = 30


class Command(BaseCommand):
    help = "Check the audit log's hash chains: every event as written, none deleted or inserted."

    def add_arguments(self, parser) -> None:
        parser.add_argument("what", choices=["verify"], help="verify: check the chains")
        parser.add_argument("--provider", help="Only this provider's chain (its reference)")
        parser.add_argument(
            "--against",
            action="append",
            metavar="FILE_OR_URL",
            help="A published report (its page, PDF or JSON, saved or at its address) whose "
            "audit head the log must still hold; may be given several times",
        )

    def handle(self, *args, **options) -> None:
        if options["against"]:
            self._against(options["against"])
            return
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

    def _against(self, sources: list[str]) -> None:
        """Every head found in the sources must still be in the log, unchanged."""
        broken = checked = 0
        for source in sources:
            seals = seals_in(_read(source))
            if not seals:
                raise CommandError(f"{source} holds no audit head (is it a published report?).")
            for seal in seals:
                checked += 1
                problem = check_seal(seal)
                where = f"{source}: {self._label(seal.chain)} at event {seal.length}"
                if problem:
                    broken += 1
                    self.stderr.write(f"{where}: BROKEN – {problem}")
                    continue
                signed = ""
                if seal.signature:
                    signed = (
                        ", signature checked"
                        if settings.AUDIT_SIGNING_KEY
                        else " (signed, but no signing key is set here to check it)"
                    )
                self.stdout.write(f"{where}: the log still holds it{signed}")
        if broken:
            raise CommandError(f"{broken} of {checked} published audit head(s) do not match.")
        self.stdout.write(
            self.style.SUCCESS(f"The log holds all {checked} published audit head(s).")
        )

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


def _read(source: str) -> bytes:
    """A saved file, or what an http(s) address answers."""
    if source.startswith(("https://", "http://")):
        try:
            with urllib.request.urlopen(source, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 - http(s) only, checked above
                return answer.read(MOST_BYTES)
        except OSError as error:
            raise CommandError(f"{source} could not be read: {error}") from None
    path = Path(source)
    if not path.is_file():
        raise CommandError(f"{source} is not a file or an http(s) address.")
    return path.read_bytes()
