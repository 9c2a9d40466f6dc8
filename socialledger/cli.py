"""The `socialledger` command: Django's management utility with the settings preset.

The product's own commands (demo, import, report, measures) and Django's (migrate,
createsuperuser, runserver) share this one entry point.
"""

from __future__ import annotations

import os
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


def main(argv: list[str] | None = None) -> None:
    """Run a command; a database that is busy or out of reach is one line on stderr and exit
    status 75, so the person (or a script) knows to try again."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialledger.settings")
    from django.core.management import execute_from_command_line

    from socialledger.errors import TRY_AGAIN_LATER, database_trouble

    try:
        execute_from_command_line(argv or sys.argv)
    except Exception as error:
        message = database_trouble(error)
        if message is None:
            raise
        sys.stderr.write(f"socialledger: {message}\n")
        sys.exit(TRY_AGAIN_LATER)


class LedgerCommand(BaseCommand):
    """A management command that acts for one provider, optionally as a named user."""

    def add_provider_arguments(self, parser) -> None:
        parser.add_argument("--provider", help="Provider reference (needed when there are several)")
        parser.add_argument(
            "--user", help="Username to record as the person acting (default: system)"
        )

    def get_provider(self, options):
        from socialledger.organisations.models import Organisation

        providers = Organisation.objects.providers()
        reference = options.get("provider")
        if reference:
            provider = providers.filter(reference__iexact=reference).first()
            if provider is None:
                raise CommandError(f'No provider has the reference "{reference}".')
            return provider
        found = list(providers[:2])
        if not found:
            raise CommandError(
                "There is no provider yet; run `socialledger setup` (or `socialledger demo`)."
            )
        if len(found) > 1:
            refs = ", ".join(providers.values_list("reference", flat=True))
            raise CommandError(f"There are several providers; choose one with --provider ({refs}).")
        return found[0]

    def add_scope_arguments(self, parser, *, year_help: str) -> None:
        parser.add_argument("--year", help=year_help)
        parser.add_argument(
            "--scope",
            help="provider (default), framework:REF, member:REF, supplier:REF or "
            "contract:FRAMEWORK/REF",
        )

    def get_scope_and_year(self, provider, options):
        """The scope and financial year asked for (None when no year was given)."""
        from socialledger.lib.periods import PeriodError
        from socialledger.reports.scopes import scope_from_text

        try:
            scope = scope_from_text(provider, options["scope"])
            year = provider.parse_year(options["year"]) if options["year"] else None
        except (PeriodError, ValueError) as error:
            raise CommandError(str(error)) from None
        return scope, year

    def get_user(self, options):
        username = options.get("user")
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f'No active user is called "{username}".')
        return user


if __name__ == "__main__":
    main()
