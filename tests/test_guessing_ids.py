"""Guessing ids or scopes never reveals another organisation's records: always 404, never 403."""

import pytest
from django.test import Client

from socialledger.accounts.models import Invitation, Membership
from socialledger.contracts.models import Contract
from socialledger.returns.models import Return
from tests.test_permission_matrix import world  # noqa: F401 - the shared test world


def as_persona(world, persona):  # noqa: F811
    client = Client()
    client.force_login(world.users[persona])
    return client


@pytest.mark.parametrize(
    "persona", ["rival_contributor", "rival_member_viewer", "other_provider_admin"]
)
def test_every_contract_and_return_id_that_is_not_theirs_is_a_404(world, persona):  # noqa: F811
    client = as_persona(world, persona)
    membership = Membership.objects.get(user=world.users[persona])
    top = (
        max(Contract.objects.order_by("-pk").first().pk, Return.objects.order_by("-pk").first().pk)
        + 3
    )
    for pk in range(1, top):
        contract = Contract.objects.filter(pk=pk).first()
        mine = contract is not None and membership.organisation in (
            contract.member,
            contract.supplier,
            contract.framework.provider,
        )
        assert client.get(f"/contracts/{pk}/").status_code == (200 if mine else 404), pk
        ret = Return.objects.filter(pk=pk).first()
        own_return = ret is not None and membership.organisation in (
            ret.supplier,
            ret.supplier.provider,
        )
        assert client.get(f"/returns/{pk}/").status_code == (200 if own_return else 404), pk


def test_an_admin_of_another_provider_cannot_touch_our_memberships_or_invitations(world):  # noqa: F811
    client = as_persona(world, "other_provider_admin")
    for membership in Membership.objects.exclude(user=world.users["other_provider_admin"]):
        assert (
            client.post(
                f"/people/memberships/{membership.pk}/role/", {"role": "supplier-viewer"}
            ).status_code
            == 404
        )
        assert (
            client.post(f"/people/memberships/{membership.pk}/active/", {"active": "0"}).status_code
            == 404
        )
    for invitation in Invitation.objects.all():
        assert client.post(f"/people/invitations/{invitation.pk}/revoke/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "scope", "status"),
    [
        ("member_viewer", "member:LFH", 200),
        ("member_viewer", "member:WBC", 404),
        ("member_viewer", "supplier:CRS", 404),
        ("member_viewer", "contract:DEC/DEC-001", 200),
        ("member_viewer", "contract:DEC/DEC-002", 404),
        ("contributor", "supplier:BWC", 404),
        ("contributor", "framework:DEC", 404),
        ("contributor", "contract:DEC/DEC-002", 404),
        ("officer", "supplier:BWC", 200),
        ("officer", "framework:DEC", 200),
        ("other_provider_admin", "member:WBC", 404),  # ours, not theirs
        ("other_provider_admin", "nonsense", 404),
    ],
)
def test_a_report_scope_outside_ones_own_is_a_404(world, persona, scope, status):  # noqa: F811
    client = as_persona(world, persona)
    assert client.get("/", {"scope": scope, "basis": "reported"}).status_code == status
    assert (
        client.get(
            "/report.json", {"scope": scope, "basis": "reported", "year": "2023-24"}
        ).status_code
        == status
    )


def test_searching_contracts_finds_only_ones_own(world):  # noqa: F811
    page = as_persona(world, "rival_contributor").get("/contracts/", {"q": "DEC"}).content.decode()
    assert "DEC-002" in page
    assert "DEC-001" not in page


def test_a_member_never_sees_a_suppliers_draft_figures(world):  # noqa: F811
    """The world's 2023-24 return is a draft; its 2022-23 return is submitted."""
    member_page = as_persona(world, "member_viewer").get(f"/contracts/{world.contract.pk}/")
    supplier_page = as_persona(world, "contributor").get(f"/contracts/{world.contract.pk}/")
    shown_to_member = [
        e.submission.period_label for e in member_page.context["entries"].object_list
    ]
    shown_to_supplier = [
        e.submission.period_label for e in supplier_page.context["entries"].object_list
    ]
    assert shown_to_member == ["2022-23"]
    assert sorted(shown_to_supplier) == ["2022-23", "2023-24"]
