"""A provider officer maps measures to a model's outcomes, by hand or from a file; every
change is audited and a file is loaded whole or not at all."""

import pytest

from socialledger.audit.models import AuditEvent
from socialledger.outcomes.actions import load_crosswalk, map_measure, unmap_measure
from socialledger.outcomes.files import OutcomeFileError, read_crosswalk_file
from socialledger.outcomes.models import Outcome, OutcomeMapping
from socialledger.outcomes.tests.factories import make_example_crosswalk, make_example_model
from socialledger.returns.tests.factories import measure


def test_the_example_crosswalk_maps_a_measure_to_two_outcomes(provider):
    model = make_example_model(provider)
    assert make_example_crosswalk(provider, model) == 8
    outcomes = OutcomeMapping.objects.filter(measure__code="apprenticeships-created")
    assert sorted(m.outcome.code for m in outcomes) == ["N1.2", "N2.1"]
    assert make_example_crosswalk(provider, model) == 0  # loading it again changes nothing


def test_editing_a_mapping_note_and_removing_it_are_audited(provider):
    model = make_example_model(provider)
    outcome = Outcome.objects.get(theme__model=model, code="N1.1")
    mapping = map_measure(provider, measure("jobs-created"), outcome, note="New jobs", by=None)
    map_measure(provider, measure("jobs-created"), outcome, note="New jobs, local only", by=None)
    unmap_measure(mapping, by=None)
    events = AuditEvent.objects.filter(action__startswith="outcome_mapping.").order_by("pk")
    assert [e.action for e in events] == [
        "outcome_mapping.set",
        "outcome_mapping.set",
        "outcome_mapping.removed",
    ]
    assert events[1].before == {"note": "New jobs"}
    assert not OutcomeMapping.objects.exists()


def test_a_crosswalk_with_unknown_codes_writes_nothing_and_names_each_row(provider):
    model = make_example_model(provider)
    rows = read_crosswalk_file(
        "outcome,measure,note\nN1.1,jobs-created,ok\nN9.9,jobs-created,\nN1.2,jobs-invented,\n"
    )
    with pytest.raises(OutcomeFileError) as refused:
        load_crosswalk(provider, model, rows, by=None)
    assert refused.value.problems == [
        'row 3, column outcome: "N9.9" – an outcome of northshire-themes@2026-1',
        'row 4, column measure: "jobs-invented" – a measure code',
    ]
    assert not OutcomeMapping.objects.exists()


def test_a_crosswalk_without_its_columns_is_refused():
    with pytest.raises(OutcomeFileError, match="missing: note"):
        read_crosswalk_file("outcome,measure\nN1.1,jobs-created\n")
