"""A member viewer gets its figures under a buyer's outcome model without retyping them: each
outcome shows the annual report's own figures, a measure serving two outcomes is shown under
both but counted once in a total, and every format says the same."""

import json
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from socialledger.accounts.tests.factories import make_token
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_member
from socialledger.outcomes.actions import record_procured_under
from socialledger.outcomes.output import render
from socialledger.outcomes.reading import by_outcome
from socialledger.outcomes.tests.factories import make_example_crosswalk, make_example_model
from socialledger.reports.drilldown import drill_down
from socialledger.reports.queries import annual_report
from socialledger.reports.scopes import scope_from_text
from socialledger.returns.models import Entry
from socialledger.returns.tests.factories import make_return
from tests.api_helpers import ApiClient

Y2023 = FinancialYear(2023)


@pytest.fixture
def mapped(provider, supplier, contract):
    """Larkfield Homes' contract delivered jobs, apprenticeships and training; another
    member's contract delivered jobs that are not Larkfield's."""
    other = make_member(provider, "OTH", "Other Homes")
    elsewhere = make_contract(contract.framework, "DEC-002", supplier=supplier, member=other)
    make_return(
        supplier,
        [
            (contract, "jobs-created", 4),
            (contract, "apprenticeships-created", 3),
            (contract, "training-accredited", 5),
            (contract, "jobs-sustained", 2),
            (elsewhere, "jobs-created", 10),
        ],
    )
    model = make_example_model(provider)
    make_example_crosswalk(provider, model)
    return model


def larkfield(provider, model):
    return by_outcome(scope_from_text(provider, "member:LFH"), Y2023, model)


def outcome(report, code):
    return next(o for t in report.themes for o in t.outcomes if o.code == code)


def test_each_outcome_shows_the_member_report_figures_and_their_entries(provider, mapped):
    report = larkfield(provider, mapped)
    annual = annual_report(scope_from_text(provider, "member:LFH"), Y2023)
    jobs = outcome(report, "N1.1").measures[0]
    assert (jobs.code, jobs.value, jobs.entries) == ("jobs-created", D(4), 1)
    assert jobs.value == annual.measure("jobs-created").headline.value
    assert jobs.note == "New jobs filled on the contract"
    assert outcome(report, "N2.2").measures[0].entries == 0  # careers talks: no figure yet


def test_a_measure_under_two_outcomes_is_shown_twice_and_counted_once(provider, mapped):
    report = larkfield(provider, mapped)
    assert [m.code for m in outcome(report, "N1.2").measures] == ["apprenticeships-created"]
    assert [m.code for m in outcome(report, "N2.1").measures] == [
        "apprenticeships-created",
        "training-accredited",
    ]
    people = next(t for t in report.totals if t.unit_label == "people")
    assert people.value == 4 + 3 + 5  # not 4 + 3 + 3 + 5
    assert people.measures.count("apprenticeships-created") == 1
    skills = next(t for t in report.themes if t.code == "N2").totals[0]
    assert skills.value == 3 + 5


def test_figures_under_no_outcome_are_listed_not_lost(provider, mapped):
    assert "Jobs sustained" in larkfield(provider, mapped).unmapped


def test_every_format_says_the_same_figures_and_cites_the_model(provider, mapped):
    report = larkfield(provider, mapped)
    data = json.loads(render(report, "json"))
    assert data["model"]["id"] == "northshire-themes@2026-1"
    assert data["totals"][0] == {
        "unit": "people",
        "value": "12",
        "entries": 3,
        "measures": [
            "jobs-created",
            "apprenticeships-created",
            "training-accredited",
            "work-experience",  # mapped, no figure yet: adds nothing
        ],
    }
    text, markdown, csv = (render(report, f) for f in ("text", "markdown", "csv"))
    assert "All outcomes, each measure counted once: 12 people" in text
    assert "All outcomes, each measure counted once: 12 people" in markdown
    assert (
        "| N2.1 Residents gaining skills and qualifications | Apprenticeships created | 3 people |"
        in markdown
    )
    assert "N1.1 More Northshire residents in work,Jobs created,people,4,1," in csv
    for output in (text, markdown):
        assert "Source: Social Ledger example outcome model" in output
        assert "fictional" in output


def test_the_command_prints_the_report_under_a_named_model(provider, mapped, capsys):
    call_command(
        "report_by_outcome",
        "--model",
        "northshire-themes@2026-1",
        "--scope",
        "member:LFH",
        "--year",
        "2023-24",
    )
    assert "N1.1 More Northshire residents in work: 4 people" in capsys.readouterr().out


def test_a_member_viewer_reads_its_own_figures_by_outcome_through_the_api(
    provider, mapped, mo_member_viewer
):
    mo = ApiClient(make_token(mo_member_viewer))
    answer = mo.get("/reports/by-outcome", model="northshire-themes@2026-1", year="2023-24")
    assert answer.status_code == 200
    data = answer.json()
    assert data["scope"] == "Larkfield Homes"
    assert data == json.loads(render(larkfield(provider, mapped), "json"))
    assert mo.get("/reports/by-outcome", model="northshire-themes@1999").status_code == 404
    assert (
        mo.get(
            "/reports/by-outcome", model="northshire-themes@2026-1", scope="member:OTH"
        ).status_code
        == 404
    )


def test_every_outcome_figure_drills_down_to_the_entries_behind_it(provider, mapped):
    """Each measure under each outcome has the figure and the entries the drill-down from the
    member's annual report gives, and a total is the sum of its measures' figures."""
    scope = scope_from_text(provider, "member:LFH")
    report = larkfield(provider, mapped)
    everything = Entry.objects.all()
    for theme in report.themes:
        for each in theme.outcomes:
            for line in each.measures:
                drill, entries = drill_down(
                    scope, Y2023, line.code, basis="verified", visible=everything
                )
                assert (line.value, line.entries) == (drill.total, drill.entries)
                assert entries.count() == line.entries
                assert all(e.contract.member.reference == "LFH" for e in entries)
            for total in each.totals:
                assert total.value == sum(
                    m.value for m in each.measures if m.code in total.measures
                )


def test_a_contract_is_reported_under_the_model_it_was_procured_under(
    provider, mapped, contract, capsys, mo_member_viewer
):
    record_procured_under(contract, model=mapped, by=None)
    call_command("report_by_outcome", "--scope", "contract:DEC/DEC-001", "--year", "2023-24")
    assert "Under Northshire Council social value themes" in capsys.readouterr().out
    mo = ApiClient(make_token(mo_member_viewer))
    answer = mo.get("/reports/by-outcome", scope="contract:DEC/DEC-001", year="2023-24")
    assert answer.status_code == 200
    assert answer.json()["model"]["id"] == "northshire-themes@2026-1"


def test_a_member_without_a_model_named_is_asked_for_one(provider, mapped, mo_member_viewer):
    mo = ApiClient(make_token(mo_member_viewer))
    answer = mo.get("/reports/by-outcome", year="2023-24")
    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["field"] == "model"
    with pytest.raises(CommandError, match="Name the outcome model"):
        call_command("report_by_outcome", "--scope", "member:LFH", "--year", "2023-24")
