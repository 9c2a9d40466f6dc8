"""A provider officer loads a buyer's outcome model as a versioned, cited file; a procurement
answers to the version in force on its start date."""

from datetime import date

import pytest

from socialledger.audit.models import AuditEvent
from socialledger.outcomes.actions import OutcomeError
from socialledger.outcomes.files import OutcomeFileError, read_model_file
from socialledger.outcomes.models import OutcomeModel
from socialledger.outcomes.tests.factories import make_example_model, model_version


def test_the_example_model_loads_with_its_themes_outcomes_metrics_and_source(provider):
    model = make_example_model(provider)
    assert model.label == "northshire-themes@2026-1"
    assert "fictional" in model.title
    assert (model.source_date, model.applies_from) == (date(2026, 12, 1), date(2026, 4, 1))
    assert [t.code for t in model.themes.all()] == ["N1", "N2", "N3"]
    first = model.themes.get(code="N1").outcomes.get(code="N1.1")
    assert first.title == "More Northshire residents in work"
    assert [m.code for m in first.metrics.all()] == ["N1.1a"]
    event = AuditEvent.objects.get(action="outcome_model.loaded")
    assert event.after["version"] == "2026-1"


def test_the_same_version_cannot_be_loaded_twice_so_reports_keep_their_meaning(provider):
    make_example_model(provider)
    with pytest.raises(OutcomeError, match="already loaded; give the new text a new version"):
        make_example_model(provider)


def test_a_procurement_answers_to_the_version_in_force_on_its_start_date(provider):
    make_example_model(provider, model_version("2025", "2025-10-01", "2026-12-31"))
    make_example_model(provider, model_version("2027", "2027-01-01"))
    versions = OutcomeModel.objects.of_provider(provider)
    assert versions.version_for("northshire-themes", date(2026, 12, 31)).version == "2025"
    assert versions.version_for("northshire-themes", date(2027, 1, 1)).version == "2027"
    assert versions.version_for("northshire-themes", date(2025, 9, 30)) is None


def test_a_file_without_its_source_or_outcomes_is_refused_with_every_place_named():
    text = """
[model]
code = "x"
version = "1"
title = "X"
publisher = "X"
source_title = "X"
licence = "OGL"
applies_from = "1 October 2025"

[[themes]]
code = "T1"
title = "A theme"
"""
    with pytest.raises(OutcomeFileError) as refused:
        read_model_file(text)
    assert refused.value.problems == [
        "model.source_date: a date such as 2025-10-01",
        'model.applies_from: "1 October 2025" – a date such as 2025-10-01',
        "themes[0].outcomes: at least one outcome",
    ]


def test_a_file_that_is_not_toml_is_one_clear_problem():
    with pytest.raises(OutcomeFileError, match="the file is not TOML"):
        read_model_file("[model\ncode=")
