"""socialledger outcome_model: load an outcome model version, or a crosswalk to it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from socialledger.cli import LedgerCommand
from socialledger.outcomes.actions import OutcomeError, load_crosswalk, load_outcome_model
from socialledger.outcomes.files import OutcomeFileError, read_crosswalk_file, read_model_file
from socialledger.outcomes.models import OutcomeModel


class Command(LedgerCommand):
    help = (
        "Load an outcome model (a TOML file of themes, outcomes and reporting metrics), or with "
        "--crosswalk a CSV mapping measures to the outcomes of a loaded model "
        "(docs/outcome-models.md)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--crosswalk",
            metavar="MODEL@VERSION",
            help="The file is a crosswalk to this loaded model version, e.g. example-council@2026",
        )
        self.add_provider_arguments(parser)

    def handle(self, *args, **options) -> None:
        provider, by = self.get_provider(options), self.get_user(options)
        try:
            content = options["file"].read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{options['file']}: cannot be read ({error})") from None
        try:
            if options["crosswalk"]:
                model = model_from_label(provider, options["crosswalk"])
                changed = load_crosswalk(
                    provider, model, read_crosswalk_file(content), by=by, via="cli"
                )
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Crosswalk to {model.label}: {changed} mappings added or changed."
                    )
                )
                return
            model = load_outcome_model(provider, read_model_file(content), by=by, via="cli")
        except OutcomeFileError as error:
            raise CommandError("\n".join(error.problems)) from None
        except OutcomeError as error:
            raise CommandError(str(error)) from None
        outcomes = sum(theme.outcomes.count() for theme in model.themes.all())
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {model.title} ({model.label}): "
                f"{model.themes.count()} themes, {outcomes} outcomes."
            )
        )


def model_from_label(provider, label: str) -> OutcomeModel:
    """A loaded model version named as CODE@VERSION."""
    model = OutcomeModel.objects.of_provider(provider).labelled(label)
    if model is None:
        loaded = (
            ", ".join(m.label for m in OutcomeModel.objects.of_provider(provider)) or "none yet"
        )
        raise CommandError(f'No outcome model "{label}" is loaded (loaded: {loaded}).')
    return model
