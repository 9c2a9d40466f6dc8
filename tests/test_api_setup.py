"""A program sets a provider up through the API: frameworks, lots and their suppliers, members
and suppliers, contracts, commitments and spend, each through the same action as the pages."""

import pytest

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_token, make_user
from socialledger.audit.models import AuditEvent
from tests.api_helpers import ApiClient


@pytest.fixture
def officer(olivia_officer):
    return ApiClient(make_token(olivia_officer))


def created(response) -> dict:
    assert response.status_code in (200, 201), response.json()
    return response.json()


def test_a_framework_lot_supplier_member_contract_commitment_and_spend_from_nothing(
    officer, provider
):
    framework = created(
        officer.post(
            "/frameworks",
            {
                "reference": "DEC",
                "name": "Decarbonisation",
                "starts_on": "2024-04-01",
                "ends_on": "2028-03-31",
            },
        )
    )
    lot = created(
        officer.post("/lots", {"framework_id": framework["id"], "reference": "1", "name": "Homes"})
    )
    supplier = created(
        officer.post(
            "/organisations", {"kind": "supplier", "reference": "CRS", "name": "Calder Retrofit"}
        )
    )
    member = created(
        officer.post(
            "/organisations", {"kind": "member", "reference": "LFH", "name": "Larkfield Homes"}
        )
    )
    lot = created(officer.post(f"/lots/{lot['id']}/suppliers", {"supplier_id": supplier["id"]}))
    assert lot["supplier_ids"] == [supplier["id"]]
    contract = created(
        officer.post(
            "/contracts",
            {
                "lot_id": lot["id"],
                "reference": "DEC-001",
                "title": "Retrofit",
                "member_id": member["id"],
                "supplier_id": supplier["id"],
                "value": "2000000",
                "starts_on": "2024-04-01",
            },
        )
    )
    commitment = created(
        officer.post(
            "/commitments",
            {
                "measure": "jobs-created",
                "year": "2024-25",
                "quantity": "3",
                "basis": "per-million",
                "contract_id": contract["id"],
            },
        )
    )
    assert commitment["target_quantity"] == "6"
    spend = created(
        officer.post(
            f"/contracts/{contract['id']}/spend",
            {"period_end": "2024-06-30", "amount": "250000.50"},
        )
    )
    assert spend == [{"period_end": "2024-06-30", "amount": "250000.5"}]
    via_api = AuditEvent.objects.filter(actor_label="olivia (api)")
    assert set(via_api.values_list("action", flat=True)) >= {
        "framework.created",
        "lot.created",
        "organisation.created",
        "lot.supplier_appointed",
        "contract.created",
        "commitment.set",
        "contract.spend_recorded",
    }


def test_a_change_sends_only_what_changes_and_a_contracts_parties_never_change(officer, contract):
    changed = created(officer.patch(f"/contracts/{contract.pk}", {"title": "Renamed"}))
    assert (changed["title"], changed["value"]) == ("Renamed", "2000000")
    answer = officer.patch(f"/contracts/{contract.pk}", {"supplier_id": 99})
    assert answer.json()["supplier"]["reference"] == "CRS"  # an unknown field is ignored
    contract.refresh_from_db()
    assert contract.supplier.reference == "CRS"


def test_a_framework_and_a_member_are_changed_with_before_and_after_recorded(
    officer, framework, member
):
    created(officer.patch(f"/frameworks/{framework.pk}", {"name": "Renamed framework"}))
    created(officer.patch(f"/organisations/{member.pk}", {"region": "North West"}))
    event = AuditEvent.objects.get(action="organisation.changed")
    assert (event.before, event.after) == ({"region": ""}, {"region": "North West"})


def test_a_rate_commitment_off_a_contract_is_refused_with_the_reason(officer, framework):
    answer = officer.post(
        "/commitments",
        {
            "measure": "jobs-created",
            "year": "2024-25",
            "quantity": "3",
            "basis": "per-million",
            "framework_id": framework.pk,
        },
    )
    assert answer.status_code == 422
    assert "contract" in answer.json()["error"]["message"]


def test_a_commitment_on_the_whole_provider_needs_no_scope(officer, provider):
    commitment = created(
        officer.post(
            "/commitments", {"measure": "jobs-created", "year": "2024-25", "quantity": "40"}
        )
    )
    assert (commitment["contract_id"], commitment["framework_id"]) == (None, None)


def test_suppliers_and_auditors_may_not_set_up_and_outsiders_find_nothing(
    cara_contributor, provider, framework, contract, otto_outsider
):
    auditor = ApiClient(make_token(make_user("audrey", provider, Role.AUDITOR)))
    for client in (ApiClient(make_token(cara_contributor)), auditor):
        answer = client.post("/lots", {"framework_id": framework.pk, "reference": "9", "name": "X"})
        assert answer.status_code == 403
    outsider_admin = make_user(
        "oscar", otto_outsider.memberships.get().organisation.provider, Role.PROVIDER_ADMIN
    )
    stranger = ApiClient(make_token(outsider_admin))
    assert stranger.patch(f"/frameworks/{framework.pk}", {"name": "X"}).status_code == 404
    assert (
        stranger.post(
            f"/contracts/{contract.pk}/spend", {"period_end": "2024-06-30", "amount": "1"}
        ).status_code
        == 404
    )
    assert stranger.get(f"/contracts/{contract.pk}/spend").status_code == 404


def test_a_read_only_token_cannot_set_anything_up(olivia_officer, framework):
    reader = ApiClient(make_token(olivia_officer, can_write=False, name="reader"))
    answer = reader.post("/lots", {"framework_id": framework.pk, "reference": "9", "name": "X"})
    assert answer.json()["error"]["code"] == "read_only_token"


def test_a_set_up_file_sent_to_the_api_is_checked_then_written_or_refused_whole(officer, provider):
    from pathlib import Path

    from socialledger.contracts.models import Contract

    samples = Path(__file__).resolve().parent.parent / "docs" / "samples"
    good = created(
        officer.post("/imports/setup", {"csv": (samples / "setup-sample.csv").read_text()})
    )
    assert good["created"]["contract"] == 2
    assert Contract.objects.count() == 2
    broken = officer.post("/imports/setup", {"csv": (samples / "setup-broken.csv").read_text()})
    assert broken.status_code == 422
    details = broken.json()["error"]["details"]
    assert len(details) == 8
    assert details[0]["field"] == "row 2, kind"
    assert Contract.objects.count() == 2
