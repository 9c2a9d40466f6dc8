"""Each entry's evidence strength follows from the evidence attached and the checks made on it;
nobody types it in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socialledger.returns.actions import submit_return
from socialledger.returns.evidence import add_evidence, grade_evidence
from socialledger.returns.models import Entry, Status
from socialledger.returns.tests.factories import make_return
from socialledger.verification.actions import draw_sample, record_check
from socialledger.verification.strength import Strength, strength_of, with_strength

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(supplier, contract):
    return make_return(
        supplier,
        [(contract, "jobs-created", 4), (contract, "apprenticeships-created", 2)],
        status=Status.DRAFT,
    )


def jobs(ret) -> Entry:
    return ret.entries.get(measure__code="jobs-created")


def attach(ret, grade: str, *, on_entry: bool = True, officer=None):
    """A payroll extract on the jobs figure (or on the whole return), graded by an officer."""
    item = add_evidence(
        ret,
        by=None,
        upload=SimpleUploadedFile("payroll.pdf", PDF),
        entry=jobs(ret) if on_entry else None,
    )
    return grade_evidence(item, grade=grade, by=officer)


def checked(provider, entry, result: str, note: str = "") -> None:
    """Draw a sample holding the entry (all of the year's few entries) and record a check."""
    sample = draw_sample(provider, start_year=2023, size=99, by=None, seed=7)
    record_check(sample.items.get(entry=entry), result=result, note=note, by=None)


def test_a_figure_with_nothing_attached_it_is_the_suppliers_statement(draft):
    submit_return(draft, by=None)
    assert strength_of(jobs(draft)) == Strength.STATEMENT


@pytest.mark.parametrize("grade", ["none", "self-declared"])
def test_evidence_no_officer_has_called_a_document_it_adds_nothing(draft, grade):
    attach(draft, grade)
    assert strength_of(jobs(draft)) == Strength.STATEMENT


def test_a_document_on_the_figure_it_backs_the_figure(draft):
    attach(draft, "documented")
    assert strength_of(jobs(draft)) == Strength.DOCUMENT
    other = draft.entries.get(measure__code="apprenticeships-created")
    assert strength_of(other) == Strength.STATEMENT


def test_a_document_on_the_whole_return_it_backs_every_figure_in_it(draft):
    attach(draft, "documented", on_entry=False)
    strengths = set(with_strength(draft.entries.all()).values_list("strength", flat=True))
    assert strengths == {Strength.DOCUMENT}


def test_independently_verified_evidence_it_is_confirmed_by_a_third_party(draft):
    attach(draft, "independent")
    assert strength_of(jobs(draft)) == Strength.CONFIRMED


def test_the_strongest_evidence_wins(draft):
    attach(draft, "self-declared")
    attach(draft, "documented", on_entry=False)
    assert strength_of(jobs(draft)) == Strength.DOCUMENT


@pytest.mark.parametrize("result", ["confirmed", "adjusted"])
def test_a_sample_check_that_bears_it_out_it_is_checked_in_a_sample(provider, draft, result):
    attach(draft, "documented")
    submit_return(draft, by=None)
    checked(provider, jobs(draft), result, note="Payroll matches after one leaver")
    assert strength_of(jobs(draft)) == Strength.CHECKED


def test_a_sample_check_not_yet_made_it_changes_nothing(provider, draft):
    attach(draft, "documented")
    submit_return(draft, by=None)
    draw_sample(provider, start_year=2023, size=99, by=None, seed=7)
    assert strength_of(jobs(draft)) == Strength.DOCUMENT


def test_a_check_that_does_not_bear_it_out_it_has_no_backing_whatever_is_attached(provider, draft):
    attach(draft, "independent")
    submit_return(draft, by=None)
    checked(provider, jobs(draft), "not-confirmed", note="No payroll for two of the four")
    assert strength_of(jobs(draft)) == Strength.NONE


def test_a_later_check_it_replaces_an_earlier_one(provider, draft):
    submit_return(draft, by=None)
    checked(provider, jobs(draft), "not-confirmed", note="Payroll missing")
    checked(provider, jobs(draft), "confirmed")
    assert strength_of(jobs(draft)) == Strength.CHECKED


def test_third_party_confirmation_it_outranks_a_sample_check(provider, draft):
    attach(draft, "independent")
    submit_return(draft, by=None)
    checked(provider, jobs(draft), "confirmed")
    assert strength_of(jobs(draft)) == Strength.CONFIRMED


def test_a_regraded_document_it_moves_the_strength_with_it(draft):
    item = attach(draft, "documented")
    grade_evidence(item, grade="self-declared", by=None)
    assert strength_of(jobs(draft)) == Strength.STATEMENT
