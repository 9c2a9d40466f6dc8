"""A return moves draft → submitted → queried ⇄ resubmitted → verified / rejected, and every move
is an explicit action that refuses illegal moves and leaves an audit event."""

import pytest

from socialledger.audit.models import AuditEvent
from socialledger.returns.actions import (
    TransitionError,
    query_return,
    reject_return,
    reopen_return,
    submit_return,
    verify_return,
)
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return


@pytest.fixture
def draft(supplier, contract):
    return make_return(supplier, [(contract, "jobs-created", 4)], status=Status.DRAFT)


def test_a_contributor_submits_a_draft(draft, cara_contributor):
    submitted = submit_return(draft, by=cara_contributor)
    assert submitted.status == Status.SUBMITTED
    assert submitted.submitted_at is not None


def test_an_officer_verifies_a_submitted_return_and_is_recorded_as_deciding(
    draft, cara_contributor, olivia_officer
):
    verified = verify_return(submit_return(draft, by=cara_contributor), by=olivia_officer)
    assert verified.status == Status.VERIFIED
    assert verified.decided_by == olivia_officer


def test_a_query_goes_back_to_the_supplier_who_resubmits(draft, cara_contributor, olivia_officer):
    queried = query_return(
        submit_return(draft, by=cara_contributor), by=olivia_officer, note="Payroll?"
    )
    assert queried.status == Status.QUERIED
    assert queried.status_note == "Payroll?"
    assert submit_return(queried, by=cara_contributor).status == Status.RESUBMITTED


def test_a_resubmitted_return_can_be_queried_again_or_verified(
    draft, cara_contributor, olivia_officer
):
    queried = query_return(
        submit_return(draft, by=cara_contributor), by=olivia_officer, note="Why?"
    )
    resubmitted = submit_return(queried, by=cara_contributor)
    again = submit_return(
        query_return(resubmitted, by=olivia_officer, note="Still?"), by=cara_contributor
    )
    assert verify_return(again, by=olivia_officer).status == Status.VERIFIED


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [(verify_return, {}), (query_return, {"note": "x"}), (reject_return, {"note": "x"})],
)
def test_it_refuses_to_decide_on_a_draft(draft, olivia_officer, action, kwargs):
    with pytest.raises(TransitionError, match="is draft"):
        action(draft, by=olivia_officer, **kwargs)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_it_refuses_to_submit_twice(draft, cara_contributor):
    submit_return(draft, by=cara_contributor)
    with pytest.raises(TransitionError, match="Cannot submit a return that is submitted"):
        submit_return(draft, by=cara_contributor)


def test_it_refuses_to_verify_a_rejected_return(draft, cara_contributor, olivia_officer):
    rejected = reject_return(
        submit_return(draft, by=cara_contributor), by=olivia_officer, note="No evidence"
    )
    with pytest.raises(TransitionError):
        verify_return(rejected, by=olivia_officer)


@pytest.mark.parametrize("action", [query_return, reject_return, reopen_return])
def test_querying_rejecting_and_reopening_need_a_reason(
    draft, cara_contributor, olivia_officer, action
):
    submitted = submit_return(draft, by=cara_contributor)
    with pytest.raises(TransitionError, match="Say why"):
        action(submitted, by=olivia_officer, note="  ")


def test_a_verified_return_can_be_reopened_to_draft_with_a_reason(
    draft, cara_contributor, olivia_officer
):
    verified = verify_return(submit_return(draft, by=cara_contributor), by=olivia_officer)
    reopened = reopen_return(verified, by=olivia_officer, note="Supplier found a payroll error")
    assert reopened.status == Status.DRAFT
    assert reopened.decided_by is None


def test_every_move_writes_an_audit_event_with_before_and_after(
    draft, cara_contributor, olivia_officer
):
    verify_return(
        submit_return(draft, by=cara_contributor), by=olivia_officer, note="Checked payroll"
    )
    events = list(
        AuditEvent.objects.about(draft).filter(action__in=["return.submitted", "return.verified"])
    )
    assert [(e.action, e.actor, e.before["status"], e.after["status"]) for e in events] == [
        ("return.submitted", cara_contributor, "draft", "submitted"),
        ("return.verified", olivia_officer, "submitted", "verified"),
    ]
    assert events[1].note == "Checked payroll"
    assert events[1].provider == draft.supplier.provider
