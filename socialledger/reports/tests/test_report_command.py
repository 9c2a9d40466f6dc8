"""socialledger report: any scope, year and format, to the screen or a file, with clear errors."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return


@pytest.fixture
def figures(supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 5)])
    make_return(
        supplier,
        [(contract, "jobs-created", 9)],
        year=contract.framework.provider.financial_year(2024),
        status=Status.SUBMITTED,
    )


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_it_defaults_to_the_latest_year_with_verified_figures(figures):
    assert run().startswith("Social value report 2023-24: Northway Procurement")


def test_it_reports_any_year_on_either_basis(figures):
    assert "9 jobs were created in 2024-25" in run(
        "--year", "2024-25", "--basis", "reported", "--format", "markdown"
    )


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv"])
def test_it_writes_every_format_to_a_file(figures, tmp_path, fmt):
    path = tmp_path / f"report.{fmt}"
    assert "Wrote the 2023-24 report" in run("--year", "FY24", "--format", fmt, "-o", str(path))
    assert "Jobs created" in path.read_text() or "jobs-created" in path.read_text()


def test_it_reports_one_member(figures):
    data = json.loads(run("--scope", "member:LFH", "--format", "json"))
    assert (data["scope"], data["measures"][0]["current"]["verified"]["value"]) == (
        {"kind": "member", "label": "Larkfield Homes"},
        "5",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2023-25"], "second year must follow"),
        (["--scope", "member:NOBODY"], 'has no member "NOBODY"'),
        (["--scope", "nonsense"], "is not a scope"),
        (["--provider", "NOPE"], 'No provider has the reference "NOPE"'),
    ],
)
def test_bad_arguments_are_explained(figures, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_provider_without_verified_figures_is_asked_for_a_year(provider):
    with pytest.raises(CommandError, match="no verified figures in this scope"):
        run()


def test_with_several_providers_one_must_be_chosen(figures, other_provider):
    with pytest.raises(CommandError, match="choose one with --provider"):
        run()
    assert run("--provider", "nwpp").startswith("Social value report 2023-24")


def test_the_measures_command_lists_codes_units_and_breakdowns(db):
    from io import StringIO

    out = StringIO()
    call_command("measures", "--definitions", stdout=out)
    text = out.getvalue()
    assert "apprenticeships-created" in text
    assert "derived: jobs-created + jobs-sustained" in text
    assert "breakdowns: trade, level, locality" in text
