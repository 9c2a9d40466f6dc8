"""The report pages: drill-down totals equal the figure, members never see drafts, comparison,
downloads, publishing, and a fixed number of queries whatever the size of the ledger."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.audit.models import AuditEvent
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.actions import publish_report, unpublish_report
from socialledger.reports.models import PublishedReport
from socialledger.reports.queries import forget_kept_reports
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return

Y2023 = FinancialYear(2023)


@pytest.fixture
def ada_admin(provider):
    return make_user("ada", provider, Role.PROVIDER_ADMIN)


@pytest.fixture
def figures(provider, framework, supplier, contract):
    make_return(
        supplier,
        [
            (contract, "apprenticeships-created", 7, {"trade": "plumbing"}),
            (contract, "apprenticeships-created", 2),
            (contract, "jobs-created", 5),
        ],
    )


def test_a_drill_down_lists_the_entries_and_its_total_equals_the_figure(
    client, figures, olivia_officer
):
    client.force_login(olivia_officer)
    page = client.get("/reports/entries/?year=2023-24&measure=apprenticeships-created")
    assert page.status_code == 200
    assert page.context["drill"].total == 9
    assert page.context["page"].paginator.count == 2
    sliced = client.get(
        "/reports/entries/?year=2023-24&measure=apprenticeships-created&breakdown=trade:plumbing"
    )
    assert sliced.context["drill"].total == 7
    unstated = client.get(
        "/reports/entries/?year=2023-24&measure=apprenticeships-created&breakdown=trade:"
    )
    assert unstated.context["drill"].total == 2


def test_a_derived_figure_drills_down_to_its_components_entries(client, figures, olivia_officer):
    client.force_login(olivia_officer)
    page = client.get("/reports/entries/?year=2023-24&measure=employment-outcomes")
    assert page.context["drill"].total == 5
    assert "DEC-001" in page.content.decode()


def test_a_member_never_sees_draft_figures_behind_a_figure(
    client, provider, framework, supplier, member, contract, mo_member_viewer
):
    make_return(supplier, [(contract, "jobs-created", 5)], status=Status.DRAFT)
    client.force_login(mo_member_viewer)
    page = client.get("/reports/entries/?year=2023-24&measure=jobs-created&basis=reported")
    assert page.context["page"].paginator.count == 0


def test_an_unknown_measure_is_not_found(client, figures, olivia_officer):
    client.force_login(olivia_officer)
    assert client.get("/reports/entries/?year=2023-24&measure=nonsense").status_code == 404


def test_the_dashboard_shows_charts_targets_progress_trends_and_leagues(
    client, figures, olivia_officer
):
    client.force_login(olivia_officer)
    page = client.get("/?year=2023-24").content.decode()
    for section in ("commitments", "progress", "trends", "breakdowns", "league"):
        assert f'id="{section}"' in page
    assert page.count('<svg class="chart"') >= 3
    assert "style=" not in page.split('<svg class="chart"', 1)[1].split("</svg>", 1)[0]


def test_two_years_are_compared_side_by_side(client, figures, supplier, contract, olivia_officer):
    make_return(supplier, [(contract, "jobs-created", 4)], year=FinancialYear(2021))
    client.force_login(olivia_officer)
    page = client.get("/reports/compare/?year=2023-24&against=2021-22")
    assert page.context["report"].previous_year == FinancialYear(2021)
    assert "+25%" in page.content.decode()


def test_the_first_year_the_product_handles_has_no_comparison_page(client, figures, olivia_officer):
    client.force_login(olivia_officer)
    page = client.get("/reports/compare/?year=1900-01")
    assert page.status_code == 404


@pytest.mark.parametrize(
    ("extension", "starts"), [("pdf", b"%PDF"), ("xlsx", b"PK"), ("csv", b"section")]
)
def test_the_report_downloads_in_each_format(client, figures, olivia_officer, extension, starts):
    client.force_login(olivia_officer)
    response = client.get(f"/report.{extension}?year=2023-24")
    assert response.status_code == 200
    assert response.content.startswith(starts)


def test_publishing_puts_a_snapshot_on_public_view_and_unpublishing_takes_it_down(
    client, provider, figures, ada_admin
):
    published = publish_report(provider, Y2023, by=ada_admin)
    assert client.get("/public/NWPP/2023-24/").status_code == 200
    assert client.get("/public/NWPP/").status_code == 200
    assert client.get("/public/NWPP/2022-23/").status_code == 404
    assert AuditEvent.objects.filter(action="report.published").exists()
    unpublish_report(published, by=ada_admin)
    assert client.get("/public/NWPP/2023-24/").status_code == 404
    assert AuditEvent.objects.filter(action="report.unpublished").exists()


def test_a_published_page_stays_as_published_until_republished(
    client, provider, supplier, contract, figures, ada_admin
):
    publish_report(provider, Y2023, by=ada_admin)
    other = make_supplier(provider, "LATE")
    make_return(other, [(make_contract(contract.framework, "DEC-009", supplier=other),
                         "jobs-created", 100)])  # fmt: skip
    jobs = 'card-value">105<'
    assert jobs not in client.get("/public/NWPP/2023-24/").content.decode()
    publish_report(provider, Y2023, by=ada_admin)
    assert jobs in client.get("/public/NWPP/2023-24/").content.decode()
    assert PublishedReport.objects.count() == 1


def test_the_public_page_shows_no_small_number_and_nothing_personal(
    client, provider, figures, ada_admin
):
    publish_report(provider, Y2023, by=ada_admin)
    page = client.get("/public/NWPP/2023-24/").content.decode()
    assert "fewer than 5" in page  # the 2 apprenticeships without a trade
    assert "person" not in page.lower().replace("personal", "")
    assert "/reports/entries/" not in page


def test_a_provider_admin_publishes_through_the_page(client, provider, figures, ada_admin):
    client.force_login(ada_admin)
    unconfirmed = client.post("/reports/2023-24/publish/", {"threshold": "5"})
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    assert not PublishedReport.objects.exists()
    response = client.post("/reports/2023-24/publish/", {"threshold": "5", "confirm": "yes"})
    assert response.status_code == 302
    assert PublishedReport.objects.live().count() == 1
    refused = client.post("/reports/2023-24/publish/", {"threshold": "2", "confirm": "yes"})
    assert "must be suppressed" in refused.content.decode()
    assert PublishedReport.objects.get().threshold == 5


def _grow(provider, framework, count: int) -> None:
    for number in range(2, count):
        other = make_supplier(provider, f"S{number}")
        deal = make_contract(framework, f"DEC-{number:03d}", supplier=other)
        make_return(
            other,
            [
                (deal, "jobs-created", number),
                (deal, "apprenticeships-created", 1, {"trade": "plumbing"}),
            ],
        )


@pytest.mark.parametrize(
    "url",
    [
        "/?year=2023-24",
        "/reports/entries/?year=2023-24&measure=jobs-created",
        "/reports/compare/?year=2023-24",
    ],
)
def test_the_number_of_queries_of_a_report_page_does_not_grow_with_the_ledger(
    client, provider, framework, figures, olivia_officer, url
):
    client.force_login(olivia_officer)
    client.get(url)  # warm caches (sessions, content types)
    forget_kept_reports()  # both looks build the report, not just the first
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(provider, framework, 14)
    forget_kept_reports()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
