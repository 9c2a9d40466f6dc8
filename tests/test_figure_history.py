"""A figure's whole history: one page, at the figure's short reference, lists its entries with
their returns, evidence and strength, who entered, queried and verified them, and a total equal
to the figure; outsiders get nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socialledger.lib.periods import FinancialYear
from socialledger.reports.queries import Scope, annual_report
from socialledger.returns.actions import (
    open_year_return,
    query_return,
    save_entries,
    submit_return,
    verify_return,
)
from socialledger.returns.evidence import add_evidence, grade_evidence
from socialledger.returns.tests.factories import fact
from socialledger.verification.actions import draw_sample, record_check

Y2023 = FinancialYear(2023)
HISTORY = "/figures/2023-24/jobs-created/verified/"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def ledger(settings, tmp_path, provider, supplier, contract, cara_contributor, olivia_officer):
    """Cara enters 26 jobs with a payroll extract, Olivia queries, Cara changes it to 24 and
    resubmits; Olivia grades the extract a document, verifies, and a sample check confirms it."""
    settings.MEDIA_ROOT = tmp_path
    ret = open_year_return(supplier, Y2023, by=cara_contributor)
    save_entries(ret, [fact(contract, "jobs-created", 26, Y2023)], by=cara_contributor)
    item = add_evidence(
        ret,
        by=cara_contributor,
        upload=SimpleUploadedFile("payroll.pdf", PDF),
        entry=ret.entries.get(),
    )
    submit_return(ret, by=cara_contributor)
    query_return(ret, by=olivia_officer, note="Two of the 26 left in May")
    save_entries(ret, [fact(contract, "jobs-created", 24, Y2023)], by=cara_contributor)
    submit_return(ret, by=cara_contributor)
    grade_evidence(item, grade="documented", by=olivia_officer)
    verify_return(ret, by=olivia_officer)
    sample = draw_sample(provider, start_year=2023, size=1, by=olivia_officer, seed=3)
    record_check(sample.items.get(), result="confirmed", note="", by=olivia_officer)
    return ret


def test_the_history_total_equals_the_reports_figure(client, provider, ledger, olivia_officer):
    client.force_login(olivia_officer)
    page = client.get(HISTORY)
    figure = annual_report(Scope(provider), Y2023).measure("jobs-created").headline.value
    assert page.status_code == 200
    assert page.context["drill"].total == figure == 24


def test_it_lists_who_entered_queried_and_verified_it_and_when(client, ledger, olivia_officer):
    client.force_login(olivia_officer)
    page = client.get(HISTORY).content.decode()
    for words in ("Figures entered or changed", "Queried", "Resubmitted", "Verified"):
        assert words in page
    assert "Two of the 26 left in May" in page
    assert "cara" in page
    assert "olivia" in page


def test_it_shows_the_evidence_its_strength_and_the_definition_version(
    client, ledger, olivia_officer
):
    client.force_login(olivia_officer)
    page = client.get(HISTORY).content.decode()
    assert "payroll.pdf" in page
    assert "Checked in a sample" in page
    assert "definition version 1" in page
    assert "Confirmed by evidence" in page  # the sample check


def test_the_strength_parts_add_up_to_the_total(client, ledger, olivia_officer):
    client.force_login(olivia_officer)
    strengths = client.get(HISTORY).context["strengths"]
    assert [n for _label, value, n in strengths if value != "0"] == [1]


def test_the_report_and_its_json_point_at_the_history(client, ledger, olivia_officer):
    client.force_login(olivia_officer)
    assert HISTORY in client.get("/?year=2023-24").content.decode()
    data = client.get("/report.json?year=2023-24").json()
    jobs = next(m for m in data["evidence_strength"] if m["measure"] == "jobs-created")
    assert jobs["history_url"].endswith(HISTORY)


def test_a_member_sees_the_entries_but_not_the_people(client, ledger, mo_member_viewer):
    client.force_login(mo_member_viewer)
    page = client.get(HISTORY)
    assert page.context["drill"].total == 24
    assert "olivia" not in page.content.decode()
    assert "cara" not in page.content.decode()


def test_an_outsider_gets_nothing(client, ledger, contract, otto_outsider):
    client.force_login(otto_outsider)
    scoped = f"{HISTORY}?scope=contract:{contract.framework.reference}/{contract.reference}"
    assert client.get(scoped).status_code == 404
    assert client.get(HISTORY).context["drill"].total == 0


def test_an_unknown_figure_is_not_found(client, ledger, olivia_officer):
    client.force_login(olivia_officer)
    assert client.get("/figures/2023-24/nonsense/verified/").status_code == 404
    assert client.get("/figures/2023-24/jobs-created/guessed/").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, ledger):
    assert client.get(HISTORY).status_code == 302


def test_the_published_report_has_a_safe_version_counts_by_strength_and_nobody_named(
    client, provider, ledger, olivia_officer
):
    from socialledger.reports.actions import publish_report

    publish_report(provider, Y2023, by=olivia_officer)
    page = client.get("/public/NWPP/2023-24/").content.decode()
    assert 'id="figure-jobs-created"' in page
    assert "Checked in a sample" in page
    for private in ("olivia", "cara", "payroll.pdf", "/figures/", "Ref. "):
        assert private not in page


def test_a_small_part_is_hidden_on_the_published_report(
    client, provider, framework, ledger, olivia_officer
):
    from socialledger.contracts.tests.factories import make_contract
    from socialledger.organisations.tests.factories import make_supplier
    from socialledger.reports.actions import publish_report
    from socialledger.returns.tests.factories import make_return

    other = make_supplier(provider, "SMALL")
    make_return(other, [(make_contract(framework, "DEC-002", supplier=other), "jobs-created", 2)])
    publish_report(provider, Y2023, by=olivia_officer)
    page = client.get("/public/NWPP/2023-24/").content.decode()
    row = page[page.index('id="figure-jobs-created"') :].split("</tr>")[0]
    assert "fewer than 5" in row  # the 2 on their supplier's statement
    assert "suppressed" in row  # and the 24 checked, which would give the 2 away
    assert ">24<" not in row
