"""Provider officers keep targets above the contract level (the whole provider, a framework, a
member) on a page of their own, change and remove any target, and take a supplier off a lot:
each an action with its audit event, on a page and in the API; a supplier holding contracts under
the lot stays on it, with the reason."""

from decimal import Decimal

import pytest

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import bearer, make_token, make_user
from socialledger.audit.models import AuditEvent
from socialledger.contracts.actions import appoint_supplier, remove_supplier, set_commitment
from socialledger.contracts.models import Commitment
from socialledger.measures.models import Measure
from socialledger.organisations.tests.factories import make_supplier


@pytest.fixture
def as_olivia(client, olivia_officer):
    client.force_login(olivia_officer)
    return client


@pytest.fixture
def jobs(provider):
    return Measure.objects.available_to(provider).get(code="jobs-created")


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_an_officer_sets_a_target_on_a_framework_on_the_commitments_page(
    as_olivia, provider, framework, jobs
):
    response = as_olivia.post(
        "/setup/commitments/new/",
        {
            "scope": f"framework:{framework.pk}",
            "measure": jobs.pk,
            "year": "2024-25",
            "quantity": "40",
            "note": "From the tender",
        },
    )
    assert response["Location"] == "/setup/commitments/"
    commitment = Commitment.objects.get()
    assert (commitment.framework, commitment.contract, commitment.member) == (framework, None, None)
    assert (commitment.financial_year, commitment.quantity) == (2024, Decimal(40))
    assert events("commitment.set")[0].actor.username == "olivia"
    page = as_olivia.get("/setup/commitments/").content.decode()
    assert "2024-25" in page
    assert "Framework DEC" in page


def test_a_target_on_the_whole_provider_or_a_member(as_olivia, provider, member, jobs):
    for scope in ("provider", f"member:{member.pk}"):
        as_olivia.post(
            "/setup/commitments/new/",
            {"scope": scope, "measure": jobs.pk, "year": "2024-25", "quantity": "5"},
        )
    scopes = {(c.member, c.framework) for c in Commitment.objects.all()}
    assert scopes == {(None, None), (member, None)}


def test_a_scope_of_another_provider_is_not_offered_and_is_refused(as_olivia, other_provider, jobs):
    from socialledger.contracts.tests.factories import make_framework

    theirs = make_framework(other_provider, "THEIRS")
    response = as_olivia.post(
        "/setup/commitments/new/",
        {"scope": f"framework:{theirs.pk}", "measure": jobs.pk, "year": "2024-25", "quantity": "5"},
    )
    assert response.status_code == 200
    assert "scope" in response.context["form"].errors
    assert not Commitment.objects.exists()


def test_an_officer_changes_a_targets_quantity_and_the_audit_log_has_before_and_after(
    as_olivia, provider, framework, jobs
):
    commitment = set_commitment(
        provider,
        measure=jobs,
        financial_year=2024,
        quantity=Decimal(40),
        framework=framework,
        by=None,
    )
    page = as_olivia.get(f"/setup/commitments/{commitment.pk}/edit/").content.decode()
    assert 'value="40' in page
    as_olivia.post(f"/setup/commitments/{commitment.pk}/edit/", {"quantity": "45", "note": ""})
    commitment.refresh_from_db()
    assert commitment.quantity == Decimal(45)
    change = events("commitment.set")[-1]
    assert change.before["quantity"] == "40"
    assert change.after["quantity"] == "45"


def test_a_contracts_target_changes_to_a_rate_per_million(as_olivia, provider, contract, jobs):
    commitment = set_commitment(
        provider, measure=jobs, financial_year=2024, quantity=Decimal(4), contract=contract, by=None
    )
    as_olivia.post(
        f"/setup/commitments/{commitment.pk}/edit/", {"basis": "per-million", "quantity": "3"}
    )
    commitment.refresh_from_db()
    assert commitment.basis == Commitment.Basis.PER_MILLION
    assert commitment.target_quantity == Decimal(6)  # 3 per £1m of £2m
    page = as_olivia.get(f"/contracts/{contract.pk}/").content.decode()
    assert "2024-25" in page
    assert f"/setup/commitments/{commitment.pk}/remove/" in page


def test_removing_a_target_asks_first_then_removes_it_with_its_audit_event(
    as_olivia, provider, framework, jobs
):
    commitment = set_commitment(
        provider,
        measure=jobs,
        financial_year=2024,
        quantity=Decimal(40),
        framework=framework,
        by=None,
    )
    question = as_olivia.get(f"/setup/commitments/{commitment.pk}/remove/")
    assert "Remove the commitment for Jobs created?" in question.content.decode()
    assert Commitment.objects.exists()
    response = as_olivia.post(f"/setup/commitments/{commitment.pk}/remove/")
    assert response["Location"] == "/setup/commitments/"
    assert not Commitment.objects.exists()
    removed = events("commitment.removed")[0]
    assert removed.before["quantity"] == "40"
    assert removed.before["scope"] == "Framework DEC"


