"""Targets against delivery: the pro-rata expectation and the red/amber/green status.

Works only on figures `reports.queries` has already summed; it aggregates nothing itself.

The rule (docs/reports.md, docs/decisions/0009-rag-and-pro-rata.md):

- share of the year = days of the financial year up to and including the report's date ÷ days in
  the year; 0 before the year starts, 1 once it has ended;
- expected by now = target × share of the year (exact, never rounded);
- green when delivery ≥ expected; amber when delivery ≥ 80% of expected; red below that;
- "not yet due" while nothing is expected yet (the year has not started, or the target is 0).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from socialledger.lib.numbers import ZERO
from socialledger.lib.periods import FinancialYear
from socialledger.reports.report import TargetStatus

AMBER_FROM = Decimal("0.8")  # delivery at or above 80% of the pro-rata expectation is amber
ONE = Decimal(1)


def share_of_year(year: FinancialYear, as_of: date) -> Decimal:
    """The exact share of the year's days that have passed on `as_of` (inclusive), 0 to 1."""
    if as_of < year.start:
        return ZERO
    if as_of >= year.end:
        return ONE
    days = (year.end - year.start).days + 1
    return Decimal((as_of - year.start).days + 1) / Decimal(days)


def target_status(target: Decimal, delivered: Decimal, share: Decimal) -> TargetStatus:
    """Delivery against a target, `share` of the way through its year."""
    expected = target * share
    if expected <= ZERO:
        status = "not-due"
    elif delivered >= expected:
        status = "green"
    elif delivered >= expected * AMBER_FROM:
        status = "amber"
    else:
        status = "red"
    return TargetStatus(target, delivered, expected, share, status)
