"""In a real browser: a provider admin creates a framework, its lot, a supplier and a member,
lets a contract, sets its commitment, and invites the supplier's first contributor."""

import pytest
from django.core import mail

from socialledger.accounts.models import Invitation, Role
from socialledger.accounts.tests.factories import make_user
from socialledger.contracts.models import Commitment, Contract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ada(provider):
    return make_user("ada", provider, Role.PROVIDER_ADMIN)


def submit(page, label: str) -> None:
    page.get_by_role("button", name=label).click()
    page.wait_for_load_state()


def test_an_admin_sets_up_a_contract_with_a_commitment_and_invites_its_supplier(
    page, sign_in_with_browser, ada
):
    sign_in_with_browser(page, "ada")
    page.get_by_role("link", name="Set-up").click()

    page.get_by_role("link", name="Add a framework").click()
    page.get_by_label("Reference", exact=True).fill("DEC")
    page.get_by_label("Name", exact=True).fill("Decarbonisation")
    page.get_by_label("Starts on", exact=True).fill("2024-04-01")
    page.get_by_label("Ends on", exact=True).fill("2028-03-31")
    submit(page, "Add the framework")
    assert page.get_by_role("heading", name="Decarbonisation").is_visible()

    page.get_by_role("link", name="Add a lot").click()
    page.get_by_label("Reference", exact=True).fill("1")
    page.get_by_label("Name", exact=True).fill("Whole-house retrofit")
    submit(page, "Add the lot")

    for kind, reference, name in (
        ("supplier", "CRS", "Calder Retrofit Services"),
        ("member", "LFH", "Larkfield Homes"),
    ):
        page.goto("/setup/")
        page.get_by_role("link", name=f"Add a {kind}").click()
        page.get_by_label("Reference", exact=True).fill(reference)
        page.get_by_label("Name", exact=True).fill(name)
        submit(page, f"Add the {kind}")

    page.goto("/setup/")
    page.get_by_role("link", name="Decarbonisation").click()
    page.get_by_role("link", name="Lot 1: Whole-house retrofit").click()
    page.get_by_label("Supplier to appoint to this lot", exact=True).select_option(
        label="Calder Retrofit Services"
    )
    submit(page, "Appoint the supplier")
    assert page.get_by_text("Calder Retrofit Services is appointed to lot 1.").is_visible()

    page.goto("/contracts/")
    page.get_by_role("link", name="Let a contract").click()
    page.get_by_label("Framework and lot", exact=True).select_option(index=1)
    page.get_by_label("Reference", exact=True).fill("DEC-001")
    page.get_by_label("Title", exact=True).fill("Retrofit of 200 homes")
    page.get_by_label("Member", exact=True).select_option(label="Larkfield Homes")
    page.get_by_label("Supplier", exact=True).select_option(label="Calder Retrofit Services")
    page.get_by_label("Contract value (£)", exact=True).fill("2000000")
    page.get_by_label("Starts on", exact=True).fill("2024-04-01")
    submit(page, "Add the contract")
    assert page.get_by_role("heading", name="DEC-001: Retrofit of 200 homes").is_visible()

    page.get_by_role("link", name="Set a commitment").click()
    page.get_by_label("Measure", exact=True).select_option(label="Jobs created")
    page.get_by_label("Financial year", exact=True).fill("2024-25")
    page.get_by_label("Basis", exact=True).select_option(label="Per £1m of contract value")
    page.get_by_label("Quantity", exact=True).fill("10")
    submit(page, "Set the commitment")
    assert page.get_by_text("The commitment for Jobs created was set.").is_visible()

    page.goto("/setup/")
    page.get_by_role("link", name="Calder Retrofit Services").click()
    page.get_by_role("link", name="Invite someone to act for Calder Retrofit Services").click()
    page.get_by_label("Email", exact=True).fill("cara@calder.example")
    page.get_by_label("Role", exact=True).select_option(label="Supplier contributor")
    submit(page, "Send the invitation")
    assert page.get_by_text("An invitation was sent to cara@calder.example.").is_visible()

    contract = Contract.objects.get(reference="DEC-001")
    assert contract.supplier.reference == "CRS"
    assert Commitment.objects.get(contract=contract).target_quantity == 20
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.role) == (contract.supplier, "supplier-contributor")
    assert mail.outbox[-1].to == ["cara@calder.example"]