def test_only_provider_officers_and_admins_keep_commitments(
    client, provider, framework, jobs, cara_contributor, mo_member_viewer, otto_outsider
):
    commitment = set_commitment(
        provider,
        measure=jobs,
        financial_year=2024,
        quantity=Decimal(1),
        framework=framework,
        by=None,
    )
    for person in (cara_contributor, mo_member_viewer, otto_outsider):
        client.force_login(person)
        assert client.get("/setup/commitments/").status_code == 404
        assert client.post(f"/setup/commitments/{commitment.pk}/remove/").status_code == 404
    assert Commitment.objects.exists()


def test_a_supplier_with_no_contracts_under_the_lot_is_taken_off_it_once_confirmed(
    as_olivia, provider, framework
):
    lot = framework.lots.get(reference="1")
    kite = make_supplier(provider, "KITE", "Kite Facilities")
    appoint_supplier(lot, kite, by=None)
    assert "Take off the lot" in as_olivia.get(f"/setup/lots/{lot.pk}/").content.decode()
    question = as_olivia.get(f"/setup/lots/{lot.pk}/suppliers/{kite.pk}/remove/")
    assert "Take Kite Facilities off lot 1?" in question.content.decode()
    response = as_olivia.post(f"/setup/lots/{lot.pk}/suppliers/{kite.pk}/remove/", follow=True)
    assert "Kite Facilities is no longer on lot 1." in response.content.decode()
    assert not lot.suppliers.filter(pk=kite.pk).exists()
    assert events("lot.supplier_removed")[0].before == {"supplier": "KITE"}


def test_a_supplier_holding_contracts_under_the_lot_stays_with_the_reason(
    as_olivia, provider, contract, supplier
):
    lot = contract.lot
    response = as_olivia.post(f"/setup/lots/{lot.pk}/suppliers/{supplier.pk}/remove/", follow=True)
    assert (
        "Calder Retrofit Services cannot be taken off lot 1: it holds contracts under the lot "
        "(DEC-001)." in response.content.decode()
    )
    assert lot.suppliers.filter(pk=supplier.pk).exists()
    assert not events("lot.supplier_removed")


def test_the_action_refuses_a_supplier_not_on_the_lot(provider, framework):
    kite = make_supplier(provider, "KITE", "Kite Facilities")
    with pytest.raises(ValueError, match="is not appointed to lot 1"):
        remove_supplier(framework.lots.get(reference="1"), kite, by=None)


def test_the_api_takes_a_supplier_off_a_lot_or_says_why_not(
    client, olivia_officer, provider, contract, supplier
):
    headers = bearer(make_token(olivia_officer))
    lot = contract.lot
    kite = make_supplier(provider, "KITE", "Kite Facilities")
    appoint_supplier(lot, kite, by=None)
    answer = client.delete(f"/api/v1/lots/{lot.pk}/suppliers/{kite.pk}", headers=headers)
    assert answer.status_code == 200
    assert answer.json()["supplier_ids"] == [supplier.pk]
    refused = client.delete(f"/api/v1/lots/{lot.pk}/suppliers/{supplier.pk}", headers=headers)
    assert refused.status_code == 422
    assert "holds contracts under the lot (DEC-001)" in refused.json()["error"]["message"]


def test_the_api_removes_a_target_and_answers_those_left_on_its_scope(
    client, olivia_officer, provider, framework, jobs
):
    kept = set_commitment(
        provider,
        measure=jobs,
        financial_year=2023,
        quantity=Decimal(1),
        framework=framework,
        by=None,
    )
    gone = set_commitment(
        provider,
        measure=jobs,
        financial_year=2024,
        quantity=Decimal(2),
        framework=framework,
        by=None,
    )
    headers = bearer(make_token(olivia_officer))
    answer = client.delete(f"/api/v1/commitments/{gone.pk}", headers=headers)
    assert answer.status_code == 200
    assert [c["id"] for c in answer.json()] == [kept.pk]
    assert events("commitment.removed")[0].actor_label == "olivia (api)"


def test_staff_of_a_member_cannot_remove_a_target_through_the_api(
    client, provider, framework, jobs, member
):
    viewer = make_user("mona", member, Role.MEMBER_VIEWER)
    commitment = set_commitment(
        provider, measure=jobs, financial_year=2024, quantity=Decimal(2), member=member, by=None
    )
    answer = client.delete(
        f"/api/v1/commitments/{commitment.pk}", headers=bearer(make_token(viewer))
    )
    assert answer.status_code == 403
    assert Commitment.objects.exists()
