"""The demo's 2023-24 report in every export format matches its reviewed golden file.

A change to any figure, word or column shows up here as a diff; refresh deliberately with
`pytest --update-golden` and review the change to tests/golden/.
"""

import pytest

from socialledger.demo.builder import build_demo
from socialledger.lib.periods import FinancialYear
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("markdown", "demo-2023-24.md"),
        ("csv", "demo-2023-24.csv"),
        ("json", "demo-2023-24.json"),
        ("text", "demo-2023-24.txt"),
    ],
)
def test_the_demo_report_export_is_unchanged(db, golden, fmt, name):
    report = annual_report(Scope(build_demo()), FinancialYear(2023))
    golden(name, render(report, fmt))
