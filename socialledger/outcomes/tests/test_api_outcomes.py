"""The outcome models, their crosswalks and the model a contract was procured under, through the
API: anyone of the provider reads them; provider admins and officers keep them, audited."""

from __future__ import annotations

import pytest

from socialledger.accounts.tests.factories import make_token
from socialledger.audit.models import AuditEvent
from socialledger.outcomes.tests.factories import (
    make_example_crosswalk,
    make_example_model,
    model_version,
)
from tests.api_helpers import ApiClient

MODEL = "northshire-themes@2026-1"


@pytest.fixture
def model(provider):
    loaded = make_example_model(provider)
    make_example_crosswalk(provider, loaded)
    return loaded


def client(user, *, can_write: bool = True) -> ApiClient:
    return ApiClient(make_token(user, can_write=can_write))


def test_anyone_of_the_provider_lists_the_models_with_their_source(model, mo_member_viewer):
    (listed,) = client(mo_member_viewer).get("/outcome-models").json()
    assert listed["id"] == MODEL
    assert listed["licence"] == "Same licence as Social Ledger (this example file)"
    assert listed["outcomes"][0] == "N1.1 More Northshire residents in work"


def test_the_crosswalk_reads_as_the_file_loaded(model, mo_member_viewer):
    rows = client(mo_member_viewer).get(f"/outcome-models/{MODEL}/mappings").json()
    assert {
        "measure": "jobs-created",
        "outcome": "N1.1",
        "note": "New jobs filled on the contract",
    } in rows
    assert len(rows) == 8


def test_an_officer_maps_a_measure_changes_how_it_fits_and_takes_it_off(model, olivia_officer):
    olivia = client(olivia_officer)
    path = f"/outcome-models/{MODEL}/mappings"
    body = {"measure": "jobs-sustained", "outcome": "N1.1", "note": "Jobs kept on the contract"}
    assert body in olivia.put(path, body).json()
    changed = olivia.put(path, {**body, "note": "Jobs kept"}).json()
    assert {**body, "note": "Jobs kept"} in changed
    after = olivia.delete(path, measure="jobs-sustained", outcome="N1.1").json()
    assert all(row["measure"] != "jobs-sustained" for row in after)
    assert list(
        AuditEvent.objects.filter(action__startswith="outcome_mapping.")
        .order_by("pk")
        .values_list("action", flat=True)
    )[-3:] == ["outcome_mapping.set", "outcome_mapping.set", "outcome_mapping.removed"]


def test_unknown_codes_are_named_field_by_field(model, olivia_officer):
    answer = client(olivia_officer).put(
        f"/outcome-models/{MODEL}/mappings", {"measure": "no-such", "outcome": "N9.9"}
    )
    assert answer.status_code == 422
    assert [d["field"] for d in answer.json()["error"]["details"]] == ["measure", "outcome"]


def test_only_officers_keep_crosswalks(model, mo_member_viewer, cara_contributor):
    body = {"measure": "jobs-sustained", "outcome": "N1.1"}
    for user in (mo_member_viewer, cara_contributor):
        assert client(user).put(f"/outcome-models/{MODEL}/mappings", body).status_code == 403


def test_another_providers_model_is_not_found(model, otto_outsider):
    assert client(otto_outsider).get(f"/outcome-models/{MODEL}/mappings").status_code == 404


def test_an_officer_records_the_model_a_contract_was_procured_under(
    provider, contract, olivia_officer
):
    make_example_model(provider, model_version("2026-1", "2026-04-01", "2026-12-31"))
    make_example_model(provider, model_version("2027-1", "2027-01-01"))
    olivia = client(olivia_officer)
    path = f"/contracts/{contract.pk}/outcome-model"
    answer = olivia.put(path, {"code": "northshire-themes", "procurement_started_on": "2027-02-01"})
    assert answer.json() == {
        "contract_id": contract.pk,
        "outcome_model": "northshire-themes@2027-1",
        "procurement_started_on": "2027-02-01",
    }
    named = olivia.put(path, {"model": "northshire-themes@2026-1"}).json()
    assert named["outcome_model"] == "northshire-themes@2026-1"
    too_early = olivia.put(
        path, {"code": "northshire-themes", "procurement_started_on": "2020-01-01"}
    )
    assert too_early.status_code == 422
    assert "started on 1 January 2020" in too_early.json()["error"]["message"]
    assert olivia.put(path, {}).status_code == 422


def test_a_member_viewer_may_not_record_it(model, contract, mo_member_viewer):
    answer = client(mo_member_viewer).put(
        f"/contracts/{contract.pk}/outcome-model", {"model": MODEL}
    )
    assert answer.status_code == 403
