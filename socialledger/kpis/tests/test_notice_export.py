"""The export of what a contract performance notice needs, as CSV and JSON, on the web and the
command line."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from socialledger.kpis.queries import notice_csv, notice_json, performance_notice
from socialledger.kpis.tests.factories import make_kpi, make_rating
from socialledger.lib.periods import FinancialYear
from socialledger.returns.tests.factories import make_return

TODAY = FinancialYear(2024).start


def test_each_rating_is_a_row_with_the_contract_kpi_rating_period_and_figure(contract, supplier):
    make_return(supplier, [(contract, "jobs-created", 4)])
    make_rating(make_kpi(contract, "Jobs", "jobs-created"), justification="Ahead of plan.")
    make_rating(make_kpi(contract, "Homes on programme"), figure=Decimal("96"))
    rows = list(
        csv.DictReader(
            io.StringIO(notice_csv(performance_notice(contract.__class__.objects.all(), TODAY)))
        )
    )
    assert [
        (
            r["contract"],
            r["kpi"],
            r["rating"],
            r["period_start"],
            r["period_end"],
            r["justification"],
        )
        for r in rows
    ] == [
        ("DEC-001", "Jobs", "Good", "2023-04-01", "2024-03-31", "Ahead of plan."),
        (
            "DEC-001",
            "Homes on programme",
            "Good",
            "2023-04-01",
            "2024-03-31",
            "On target all year.",
        ),
    ]
    assert [(r["figure_source"], r["figure_verified"], r["figure_entered"]) for r in rows] == [
        ("measures: jobs-created", "4", ""),
        ("entered", "", "96"),
    ]
    assert rows[0]["ocid"] == "ocds-socialledger-NWPP-DEC-DEC-001"


def test_the_json_export_has_the_same_rows(contract):
    make_rating(make_kpi(contract))
    rows = performance_notice(contract.__class__.objects.all(), TODAY)
    assert json.loads(notice_json(rows))["ratings"][0]["kpi"] == "Local jobs"


def test_a_member_downloads_only_its_own_contracts_ratings(contract, framework, mo_member_viewer):
    from socialledger.contracts.tests.factories import make_contract
    from socialledger.organisations.tests.factories import make_member

    make_rating(make_kpi(contract, "Ours"))
    other = make_contract(framework, "DEC-002", member=make_member(contract.provider, "WBC"))
    make_rating(make_kpi(other, "Theirs"))
    client = Client()
    client.force_login(mo_member_viewer)
    response = client.get(reverse("kpi-export", args=["csv"]))
    assert "Ours" in response.content.decode()
    assert "Theirs" not in response.content.decode()
    assert (
        client.get(reverse("kpi-export", args=["csv"]) + f"?contract={other.pk}").status_code == 404
    )


def test_the_command_lists_ratings_due_and_writes_the_export(contract, settings, tmp_path, capsys):
    settings.KPI_THRESHOLD = 1_000_000
    make_rating(make_kpi(contract))
    call_command("kpis", "due")
    out = capsys.readouterr().out
    assert "DEC/DEC-001  Local jobs" in out
    assert "SHORT    1 of 3 KPIs  DEC/DEC-001" in out
    call_command("kpis", "export", "--format", "json", "-o", str(tmp_path / "notice.json"))
    assert json.loads((tmp_path / "notice.json").read_text())["ratings"][0]["rating"] == "Good"
