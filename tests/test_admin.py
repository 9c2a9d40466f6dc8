"""The Django admin: every page opens; organisations, frameworks, lots, contracts, commitments,
spend, memberships, returns and the audit log are read-only there (they change only through the
actions); what it still edits is audited."""

import pytest
from django.contrib import admin

from socialledger.audit.models import AuditEvent
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return


@pytest.fixture
def ledger(supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 4)], status=Status.SUBMITTED)
    return contract


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_list_page_opens(admin_client, ledger, model):
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    assert admin_client.get(url).status_code == 200


def test_an_edit_in_the_admin_is_audited_with_before_and_after(admin_client, admin_user, ledger):
    from socialledger.measures.tests.factories import make_stock_measure

    measure = make_stock_measure(ledger.framework.provider)
    url = f"/admin/measures/measure/{measure.pk}/change/"
    context = admin_client.get(url).context
    data = {k: ("" if v is None else v) for k, v in context["adminform"].form.initial.items()}
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({f"{management.prefix}-{k}": v for k, v in management.initial.items()})
    data.update({"name": "Headcount", "dimensions": []})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="measure.changed")
    assert (event.actor, event.before, event.after) == (
        admin_user,
        {"name": "People employed on the contract"},
        {"name": "Headcount"},
    )


@pytest.mark.parametrize(
    "path",
    [
        "organisations/organisation",
        "contracts/framework",
        "contracts/contract",
        "contracts/commitment",
        "contracts/spend",
        "accounts/membership",
    ],
)
def test_the_admin_cannot_add_change_or_delete_what_the_actions_own(admin_client, ledger, path):
    assert admin_client.get(f"/admin/{path}/add/").status_code == 403
    rows = {
        "organisations/organisation": ledger.member.pk,
        "contracts/framework": ledger.framework.pk,
        "contracts/contract": ledger.pk,
    }
    if path in rows:
        change = f"/admin/{path}/{rows[path]}/change/"
        assert admin_client.get(change).status_code == 200  # it may be read
        assert admin_client.post(change, {"name": "X", "title": "X"}).status_code == 403
        assert (
            admin_client.post(f"/admin/{path}/{rows[path]}/delete/", {"post": "yes"}).status_code
            == 403
        )


def test_a_contract_cannot_be_moved_to_another_supplier_in_the_admin(admin_client, ledger):
    from socialledger.organisations.tests.factories import make_supplier

    other = make_supplier(ledger.framework.provider, "OTH")
    url = f"/admin/contracts/contract/{ledger.pk}/change/"
    assert admin_client.post(url, {"supplier": other.pk}).status_code == 403
    ledger.refresh_from_db()
    assert ledger.supplier.reference == "CRS"


def test_returns_entries_and_the_audit_log_cannot_be_changed_in_the_admin(admin_client, ledger):
    ret = ledger.entries.get().submission
    assert (
        admin_client.post(
            f"/admin/returns/return/{ret.pk}/change/", {"status": "verified"}
        ).status_code
        == 403
    )
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403
    ret.refresh_from_db()
    assert ret.status == Status.SUBMITTED
