"""A derived measure's formula has versions, each with a reason and the first year it applies
to; the library file, the admin and the API all change it through one action, and reports show a
year published under an earlier version under both, with a restatement note."""

import json
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from socialledger.accounts.actions import create_api_token
from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.audit.models import AuditEvent
from socialledger.lib.periods import FinancialYear
from socialledger.measures.actions import set_formula, sync_measure_library
from socialledger.measures.library import LibraryError, read_library
from socialledger.measures.models import FormulaVersion
from socialledger.measures.tests.factories import make_derived_measure
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render
from socialledger.returns.tests.factories import make_return, measure

pytestmark = pytest.mark.django_db

LAST, NOW = FinancialYear(2023), FinancialYear(2024)
NOTE = (
    "People gaining or sustained in employment, 2023-24: published under formula version 1 "
    "(jobs created + jobs sustained) as 14; under the current version 2 (jobs created, from "
    "2024-25: Sustained jobs are reported apart from 2024-25) it is 10."
)


@pytest.fixture
def two_years(supplier, contract):
    make_return(
        supplier, [(contract, "jobs-created", 10), (contract, "jobs-sustained", 4)], year=LAST
    )
    make_return(
        supplier, [(contract, "jobs-created", 12), (contract, "jobs-sustained", 5)], year=NOW
    )


def narrow(by=None, via=""):
    return set_formula(
        measure("employment-outcomes"),
        [(1, "jobs-created")],
        reason="Sustained jobs are reported apart from 2024-25",
        first_year=2024,
        by=by,
        via=via,
    )


def test_every_derived_measure_starts_with_its_first_version():
    first = FormulaVersion.objects.get(measure=measure("employment-outcomes"))
    assert (first.version, first.first_year) == (1, 0)
    assert first.formula == [[1, "jobs-created"], [1, "jobs-sustained"]]


def test_a_change_is_a_new_version_with_its_reason_and_audited():
    version = narrow()
    assert (version.version, version.first_year) == (2, 2024)
    derived = measure("employment-outcomes")
    assert [p.component.code for p in derived.components.all()] == ["jobs-created"]
    event = AuditEvent.objects.filter(action="measure.formula").get()
    assert event.note == "Sustained jobs are reported apart from 2024-25"


def test_a_change_needs_a_reason_and_a_real_change():
    derived = measure("employment-outcomes")
    with pytest.raises(ValidationError, match="Say why"):
        set_formula(derived, [(1, "jobs-created")], reason=" ", first_year=2024, by=None)
    with pytest.raises(ValidationError, match="already in force"):
        set_formula(
            derived,
            [(1, "jobs-created"), (1, "jobs-sustained")],
            reason="No change",
            first_year=2024,
            by=None,
        )
    with pytest.raises(ValidationError, match="not a counted measure"):
        set_formula(derived, [(1, "donations")], reason="Money", first_year=2024, by=None)


def test_reports_show_an_earlier_year_under_both_versions(provider, two_years):
    narrow()
    report = annual_report(Scope(provider), NOW)
    assert NOTE in report.restatements
    assert report.measure("employment-outcomes").previous_headline.value == 10  # current
    for fmt in ("text", "markdown"):
        assert NOTE in render(report, fmt)
    assert NOTE in json.loads(render(report, "json"))["restatements"]


def test_a_year_under_the_current_version_has_no_note(provider, two_years):
    narrow()
    later = annual_report(Scope(provider), FinancialYear(2025), against=NOW)
    assert not any("formula version" in note for note in later.restatements)


def test_the_library_file_changes_the_formula_only_with_a_reason_and_a_first_year():
    library = read_library()
    changed = [
        replace(spec, formula=((1, "jobs-created"),))
        if spec.code == "employment-outcomes"
        else spec
        for spec in library.measures
    ]
    with pytest.raises(LibraryError, match="give formula_reason and formula_from"):
        sync_measure_library(replace(library, measures=tuple(changed)))
    reasoned = [
        replace(spec, formula_reason="Narrower from 2025-26", formula_from="2025-26")
        if spec.code == "employment-outcomes"
        else spec
        for spec in changed
    ]
    sync_measure_library(replace(library, measures=tuple(reasoned)))
    latest = FormulaVersion.objects.filter(measure=measure("employment-outcomes")).last()
    assert (latest.version, latest.first_year, latest.reason) == (2, 2025, "Narrower from 2025-26")


def test_the_api_versions_a_providers_own_derived_measure(provider):
    own = make_derived_measure(provider)
    ada = make_user("ada", provider, Role.PROVIDER_ADMIN)
    _, key = create_api_token(ada.memberships.get(), name="t", can_write=True, by=ada)
    body = {
        "formula": "jobs-created + jobs-sustained",
        "reason": "Sustained too",
        "first_year": "2024-25",
    }
    answer = Client().post(
        "/api/v1/measures/all-jobs/formula",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["version"] == 2
    assert answer.json()["first_year"] == "2024-25"
    assert own.formula_versions.count() == 2
