"""Spend from OCDS: a call-off contract's `implementation.transactions`, read as the ledger's one
notion of spend (Spend records, per period).

OCDS 1.1.5 (release schema, `Transaction`; Open Contracting Partnership, Apache License 2.0,
vendored in schemas/ocds/standard-1__1__5) gives each transaction a `date` and a `value`
(`amount` before 1.1) of `amount` and `currency`; "a negative value indicates a refund or
correction". The ledger keeps spend per period, so a contract's transactions are added up by the
calendar month of their date, into a period ending on the month's last day: UK bodies publish
their spending month by month, and a month is the shortest period a round's scope or a report's
rate needs. A month whose transactions come to less than nothing is a problem.

Transactions of one contract in several releases are read once each, by `id`, a later release
replacing a transaction it repeats (as OCDS compiles a record). Importing a package again
records each month's total again, replacing what that month had (docs/ocds.md).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from socialledger.contracts.actions import record_spend

if TYPE_CHECKING:
    from socialledger.contracts.models import Contract
    from socialledger.imports.ocds import Located

MonthlySpend = tuple[tuple[date, Decimal], ...]  # (last day of the month, £), in date order


def gather_transactions(into: dict[str, dict[str, Located]], release: Located) -> None:
    """Add a release's transactions to those of its process, by contract id and transaction id;
    a transaction without an id is kept by its place."""
    for contract in release.at("contracts").items():
        found = into.setdefault(str(contract.at("id").value), {})
        for transaction in contract.at("implementation").at("transactions").items():
            key = transaction.at("id").value
            found[transaction.path if key in (None, "") else str(key)] = transaction


def monthly_spend(checker, transactions: dict[str, Located]) -> MonthlySpend:
    """A contract's transactions added up by month; each problem (a missing date, an amount
    that is not pounds, a month below nothing) is given to the checker at its place."""
    months: dict[date, Decimal] = defaultdict(Decimal)
    first: dict[date, Located] = {}
    for transaction in transactions.values():
        when = checker.date(transaction.at("date"))
        value = _value(transaction)
        amount = checker.amount(value, required=True, signed=True)
        if when is None or amount is None:
            continue
        month_end = _month_end(when)
        months[month_end] += amount
        first.setdefault(month_end, transaction)
    for month_end, total in months.items():
        if total < 0:
            checker.problem(
                first[month_end],
                f"transactions in {month_end:%B %Y} that come to £0 or more (refunds and "
                f"corrections included); they come to £{total:,}",
                f"{total:,}",
            )
    return tuple(sorted(months.items()))


def record_monthly_spend(contract: Contract, spend: MonthlySpend, *, by, via: str) -> int:
    """Record each month's spend on the contract through the one spend action; the number of
    months recorded."""
    for period_end, amount in spend:
        record_spend(contract, period_end=period_end, amount=amount, by=by, via=via)
    return len(spend)


def _value(transaction: Located) -> Located:
    """The transaction's value: `value`, or `amount` as OCDS 1.0 wrote it."""
    value, old = transaction.at("value"), transaction.at("amount")
    return old if value.value is None and old.value is not None else value


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
