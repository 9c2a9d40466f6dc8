"""The demo shows its 2023-24 £ social value as a range with its method note, from the open set
only; importing another value set changes the £ and leaves a restatement note."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from socialledger.demo.builder import build_demo
from socialledger.lib.periods import FinancialYear
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render_text

SAMPLE = str(Path(__file__).resolve().parent.parent / "docs/samples/value-set-example.csv")


def test_the_demo_report_gives_a_range_and_its_method_note(db):
    text = render_text(annual_report(Scope(build_demo()), FinancialYear(2023)))
    assert (
        "Social value 2023-24 (verified, net): £2.41m to £4.39m (central £3.33m) in 2023-24 "
        "prices; £2.51m to £4.57m (central £3.47m) in 2024-25 prices." in text
    )
    assert "Method: counts come first" in text
    assert "Counted, not monetised: Supplier volunteering." in text


def test_importing_another_set_changes_the_pounds_and_restates_the_year(db):
    provider = build_demo()
    before = annual_report(Scope(provider), FinancialYear(2023)).money.verified.net
    call_command(
        "import_values",
        SAMPLE,
        "--code",
        "example",
        "--name",
        "Example set",
        "--choose",
        "Trying the example set",
        stdout=StringIO(),
    )
    report = annual_report(Scope(provider), FinancialYear(2023))
    assert report.money.verified.net != before
    assert "Restated: 2023-24 was valued under Social Ledger open values, version 1" in (
        render_text(report)
    )
