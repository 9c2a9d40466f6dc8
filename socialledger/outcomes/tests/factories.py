"""make_* helpers for outcome models and crosswalks, through the app's own actions."""

from __future__ import annotations

from pathlib import Path

from socialledger.outcomes.actions import load_crosswalk, load_outcome_model
from socialledger.outcomes.files import read_crosswalk_file, read_model_file
from socialledger.outcomes.models import OutcomeModel

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"
EXAMPLE_MODEL = SAMPLES / "outcome-model-example.toml"
EXAMPLE_CROSSWALK = SAMPLES / "crosswalk-example.csv"


def make_example_model(provider, text: str | None = None) -> OutcomeModel:
    content = text if text is not None else EXAMPLE_MODEL.read_text(encoding="utf-8")
    return load_outcome_model(provider, read_model_file(content), by=None)


def make_example_crosswalk(provider, model: OutcomeModel) -> int:
    rows = read_crosswalk_file(EXAMPLE_CROSSWALK.read_text(encoding="utf-8"))
    return load_crosswalk(provider, model, rows, by=None)


def model_version(version: str, applies_from: str, applies_until: str = "") -> str:
    """The example model's text as another version with other dates."""
    text = EXAMPLE_MODEL.read_text(encoding="utf-8")
    text = text.replace('version = "2026-1"', f'version = "{version}"')
    text = text.replace("applies_from = 2026-04-01", f"applies_from = {applies_from}")
    if applies_until:
        text = text.replace("[[themes]]", f"applies_until = {applies_until}\n\n[[themes]]", 1)
    return text
