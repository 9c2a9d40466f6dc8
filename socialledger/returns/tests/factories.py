"""make_* helpers for returns and their figures, through the same actions every door uses."""

from __future__ import annotations

from decimal import Decimal

from socialledger.contracts.models import Contract
from socialledger.lib.periods import FinancialYear
from socialledger.measures.models import Measure
from socialledger.organisations.models import Organisation
from socialledger.returns.actions import (
    Fact,
    open_year_return,
    save_entries,
    submit_return,
    verify_return,
)
from socialledger.returns.models import Return, Status

DEFAULT_YEAR = FinancialYear(2023)


def measure(code: str) -> Measure:
    return Measure.objects.get(provider=None, code=code)


def fact(
    contract: Contract,
    code: str,
    quantity,
    year: FinancialYear,
    description: str = "",
    **breakdowns,
) -> Fact:
    return Fact(
        contract=contract,
        measure=measure(code),
        period_start=year.start,
        period_end=year.end,
        quantity=Decimal(str(quantity)),
        breakdowns={key.replace("_", "-"): value for key, value in breakdowns.items()},
        description=description,
    )


def make_return(
    supplier: Organisation,
    figures: list[tuple] = (),
    *,
    year: FinancialYear = DEFAULT_YEAR,
    status: str = Status.VERIFIED,
) -> Return:
    """A year's return holding (contract, measure code, quantity[, breakdowns dict]) figures,
    moved on to the given status."""
    ret = open_year_return(supplier, year, by=None)
    facts = [
        fact(contract, code, quantity, year, **(extra[0] if extra else {}))
        for contract, code, quantity, *extra in figures
    ]
    if facts:
        save_entries(ret, facts, by=None)
    if status in (Status.SUBMITTED, Status.VERIFIED):
        ret = submit_return(ret, by=None)
    if status == Status.VERIFIED:
        ret = verify_return(ret, by=None)
    return ret
