"""The KPI register through the API: provider officers add, rate and take out KPIs; whoever may
see the contract reads its register and the ratings for contract performance notices; the rules
of the register answer with why."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from socialledger.accounts.tests.factories import make_token
from socialledger.audit.models import AuditEvent
from socialledger.contracts.tests.factories import make_contract
from socialledger.kpis.models import Kpi, KpiRating
from socialledger.kpis.tests.factories import make_kpi, make_rating
from socialledger.lib.periods import FinancialYear
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return
from tests.api_helpers import ApiClient
from tests.test_api import error_of

YEAR = FinancialYear(2023)
RATING = {
    "rating": "approaching-target",
    "period_start": "2023-04-01",
    "period_end": "2024-03-31",
    "justification": "96 of 100 homes on programme.\nTwo held up by access.",
}


@pytest.fixture
def officer(olivia_officer) -> ApiClient:
    return ApiClient(make_token(olivia_officer))


@pytest.fixture
def big(framework, member, supplier):
    """A £6m contract: the Procurement Act asks it for three KPIs."""
    return make_contract(
        framework,
        "DEC-100",
        member=member,
        supplier=supplier,
        value="6000000",
        starts_on=YEAR.start,
    )


def kpis_path(contract) -> str:
    return f"/contracts/{contract.pk}/kpis"


def test_an_officer_adds_three_kpis_rates_one_and_the_notice_export_shows_it(officer, big):
    register = officer.get(kpis_path(big)).json()
    assert (register["required"], register["short_by"], register["kpis"]) == (True, 3, [])
    added = [
        officer.post(kpis_path(big), {"title": title, "target": target, "measures": codes})
        for title, target, codes in (
            ("Local jobs", "12 a year", ["jobs-created"]),
            ("Apprentices", "4 a year", ["apprenticeships-created"]),
            ("Homes on programme", "100%", []),
        )
    ]
    assert [answer.status_code for answer in added] == [201, 201, 201]
    homes = added[2].json()
    assert (homes["figure_from"], homes["measures"], homes["ratings"]) == ("entered", [], [])

    rated = officer.post(f"{kpis_path(big)}/{homes['id']}/ratings", {**RATING, "figure": "96"})
    assert rated.status_code == 201
    (rating,) = rated.json()["ratings"]
    assert (rating["rating_label"], rating["figure_entered"]) == ("Approaching target", "96")
    assert rating["justification"] == RATING["justification"]

    register = officer.get(kpis_path(big)).json()
    assert register["short_by"] == 0
    assert [k["title"] for k in register["kpis"]] == [
        "Local jobs",
        "Apprentices",
        "Homes on programme",
    ]
    notice = officer.get("/exports/kpi-ratings", format="json", contract_id=big.pk)
    (row,) = notice.json()["ratings"]
    assert (row["contract"], row["kpi"], row["kpi_target"]) == (
        "DEC-100",
        "Homes on programme",
        "100%",
    )
    assert (row["rating"], row["period_start"], row["period_end"]) == (
        "Approaching target",
        "2023-04-01",
        "2024-03-31",
    )
    assert (row["figure_source"], row["figure_entered"]) == ("entered", "96")
    as_csv = officer.get("/exports/kpi-ratings", format="csv", contract_id=big.pk)
    assert as_csv["Content-Type"].startswith("text/csv")
    assert [r["kpi"] for r in csv.DictReader(io.StringIO(as_csv.content.decode()))] == [
        "Homes on programme"
    ]
    labels = AuditEvent.objects.filter(action__startswith="kpi.").values_list(
        "action", "actor_label"
    )
    assert sorted(labels) == [("kpi.added", "olivia (api)")] * 3 + [("kpi.rated", "olivia (api)")]


def test_a_linked_kpi_is_rated_with_its_figure_verified_and_reported(officer, big, supplier):
    make_return(supplier, [(big, "jobs-created", 4)], year=YEAR, status=Status.SUBMITTED)
    kpi = make_kpi(big, "Local jobs", "jobs-created")
    rated = officer.post(f"{kpis_path(big)}/{kpi.pk}/ratings", {**RATING, "rating": "good"})
    (rating,) = rated.json()["ratings"]
    assert (rating["figure_verified"], rating["figure_reported"]) == ("0", "4")
    assert rating["figure_entered"] is None


def test_a_member_viewer_reads_the_register_but_may_not_change_it(mo_member_viewer, big):
    kpi = make_kpi(big, "Local jobs", "jobs-created")
    mo = ApiClient(make_token(mo_member_viewer))
    assert [k["title"] for k in mo.get(kpis_path(big)).json()["kpis"]] == ["Local jobs"]
    assert mo.get("/exports/kpi-ratings", contract_id=big.pk).status_code == 200
    refused = [
        mo.post(kpis_path(big), {"title": "Mine"}),
        mo.post(f"{kpis_path(big)}/{kpi.pk}/ratings", RATING),
        mo.delete(f"{kpis_path(big)}/{kpi.pk}"),
    ]
    assert [answer.status_code for answer in refused] == [403, 403, 403]
    assert "member viewer may not keep KPI registers" in error_of(refused[0])["message"]
    assert mo.get("/kpis/due").status_code == 403
    assert (Kpi.objects.count(), KpiRating.objects.count()) == (1, 0)


def test_an_outsider_gets_404_for_another_providers_register(otto_outsider, big):
    kpi = make_kpi(big)
    make_rating(kpi, start=YEAR.start, end=YEAR.end)
    otto = ApiClient(make_token(otto_outsider))
    for answer in (
        otto.get(kpis_path(big)),
        otto.get("/exports/kpi-ratings", contract_id=big.pk),
    ):
        assert answer.status_code == 404
        assert error_of(answer)["code"] == "not_found"
    assert otto.get("/exports/kpi-ratings", format="json").json() == {"ratings": []}


def test_a_rating_the_rules_refuse_is_answered_with_why_and_not_saved(officer, big):
    kpi = make_kpi(big)
    make_rating(kpi, start=YEAR.start, end=YEAR.end)
    path = f"{kpis_path(big)}/{kpi.pk}/ratings"
    overlapping = officer.post(path, {**RATING, "period_start": "2024-01-01"})
    assert overlapping.status_code == 422
    assert error_of(overlapping)["code"] == "refused"
    assert "already rated for part of that period" in error_of(overlapping)["message"]
    too_long = officer.post(
        path, {**RATING, "period_start": "2024-04-01", "period_end": "2025-05-31"}
    )
    assert too_long.status_code == 422
    assert error_of(too_long)["details"][0]["field"] == "period_end"
    unjustified = officer.post(path, {**RATING, "justification": ""})
    assert unjustified.status_code == 422
    assert error_of(unjustified)["details"][0]["field"] == "justification"
    assert KpiRating.objects.count() == 1


def test_an_unknown_measure_is_named_and_nothing_is_added(officer, big):
    answer = officer.post(kpis_path(big), {"title": "Jobs", "measures": ["jobs-created", "nope"]})
    assert answer.status_code == 422
    assert error_of(answer)["details"] == [
        {"field": "measures.1", "message": "no such measure; GET /measures lists them"}
    ]
    assert not Kpi.objects.exists()


def test_an_unrated_kpi_can_be_taken_out_and_a_rated_one_stays(officer, big):
    unrated, rated = make_kpi(big, "Unrated"), make_kpi(big, "Rated")
    make_rating(rated, start=YEAR.start, end=YEAR.end)
    kept = officer.delete(f"{kpis_path(big)}/{rated.pk}")
    assert kept.status_code == 422
    assert "A rated KPI stays in the register" in error_of(kept)["message"]
    removed = officer.delete(f"{kpis_path(big)}/{unrated.pk}")
    assert removed.status_code == 200
    assert [k["title"] for k in removed.json()["kpis"]] == ["Rated"]
    assert AuditEvent.objects.get(action="kpi.removed").actor_label == "olivia (api)"


def test_a_kpi_is_found_only_on_its_own_contract(officer, big, contract):
    kpi = make_kpi(contract)
    answer = officer.post(f"{kpis_path(big)}/{kpi.pk}/ratings", RATING)
    assert answer.status_code == 404
    assert KpiRating.objects.count() == 0


def test_officers_list_the_ratings_due_and_the_contracts_short_of_kpis(officer, big, contract):
    make_kpi(big, "Local jobs", "jobs-created")
    due = officer.get("/kpis/due").json()
    assert due["count"] == 1
    (line,) = due["items"]
    assert (line["title"], line["contract"], line["status"]) == ("Local jobs", "DEC-100", "overdue")
    assert (line["due_on"], line["rated_until"]) == (str(YEAR.end), None)
    short = officer.get("/kpis/contracts-short").json()
    assert [(c["contract"], c["kpi_count"], c["short_by"]) for c in short["items"]] == [
        ("DEC-100", 1, 2)
    ]


def test_a_read_only_token_cannot_add_a_kpi(olivia_officer, big):
    reader = ApiClient(make_token(olivia_officer, can_write=False))
    assert reader.get(kpis_path(big)).status_code == 200
    answer = reader.post(kpis_path(big), {"title": "Jobs"})
    assert (answer.status_code, error_of(answer)["code"]) == (403, "read_only_token")


def test_the_register_reads_like_the_contract_page(officer, big):
    make_rating(make_kpi(big), start=date(2023, 4, 1), end=date(2024, 3, 31))
    register = officer.get(kpis_path(big)).json()
    assert (register["contract"], register["value"], register["threshold"]) == (
        "DEC-100",
        "6000000",
        "5000000",
    )
    (kpi,) = register["kpis"]
    assert (kpi["status"], kpi["due_on"]) == ("overdue", "2025-03-31")
