"""make_* helpers for rounds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from socialledger.contracts.models import Spend
from socialledger.lib.periods import FinancialYear
from socialledger.returns.models import Return
from socialledger.rounds.actions import open_round

ROUND_YEAR = FinancialYear(2024)


def make_round_return(provider, contracts, year: FinancialYear = ROUND_YEAR) -> Return:
    """The one return of a year's round whose scope is the given contracts (of one supplier),
    each with enough spend in the year to be in scope."""
    for contract in contracts:
        Spend.objects.create(contract=contract, period_end=year.end, amount=Decimal(300_000))
    round_ = open_round(
        provider,
        name=year.label,
        period_start=year.start,
        period_end=year.end,
        opens_on=date(year.end.year, 5, 1),
        closes_on=date(year.end.year, 6, 30),
        by=None,
    )
    return round_.returns.get()
