"""socialledger setup: the first provider and its first admin, on an empty (or any) database."""

from __future__ import annotations

import getpass

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from socialledger.accounts.actions import start_provider

QUESTIONS = (
    ("name", "The provider's name (e.g. Northway Procurement)"),
    ("reference", "A short reference for it (letters, digits, . _ -; e.g. NWPP)"),
    ("username", "Your username"),
    ("email", "Your e-mail address"),
)


class Command(BaseCommand):
    help = (
        "Set up a provider and its first admin (asking for anything not given), then say where "
        "to go next. Everything else is set up on the web."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", help="The provider's name")
        parser.add_argument("--reference", help="The provider's short reference, e.g. NWPP")
        parser.add_argument("--username", help="The first admin's username")
        parser.add_argument("--email", help="The first admin's e-mail address")
        parser.add_argument(
            "--password-file",
            help="Read the first admin's password from this file (else it is asked for)",
        )
        parser.add_argument(
            "--year-start-month",
            type=int,
            default=4,
            help="The month the provider's financial year starts (default 4, April)",
        )
        parser.add_argument(
            "--no-input", action="store_true", help="Ask nothing; fail if a value is missing"
        )

    def handle(self, *args, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        answers = {key: (options[key] or "").strip() for key, _question in QUESTIONS}
        for key, question in QUESTIONS:
            while not answers[key]:
                if options["no_input"]:
                    raise CommandError(f"--{key} is needed with --no-input.")
                answers[key] = input(f"{question}: ").strip()
        password = self._password(options, answers)
        try:
            membership = start_provider(
                **answers, password=password, year_start_month=options["year_start_month"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self._print_next_steps(membership)

    def _password(self, options, answers) -> str:
        """The admin's password, from a file or typed twice, checked against the site's rules."""
        probe = _probe_user(answers)
        if options["password_file"]:
            with open(options["password_file"], encoding="utf-8") as file:
                password = file.read().strip()
            return self._checked(password, probe)
        if options["no_input"]:
            raise CommandError("--password-file is needed with --no-input.")
        while True:
            password = getpass.getpass("Your password: ")
            if password != getpass.getpass("Your password again: "):
                self.stderr.write("The two passwords differ; try again.")
                continue
            try:
                return self._checked(password, probe)
            except CommandError as error:
                self.stderr.write(str(error))

    def _checked(self, password: str, probe) -> str:
        try:
            password_validation.validate_password(password, probe)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return password

    def _print_next_steps(self, membership) -> None:
        provider, user = membership.organisation, membership.user
        base = settings.BASE_URL
        self.stdout.write(self.style.SUCCESS(f"{provider} is set up, with {user} as its admin."))
        self.stdout.write(f"Next: serve the site, open {base}/setup/ and sign in as {user}. There:")
        self.stdout.write("  1. add your framework and its lots, members and suppliers;")
        self.stdout.write("  2. let contracts (or import them), and set their commitments;")
        self.stdout.write(f"  3. invite your staff and your suppliers' staff ({base}/people/).")
        self.stdout.write("Your first year, step by step: docs/first-year.md")


def _probe_user(answers: dict):
    from django.contrib.auth import get_user_model

    return get_user_model()(username=answers["username"], email=answers["email"])
