"""Provider staff set up frameworks, lots, members, suppliers, contracts, commitments and spend on
ordinary pages; every change is an action with an audit event, and nobody else may make it."""

from decimal import Decimal

import pytest

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.audit.models import AuditEvent
from socialledger.contracts.models import Commitment, Contract, Framework, Lot, Spend
from socialledger.organisations.models import Organisation


@pytest.fixture
def ada_admin(provider):
    return make_user("ada", provider, Role.PROVIDER_ADMIN)


@pytest.fixture
def as_ada(client, ada_admin):
    client.force_login(ada_admin)
    return client


def audited(action: str) -> bool:
    return AuditEvent.objects.filter(action=action, actor__username="ada").exists()


def test_an_admin_adds_a_framework_and_its_lot_on_pages(as_ada, provider):
    response = as_ada.post(
        "/setup/frameworks/new/",
        {
            "reference": "DEC",
            "name": "Decarbonisation",
            "starts_on": "2024-04-01",
            "ends_on": "2028-03-31",
            "value": "50000000",
        },
    )
    framework = Framework.objects.get(provider=provider)
    assert response["Location"] == f"/setup/frameworks/{framework.pk}/"
    as_ada.post(f"/setup/frameworks/{framework.pk}/lots/new/", {"reference": "1", "name": "Homes"})
    assert framework.lots.get().name == "Homes"
    assert audited("framework.created")
    assert audited("lot.created")
    page = as_ada.get(f"/setup/frameworks/{framework.pk}/").content.decode()
    assert "Lot 1: Homes" in page


