"""The KPI section of the contract page and the ratings-due list, for the people who use them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.kpis.models import KpiRating
from socialledger.kpis.tests.factories import make_kpi, make_rating
from socialledger.returns.tests.factories import measure


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_adds_a_kpi_linked_to_a_measure(contract, olivia_officer):
    response = signed_in(olivia_officer).post(
        reverse("kpi-add", args=[contract.pk]),
        {"title": "Local jobs", "target": "20 a year", "measures": [measure("jobs-created").pk]},
    )
    assert response.status_code == 302
    kpi = contract.kpis.get()
    assert (kpi.title, list(kpi.measures.all())) == ("Local jobs", [measure("jobs-created")])


def test_an_officer_rates_a_kpi_and_a_missing_justification_is_explained(contract, olivia_officer):
    kpi = make_kpi(contract)
    client = signed_in(olivia_officer)
    url = reverse("kpi-rate", args=[contract.pk, kpi.pk])
    period = {"rating": "good", "period_start": "2023-04-01", "period_end": "2024-03-31"}
    refused = client.post(url, period, follow=True)
    assert "Justification: This field is required." in refused.content.decode()
    client.post(url, {**period, "justification": "Ahead of plan."})
    assert KpiRating.objects.get().justification == "Ahead of plan."


def test_the_contract_page_shows_kpis_and_warns_when_fewer_than_three(
    contract, mo_member_viewer, settings
):
    settings.KPI_THRESHOLD = 1_000_000
    make_rating(make_kpi(contract, "Local jobs"))
    page = signed_in(mo_member_viewer).get(reverse("contract-detail", args=[contract.pk]))
    text = page.content.decode()
    assert "Local jobs" in text
    assert "Good" in text
    assert "This contract has 1 KPI; it needs 2 more." in text
    assert "Add a KPI" not in text  # a member reads the register; only officers keep it


def test_a_supplier_and_an_auditor_read_but_cannot_rate(contract, cara_contributor, provider):
    kpi = make_kpi(contract)
    auditor = make_user("audrey", provider, Role.AUDITOR)
    for person in (cara_contributor, auditor):
        client = signed_in(person)
        assert client.get(reverse("contract-detail", args=[contract.pk])).status_code == 200
        url = reverse("kpi-rate", args=[contract.pk, kpi.pk])
        assert client.post(url, {"rating": "good"}).status_code == 404


def test_the_due_list_shows_overdue_ratings_and_contracts_short_of_kpis(
    contract, olivia_officer, settings
):
    settings.KPI_THRESHOLD = 1_000_000
    make_kpi(contract, "Local jobs")
    text = signed_in(olivia_officer).get(reverse("kpi-due")).content.decode()
    assert "Local jobs" in text
    assert "(overdue)" in text
    assert "1 of 3" in text
