"""A figure published elsewhere (the provider's annual report, a supplier's own summary) is held
against the ledger's: every format shows both and flags any difference, however small. An opening
balance may not cover years the ledger already records: it is refused, and a total for those
years belongs in a claimed figure instead."""

import io
import json
import zipfile
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from socialledger.audit.models import AuditEvent
from socialledger.imports.actions import import_opening_balances
from socialledger.imports.reading import ImportRefused, Table
from socialledger.lib.periods import FinancialYear
from socialledger.measures.actions import set_opening_balance
from socialledger.quality.actions import record_claimed_figure
from socialledger.quality.models import ClaimedFigure
from socialledger.reports.documents import render_xlsx
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return, measure

YEAR = FinancialYear(2023)


@pytest.fixture
def ledger(supplier, contract):
    """30 jobs and 4 sustained on record for 2023-24."""
    return make_return(
        supplier, [(contract, "jobs-created", 30), (contract, "jobs-sustained", 4)], year=YEAR
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_claim_that_differs_by_one_is_flagged_in_every_format(provider, olivia_officer, ledger):
    record_claimed_figure(
        Scope(provider),
        YEAR,
        measure("jobs-created"),
        quantity="31",
        source="Annual report 2023-24, page 4",
        by=olivia_officer,
    )
    report = annual_report(Scope(provider), YEAR)
    [claim] = report.claims
    assert (claim.claimed, claim.ledger, claim.difference, claim.differs) == (
        D(31),
        D(30),
        D(-1),
        True,
    )
    words = (
        "Jobs created: Northway Procurement claims 31 (Annual report 2023-24, page 4); "
        "the ledger says 30, 1 less. Differs."
    )
    assert words in render(report, "text")
    assert words in render(report, "markdown")
    data = json.loads(render(report, "json"))
    assert data["claims"][0]["difference"] == "-1"
    assert data["claims"][0]["differs"] is True
    assert "claim,jobs-created,Jobs created,,2023-24,verified,difference" in render(report, "csv")
    with zipfile.ZipFile(io.BytesIO(render_xlsx(report))) as book:
        assert 'name="Claims"' in book.read("xl/workbook.xml").decode()
    assert AuditEvent.objects.filter(action="claim.recorded").exists()


def test_a_derived_claim_that_agrees_says_so(provider, olivia_officer, ledger):
    record_claimed_figure(
        Scope(provider),
        YEAR,
        measure("employment-outcomes"),
        quantity="34",
        source="Board paper",
        by=olivia_officer,
    )
    [claim] = annual_report(Scope(provider), YEAR).claims
    assert not claim.differs
    assert claim.words.endswith("the ledger agrees (34).")


def test_a_claim_needs_its_source_and_a_number(provider, olivia_officer, ledger):
    with pytest.raises(ValidationError, match="Say where"):
        record_claimed_figure(
            Scope(provider), YEAR, measure("jobs-created"), quantity="3", source=" ", by=None
        )
    with pytest.raises(ValidationError, match="not a number"):
        record_claimed_figure(
            Scope(provider), YEAR, measure("jobs-created"), quantity="lots", source="x", by=None
        )


def test_a_supplier_records_its_own_published_figure_on_its_return(
    provider, supplier, contract, cara_contributor
):
    ret = make_return(supplier, [(contract, "jobs-created", 30)], year=YEAR, status=Status.DRAFT)
    client = signed_in(cara_contributor)
    posted = {"measure": "jobs-created", "quantity": "32", "source": "Our 2023-24 summary"}
    client.post(f"/returns/{ret.pk}/claims/", posted)
    claim = ClaimedFigure.objects.get()
    assert (claim.scope_kind, claim.claimed_by, claim.submission) == ("supplier", supplier, ret)
    assert "Our 2023-24 summary" in client.get(f"/returns/{ret.pk}/").content.decode()
    [line] = annual_report(Scope(provider, "supplier", supplier), YEAR, basis="reported").claims
    assert line.differs
    assert line.claimed_by == str(supplier)


def test_an_officer_records_a_claim_from_the_report_page(provider, olivia_officer, ledger):
    client = signed_in(olivia_officer)
    posted = {
        "year": "2023-24",
        "measure": "jobs-created",
        "quantity": "30",
        "source": "Annual report",
    }
    response = client.post("/claims/", posted)
    assert response.status_code == 302
    page = client.get("/?year=2023-24").content.decode()
    assert "Figures claimed elsewhere, beside the" in page
    assert "agrees" in page


def test_an_opening_balance_over_years_the_ledger_records_is_refused(provider, ledger):
    with pytest.raises(ValidationError, match="already records jobs created for 2023-24"):
        set_opening_balance(
            provider,
            measure=measure("jobs-created"),
            quantity=D(1000),
            covers_until=2023,
            source="Annual reports",
            by=None,
        )
    row = {
        "figure": "employment-outcomes",
        "quantity": "900",
        "covers_until": "2024-25",
        "source": "Annual reports",
    }
    table = Table(tuple(row), ((2, row),), "utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_opening_balances(provider, table, by=None)
    [problem] = refused.value.problems
    assert (problem.row, problem.column) == (2, "covers_until")
    assert "an opening balance may cover only years before 2023-24" in problem.expected


def test_an_opening_balance_before_the_ledgers_years_is_kept(provider, ledger):
    balance = set_opening_balance(
        provider,
        measure=measure("jobs-created"),
        quantity=D(1000),
        covers_until=2022,
        source="Annual reports to 2022-23",
        by=None,
    )
    assert balance.covers_until == 2022
