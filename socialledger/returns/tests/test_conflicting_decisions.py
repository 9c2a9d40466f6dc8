"""Two people acting on the same return at once: exactly one wins, the other is told who got
there first and nothing of theirs is applied, and nothing already done is lost.

The logic is tested on both databases by acting in turn from objects (and pages) loaded before
the other person's change. Real threads racing each other run on PostgreSQL only: the test
suite's SQLite database is one in-memory database shared by every connection, where a second
writer fails at once ("table is locked") instead of queueing as it does on a file database.
"""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.audit.models import AuditEvent, chain_key, verify_chain
from socialledger.returns.actions import (
    ConflictError,
    TransitionError,
    reject_return,
    replace_entries,
    submit_return,
    verify_return,
)
from socialledger.returns.models import Return, Status
from socialledger.returns.tests.factories import fact, make_return
from tests.together import run_together

RACES = 6  # under `make stress`, ten times as many


@pytest.fixture
def oscar_officer(provider):
    return make_user("oscar", provider, Role.PROVIDER_OFFICER)


@pytest.fixture
def submitted(supplier, contract):
    return make_return(supplier, [(contract, "jobs-created", 4)], status=Status.SUBMITTED)


def decisions(ret) -> list[str]:
    return list(
        AuditEvent.objects.about(ret)
        .filter(action__in=["return.verified", "return.rejected", "return.queried"])
        .values_list("action", flat=True)
    )


def test_a_rejection_after_someone_else_verified_is_refused_naming_them(
    submitted, olivia_officer, oscar_officer
):
    seen_by_olivia = Return.objects.get(pk=submitted.pk)
    verify_return(Return.objects.get(pk=submitted.pk), by=oscar_officer)
    with pytest.raises(ConflictError, match="verified by oscar a moment ago") as refused:
        reject_return(seen_by_olivia, by=olivia_officer, note="Figures look wrong")
    assert isinstance(refused.value, TransitionError)
    assert Return.objects.get(pk=submitted.pk).status == Status.VERIFIED
    assert decisions(submitted) == ["return.verified"]


def test_two_verifications_record_one_and_refuse_the_other(
    submitted, olivia_officer, oscar_officer
):
    first, second = Return.objects.get(pk=submitted.pk), Return.objects.get(pk=submitted.pk)
    verify_return(first, by=olivia_officer)
    with pytest.raises(ConflictError, match="verified by olivia"):
        verify_return(second, by=oscar_officer)
    submitted.refresh_from_db()
    assert submitted.decided_by == olivia_officer
    assert decisions(submitted) == ["return.verified"]


def test_a_decision_from_a_page_loaded_before_a_query_and_resubmission_is_refused(
    submitted, olivia_officer, oscar_officer, cara_contributor
):
    """The status allows the move again, but the page showed figures from before the change."""
    version_on_olivias_page = submitted.version
    from socialledger.returns.actions import query_return

    query_return(submitted, by=oscar_officer, note="Payroll?")
    submit_return(Return.objects.get(pk=submitted.pk), by=cara_contributor, note="Attached")
    with pytest.raises(ConflictError, match="resubmitted by cara"):
        verify_return(
            Return.objects.get(pk=submitted.pk),
            by=olivia_officer,
            seen_version=version_on_olivias_page,
        )
    assert Return.objects.get(pk=submitted.pk).status == Status.RESUBMITTED


def test_figures_saved_after_a_colleague_submitted_are_refused_and_the_return_kept(
    supplier, contract, cara_contributor
):
    bea = make_user("bea", supplier, Role.SUPPLIER_CONTRIBUTOR)
    draft = make_return(supplier, [(contract, "jobs-created", 4)], status=Status.DRAFT)
    seen_by_cara = Return.objects.get(pk=draft.pk)
    submit_return(Return.objects.get(pk=draft.pk), by=bea)
    change = [fact(contract, "jobs-created", 9, draft.year)]
    with pytest.raises(ConflictError, match="submitted by bea a moment ago"):
        replace_entries(seen_by_cara, change, by=cara_contributor)
    assert [e.quantity for e in draft.entries.all()] == [4]


def test_the_officer_whose_page_is_out_of_date_sees_who_decided(
    submitted, olivia_officer, oscar_officer
):
    olivia = Client()
    olivia.force_login(olivia_officer)
    page = olivia.get(reverse("return-detail", args=[submitted.pk]))
    assert f'name="version" value="{submitted.version}"' in page.content.decode()
    verify_return(Return.objects.get(pk=submitted.pk), by=oscar_officer)
    answer = olivia.post(
        reverse("return-decide", args=[submitted.pk, "reject"]),
        {"note": "Wrong", "version": submitted.version},
        follow=True,
    )
    assert answer.status_code == 200
    assert "This return was verified by oscar a moment ago" in answer.content.decode()
    assert Return.objects.get(pk=submitted.pk).status == Status.VERIFIED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="racing threads need PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second", ["verify", "reject"])
def test_officers_racing_on_one_return_leave_exactly_one_decision(
    supplier, contract, olivia_officer, oscar_officer, second, stress
):
    from socialledger.lib.periods import FinancialYear

    moves = {"verify": verify_return, "reject": reject_return}
    for attempt in range(RACES * 10 if stress else RACES):
        ret = make_return(
            supplier,
            [(contract, "jobs-created", 4)],
            year=FinancialYear(1950 + attempt),
            status=Status.SUBMITTED,
        )
        loaded = [Return.objects.get(pk=ret.pk) for _ in range(2)]
        officers = [olivia_officer, oscar_officer]

        def act(index, loaded=loaded, officers=officers):
            move = verify_return if index == 0 else moves[second]
            return move(loaded[index], by=officers[index], note="racing")

        outcomes = run_together(act, 2)
        won = [o for o in outcomes if isinstance(o, Return)]
        lost = [o for o in outcomes if isinstance(o, Exception)]
        assert len(won) == 1, outcomes
        assert len(lost) == 1
        assert isinstance(lost[0], ConflictError), lost[0]
        assert len(decisions(ret)) == 1
        ret.refresh_from_db()
        assert ret.status == won[0].status
    assert verify_chain(chain_key(supplier.provider.pk)) is None
