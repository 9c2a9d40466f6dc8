"""Provider admins and auditors read and export their provider's audit log, and nobody else's."""

import csv
import io

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.audit.actions import record
from socialledger.returns.tests.factories import make_return


def test_the_log_shows_the_providers_own_events_newest_first(
    client, provider, supplier, contract, otto_outsider
):
    make_return(supplier, [(contract, "jobs-created", 4)])
    client.force_login(make_user("audrey", provider, Role.AUDITOR))
    page = client.get("/audit/").content.decode()
    assert "return.verified" in page
    assert "OTS" not in page
    assert "otto" not in page


def test_the_log_can_be_filtered_by_action(client, provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 4)])
    client.force_login(make_user("audrey", provider, Role.AUDITOR))
    page = client.get("/audit/", {"action": "contract."}).content.decode()
    assert "contract.created" in page
    assert "return.verified" not in page


def test_the_export_is_csv_with_formulas_neutralised(client, provider, contract):
    record(contract, "contract.changed", by=None, provider=provider, note="=cmd|' /C calc'!A0")
    client.force_login(make_user("ada", provider, Role.PROVIDER_ADMIN))
    response = client.get("/audit.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    notes = [row["note"] for row in rows if row["action"] == "contract.changed"]
    assert notes == ["'=cmd|' /C calc'!A0"]
    assert {row["action"] for row in rows} >= {"contract.created", "framework.created"}


def test_a_contract_page_shows_its_history(client, provider, contract, olivia_officer):
    client.force_login(olivia_officer)
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "contract.created" in page
