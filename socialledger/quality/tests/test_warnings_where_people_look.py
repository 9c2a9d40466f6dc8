"""A flagged figure is shown where each person acts on it: beside the figure on the supplier's
return (to fix it before sending), on the officer's review (to mark it checked with a reason),
first in a verification sample, and in the report's data-quality section in every format."""

import json
from html import unescape

import pytest
from django.test import Client

from socialledger.audit.models import AuditEvent
from socialledger.contracts.tests.factories import make_contract
from socialledger.imports.tests.helpers import HEADER, csv_text, import_text
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.quality.models import Check
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render
from socialledger.returns.actions import submit_return
from socialledger.returns.models import Return, Status
from socialledger.returns.tests.factories import make_return, measure
from socialledger.verification.actions import draw_sample

LAST, NOW = FinancialYear(2023), FinancialYear(2024)
STATUS_HEADER = HEADER + ",status"
TEN_TIMES = "is 10 times this contract's figure the year before (5)"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ten_times(supplier, contract):
    """5 jobs last year on DEC-001; this year's return says 50."""
    make_return(supplier, [(contract, "jobs-created", 5)], year=LAST)
    return make_return(supplier, [(contract, "jobs-created", 50)], year=NOW, status=Status.DRAFT)


def test_the_supplier_sees_the_warning_beside_the_figure_before_sending(
    cara_contributor, ten_times
):
    page = unescape(signed_in(cara_contributor).get(f"/returns/{ten_times.pk}/").content.decode())
    assert "Please check this figure: 50 " + TEN_TIMES in page


def test_the_officer_marks_the_warning_checked_with_a_reason_from_the_review(
    provider, contract, olivia_officer, cara_contributor, ten_times
):
    submit_return(ten_times, by=cara_contributor)
    officer = signed_in(olivia_officer)
    page = officer.get(f"/returns/{ten_times.pk}/").content.decode()
    assert "Out of line with earlier years" in page
    assert "Mark checked" in page
    posted = {
        "contract": contract.pk,
        "measure": measure("jobs-created").pk,
        "rule": "earlier-years",
        "reason": "A new depot opened in May",
    }
    officer.post(f"/returns/{ten_times.pk}/warnings/check/", {**posted, "reason": " "})
    assert not Check.objects.exists()  # a check needs a reason
    officer.post(f"/returns/{ten_times.pk}/warnings/check/", posted)
    assert Check.objects.get().reason == "A new depot opened in May"
    assert AuditEvent.objects.filter(action="warning.checked").exists()
    page = officer.get(f"/returns/{ten_times.pk}/").content.decode()
    assert "A new depot opened in May" in page
    assert "Mark checked" not in page


def test_only_a_standing_warning_can_be_checked(contract, olivia_officer, ten_times):
    posted = {
        "contract": contract.pk,
        "measure": measure("jobs-sustained").pk,
        "rule": "earlier-years",
        "reason": "Looks fine",
    }
    signed_in(olivia_officer).post(f"/returns/{ten_times.pk}/warnings/check/", posted)
    assert not Check.objects.exists()


def test_a_sample_draws_the_flagged_figure_first(
    provider, framework, supplier, contract, olivia_officer
):
    make_return(supplier, [(contract, "jobs-created", 5)], year=LAST)
    make_return(supplier, [(contract, "jobs-created", 50)], year=NOW)
    for number in range(2, 8):
        other = make_supplier(provider, f"S{number}")
        deal = make_contract(framework, f"DEC-{number:03d}", supplier=other)
        make_return(other, [(deal, "jobs-created", 380)], year=LAST)
        make_return(other, [(deal, "jobs-created", 400)], year=NOW)
    for seed in range(5):
        sample = draw_sample(provider, start_year=2024, size=1, by=olivia_officer, seed=seed)
        [item] = sample.items.select_related("entry")
        assert item.flagged
        assert item.entry.contract_id == contract.pk


def test_the_report_counts_open_and_checked_warnings_in_every_format(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 5)], year=LAST)
    make_return(supplier, [(contract, "jobs-created", 50)], year=NOW)
    report = annual_report(Scope(provider), NOW, basis="reported")
    assert (report.quality.open, report.quality.checked) == (1, 0)
    words = "1 data-quality warning open, 0 checked by an officer."
    assert words in render(report, "text")
    assert words in render(report, "markdown")
    assert "DEC-001, Jobs created, 2024-25" in render(report, "text")
    data = json.loads(render(report, "json"))
    assert (data["data_quality"]["open"], data["data_quality"]["checked"]) == (1, 0)
    assert "data-quality,,,,2024-25,reported,open,,1," in render(report, "csv")


def test_an_imported_figure_ten_times_last_years_is_warned_in_the_dry_run_and_on_the_review(
    provider, supplier, contract, olivia_officer
):
    make_return(supplier, [(contract, "jobs-created", 5)], year=LAST)
    row = csv_text("DEC,DEC-001,CRS,LFH,jobs-created,2024-25,50,submitted", header=STATUS_HEADER)
    dry = import_text(provider, row, dry_run=True)
    assert any(TEN_TIMES in line for line in dry.warnings)
    import_text(provider, row)
    ret = Return.objects.get(financial_year=2024)
    page = unescape(signed_in(olivia_officer).get(f"/returns/{ret.pk}/").content.decode())
    assert "<strong>Out of line with earlier years</strong>: 50 " + TEN_TIMES in page
    assert "Mark checked" in page