def test_a_framework_whose_end_comes_before_its_start_is_refused_with_the_reason(as_ada):
    response = as_ada.post(
        "/setup/frameworks/new/",
        {"reference": "DEC", "name": "D", "starts_on": "2024-04-01", "ends_on": "2023-03-31"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Framework.objects.exists()


def test_an_edit_changes_what_may_change_and_records_before_and_after(as_ada, framework):
    as_ada.post(
        f"/setup/frameworks/{framework.pk}/edit/",
        {"name": "Decarbonisation 2", "starts_on": "2020-04-01", "ends_on": "2029-03-31"},
    )
    framework.refresh_from_db()
    assert (framework.name, framework.reference) == ("Decarbonisation 2", "DEC")
    event = AuditEvent.objects.get(action="framework.changed")
    assert event.before["name"] == "Framework DEC"
    assert event.after["name"] == "Decarbonisation 2"


def test_an_admin_registers_a_supplier_and_appoints_it_to_a_lot(as_ada, provider, framework):
    as_ada.post(
        "/setup/organisations/new/supplier/",
        {"reference": "CRS", "name": "Calder Retrofit Services", "sector": "construction"},
    )
    supplier = Organisation.objects.get(provider=provider, kind="supplier")
    lot = framework.lots.first()
    page = as_ada.get(f"/setup/lots/{lot.pk}/")
    assert "Calder Retrofit Services" in page.content.decode()  # offered for appointment
    as_ada.post(f"/setup/lots/{lot.pk}/appoint/", {"supplier": supplier.pk})
    assert list(lot.suppliers.all()) == [supplier]
    assert audited("organisation.created")
    assert audited("lot.supplier_appointed")


def test_a_new_supplier_page_offers_to_invite_its_first_staff(as_ada, provider):
    as_ada.post("/setup/organisations/new/member/", {"reference": "LFH", "name": "Larkfield"})
    member = Organisation.objects.get(provider=provider, kind="member")
    page = as_ada.get(f"/setup/organisations/{member.pk}/").content.decode()
    assert f"/people/invite/?organisation={member.pk}" in page
    form = as_ada.get(f"/people/invite/?organisation={member.pk}").context["form"]
    assert form["organisation"].value() == member.pk


def test_an_officer_lets_a_contract_sets_a_commitment_and_records_spend(
    client, olivia_officer, framework, member, supplier
):
    client.force_login(olivia_officer)
    lot = framework.lots.first()
    lot.suppliers.add(supplier)
    client.post(
        "/contracts/new/",
        {
            "lot": lot.pk,
            "reference": "DEC-014",
            "title": "Retrofit of 200 homes",
            "member": member.pk,
            "supplier": supplier.pk,
            "value": "2500000",
            "starts_on": "2024-04-01",
        },
    )
    contract = Contract.objects.get(reference="DEC-014")
    assert (contract.framework, contract.value) == (framework, Decimal("2500000"))
    client.post(
        f"/contracts/{contract.pk}/commitments/new/",
        {
            "measure": _measure("jobs-created").pk,
            "year": "2024-25",
            "basis": "per-million",
            "quantity": "2",
        },
    )
    assert Commitment.objects.get(contract=contract).target_quantity == Decimal(5)
    client.post(
        f"/contracts/{contract.pk}/spend/new/", {"period_end": "2024-06-30", "amount": "310000"}
    )
    assert Spend.objects.get(contract=contract).amount == Decimal("310000")
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "£310,000" in page
    assert {"contract.created", "commitment.set", "contract.spend_recorded"} <= set(
        AuditEvent.objects.filter(actor=olivia_officer).values_list("action", flat=True)
    )


def test_a_contract_to_a_supplier_not_on_the_lot_is_refused_and_nothing_is_written(
    client, olivia_officer, framework, member, supplier
):
    client.force_login(olivia_officer)
    response = client.post(
        "/contracts/new/",
        {
            "lot": framework.lots.first().pk,
            "reference": "DEC-014",
            "title": "Retrofit",
            "member": member.pk,
            "supplier": supplier.pk,
            "value": "1000",
            "starts_on": "2024-04-01",
        },
    )
    assert "not appointed" in response.content.decode()
    assert not Contract.objects.exists()


def test_a_contracts_parties_and_lot_cannot_be_changed_on_its_edit_page(
    client, olivia_officer, contract, provider
):
    other = Organisation.objects.create(
        kind="supplier", provider=provider, reference="OTH", name="Other"
    )
    client.force_login(olivia_officer)
    client.post(
        f"/contracts/{contract.pk}/edit/",
        {"title": "Renamed", "value": "2100000", "starts_on": "2021-04-01", "supplier": other.pk},
    )
    contract.refresh_from_db()
    assert (contract.title, contract.value) == ("Renamed", Decimal("2100000"))
    assert contract.supplier.reference == "CRS"


def test_spend_recorded_again_for_a_period_replaces_it_and_says_what_it_was(
    client, olivia_officer, contract
):
    client.force_login(olivia_officer)
    for amount in ("100", "150"):
        client.post(
            f"/contracts/{contract.pk}/spend/new/", {"period_end": "2024-06-30", "amount": amount}
        )
    assert Spend.objects.get(contract=contract).amount == Decimal(150)
    latest = AuditEvent.objects.filter(action="contract.spend_recorded").order_by("pk").last()
    assert latest.before == {"amount": "100"}


@pytest.mark.parametrize(
    "path",
    [
        "/setup/",
        "/setup/frameworks/new/",
        "/contracts/new/",
        "/setup/organisations/new/supplier/",
    ],
)
def test_suppliers_members_and_auditors_cannot_open_the_set_up_pages(
    client, cara_contributor, mo_member_viewer, provider, path
):
    auditor = make_user("audrey", provider, Role.AUDITOR)
    for person in (cara_contributor, mo_member_viewer, auditor):
        client.force_login(person)
        assert client.get(path).status_code == 404


def test_another_providers_framework_lot_and_supplier_are_not_found(
    client, otto_outsider, framework, supplier, contract
):
    outsider_admin = make_user(
        "oscar", otto_outsider.memberships.get().organisation.provider, Role.PROVIDER_ADMIN
    )
    client.force_login(outsider_admin)
    for path in (
        f"/setup/frameworks/{framework.pk}/",
        f"/setup/lots/{framework.lots.first().pk}/",
        f"/setup/organisations/{supplier.pk}/",
        f"/contracts/{contract.pk}/edit/",
        f"/contracts/{contract.pk}/spend/new/",
    ):
        assert client.get(path).status_code == 404, path


def test_a_lot_cannot_be_reached_to_appoint_another_providers_supplier(
    as_ada, framework, otto_outsider
):
    stranger = otto_outsider.memberships.get().organisation
    lot = framework.lots.first()
    as_ada.post(f"/setup/lots/{lot.pk}/appoint/", {"supplier": stranger.pk})
    assert not Lot.objects.get(pk=lot.pk).suppliers.exists()


def _measure(code: str):
    from socialledger.measures.models import Measure

    return Measure.objects.get(code=code, provider__isnull=True)
