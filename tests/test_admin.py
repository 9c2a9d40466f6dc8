"""The Django admin: every page opens, edits are audited, returns and the audit log are
read-only."""

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
    url = f"/admin/organisations/organisation/{ledger.member.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"name": "Larkfield Homes Group", "provider": ledger.member.provider_id})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="organisation.changed")
    assert (event.actor, event.before, event.after) == (
        admin_user,
        {"name": "Larkfield Homes"},
        {"name": "Larkfield Homes Group"},
    )


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
