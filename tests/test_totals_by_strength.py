"""Every total can be split by evidence strength, in every format, and the parts add up to it;
a provider's minimum strength for a published headline labels the figures below it."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.reports.documents import render_body, render_xlsx
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render
from socialledger.returns.actions import submit_return, verify_return
from socialledger.returns.evidence import add_evidence, grade_evidence
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return
from socialledger.verification.strength import Strength

Y2023 = FinancialYear(2023)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def ledger(settings, tmp_path, provider, framework, supplier, contract):
    """12 jobs backed by a payroll extract an officer called a document, 5 on the supplier's
    word, on two contracts; 3 jobs sustained with nothing attached."""
    settings.MEDIA_ROOT = tmp_path
    second = make_contract(framework, "DEC-002", supplier=supplier)
    ret = make_return(
        supplier,
        [
            (contract, "jobs-created", 12),
            (second, "jobs-created", 5),
            (second, "jobs-sustained", 3),
        ],
        status=Status.DRAFT,
    )
    payroll = ret.entries.get(contract=contract)
    item = add_evidence(ret, by=None, upload=SimpleUploadedFile("payroll.pdf", PDF), entry=payroll)
    grade_evidence(item, grade="documented", by=None)
    verify_return(submit_return(ret, by=None), by=None)


def report(provider):
    return annual_report(Scope(provider), Y2023)


def test_a_total_splits_by_strength_and_the_parts_add_up_to_it(provider, ledger):
    jobs = report(provider).strength("jobs-created")
    assert jobs.part("document").figure.value == 12
    assert jobs.part("statement").figure.value == 5
    assert (
        sum(p.figure.value for p in jobs.parts)
        == report(provider).measure("jobs-created").headline.value
    )


def test_a_derived_total_splits_as_its_parts_do(provider, ledger):
    outcomes = report(provider).strength("employment-outcomes")
    assert outcomes.total.value == 20
    assert outcomes.part("document").figure.value == 12
    assert outcomes.part("statement").figure.value == 8


def test_each_measure_has_a_one_line_summary(provider, ledger):
    assert report(provider).strength("jobs-created").summary == (
        "Jobs created, 17 people: 12 backed by a document, 5 on the supplier's statement."
    )


def test_json_carries_the_split_and_the_history_address(provider, ledger):
    data = json.loads(render(report(provider), "json"))
    jobs = next(m for m in data["evidence_strength"] if m["measure"] == "jobs-created")
    parts = {p["strength"]: p["value"] for p in jobs["parts"]}
    assert parts["document"] == "12"
    assert parts["statement"] == "5"
    assert jobs["reference"] == "2023-24/jobs-created/verified"
    assert jobs["history_url"].endswith("/figures/2023-24/jobs-created/verified/")


def test_csv_has_a_row_per_strength(provider, ledger):
    rows = list(csv.DictReader(io.StringIO(render(report(provider), "csv"))))
    split = {
        r["group"]: r["value"]
        for r in rows
        if r["section"] == "strength" and r["measure"] == "jobs-created"
    }
    assert split["document"] == "12"
    assert split["statement"] == "5"


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_and_markdown_say_the_summary(provider, ledger, fmt):
    text = render(report(provider), fmt)
    assert "How sure each figure is" in text
    assert (
        "Jobs created, 17 people: 12 backed by a document, 5 on the supplier's statement." in text
    )


def test_the_workbook_has_a_sheet_of_strengths(provider, ledger):
    book = load_workbook(io.BytesIO(render_xlsx(report(provider))))
    rows = list(book["Evidence strength"].values)
    header, jobs = rows[0], next(r for r in rows if r[0] == "Jobs created")
    assert jobs[header.index("Backed by a document")] == 12
    assert jobs[header.index("Supplier's statement")] == 5


def test_the_page_and_pdf_body_show_the_split_and_each_figures_reference(provider, ledger):
    body = render_body(report(provider))
    assert "How sure each figure is" in body
    assert "Ref. 2023-24/jobs-created/verified" in body


def test_figures_below_the_providers_minimum_are_shown_and_labelled(provider, ledger):
    provider.headline_minimum_strength = Strength.DOCUMENT
    provider.save()
    jobs = report(provider).strength("jobs-created")
    assert jobs.counted_value == 12
    assert "5 fall below the minimum strength counted towards a published headline" in (
        jobs.summary
    )
    assert "below the minimum for the headline" in render_body(report(provider))


def test_a_provider_admin_chooses_the_minimum_through_the_page_and_it_is_audited(
    client, provider, ledger
):
    from socialledger.accounts.models import Role
    from socialledger.accounts.tests.factories import make_user
    from socialledger.audit.models import AuditEvent

    client.force_login(make_user("ada", provider, Role.PROVIDER_ADMIN))
    assert "Weakest evidence counted" in client.get("/?year=2023-24").content.decode()
    response = client.post("/reports/minimum-strength/", {"strength": "2", "year": "2023-24"})
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.headline_minimum_strength == Strength.DOCUMENT
    assert AuditEvent.objects.filter(action="provider.headline_minimum_strength_set").exists()
    assert "fall below the minimum" in client.get("/?year=2023-24").content.decode()
    client.post("/reports/minimum-strength/", {"strength": "9"})
    provider.refresh_from_db()
    assert provider.headline_minimum_strength == Strength.DOCUMENT


def test_an_officer_who_is_not_an_admin_cannot_choose_it(client, ledger, olivia_officer):
    client.force_login(olivia_officer)
    assert client.post("/reports/minimum-strength/", {"strength": "2"}).status_code == 404


def test_the_pdf_itself_prints_the_split_and_the_reference(provider, ledger):
    from pypdf import PdfReader

    from socialledger.reports.documents import render_pdf

    pdf = PdfReader(io.BytesIO(render_pdf(report(provider))))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "How sure each figure is" in text
    assert "Jobs created, 17 people: 12 backed by a document, 5 on the supplier's statement." in (
        text
    )


def test_the_api_report_carries_the_split(provider, ledger, olivia_officer):
    from socialledger.accounts.tests.factories import make_token
    from tests.api_helpers import ApiClient

    answer = ApiClient(make_token(olivia_officer)).get("/reports/annual", year="2023-24").json()
    jobs = next(m for m in answer["evidence_strength"] if m["measure"] == "jobs-created")
    parts = {p["strength"]: p["value"] for p in jobs["parts"]}
    assert (parts["document"], parts["statement"]) == ("12", "5")
    assert jobs["history_url"].endswith("/figures/2023-24/jobs-created/verified/")


def test_the_published_page_shows_the_split(client, provider, ledger):
    from socialledger.reports.actions import publish_report

    publish_report(provider, Y2023, by=None)
    page = client.get("/public/NWPP/2023-24/").content.decode()
    row = page.split('id="figure-jobs-created"', 1)[1].split("</tr>", 1)[0]
    assert ">12<" in row
    assert ">5<" in row
