"""Every renderer shows the same report object; exports are safe to open in a spreadsheet."""

import csv
import io
import json

import pytest

from socialledger.lib.periods import FinancialYear
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render
from socialledger.returns.tests.factories import make_return

SNEAKY = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture
def report(provider, supplier, contract):
    make_return(
        supplier,
        [
            (contract, "jobs-created", 5),
            (contract, "donations", "250.50", {"donation-type": "money", "description": SNEAKY}),
        ],
    )
    return annual_report(Scope(provider), FinancialYear(2023))


def test_json_holds_exact_values_as_strings(report):
    data = json.loads(render(report, "json"))
    donations = next(m for m in data["measures"] if m["code"] == "donations")
    assert donations["current"]["verified"] == {"value": "250.5", "entries": 1}
    assert data["donations"]["listed"][0]["description"] == SNEAKY  # JSON is data, not a sheet
    assert (
        data["narrative"][0] == "5 jobs were created in 2023-24; "
        "there is no figure on record for 2022-23 to compare with."
    )


def test_csv_is_one_figure_per_row_with_formulas_neutralised(report):
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    totals = [
        r
        for r in rows
        if r["section"] == "total" and r["measure"] == "jobs-created" and r["year"] == "2023-24"
    ]
    assert {(r["state"], r["value"]) for r in totals} == {("verified", "5"), ("reported", "5")}
    assert all(not value.startswith("=") for row in rows for value in row.values())


def test_markdown_is_the_narrative_with_its_tables(report):
    text = render(report, "markdown")
    assert text.startswith("# Social value report 2023-24: Northway Procurement")
    assert "- 5 jobs were created in 2023-24" in text
    assert "| Jobs created (people) | 5 | – | n/a |" in text


def test_text_lists_every_measure_even_with_no_figures(report):
    text = render(report, "text")
    for name in [
        "Jobs created",
        "Jobs sustained",
        "Supplier volunteering",
        "Donations of money and materials",
    ]:
        assert name in text
    assert "£250.50" in text
