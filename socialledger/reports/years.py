"""Open and closed years: whether a report's year is over and decided, and how much of it the
figures so far cover.

A year is *closed* on a day when the year has ended, every return round for it has closed, and
every return for it that the scope expects has been decided (verified or rejected). Until then
it is *in progress*: every figure and change for it is provisional, a missing figure is "no
figure yet" rather than a fall, and changes are read like-for-like.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Sum

from socialledger.lib.numbers import ZERO, format_percent
from socialledger.lib.periods import FinancialYear
from socialledger.reports.report import YearStatus
from socialledger.returns.models import STATUSES_COUNTED_AS, Return, State, Status
from socialledger.rounds.models import Round

DECIDED = (Status.VERIFIED, Status.REJECTED)


def year_status(scope, year: FinancialYear, basis: str, as_of: date) -> YearStatus:
    """The year's state on `as_of`: closed or in progress, with returns and value covered."""
    by_status = _returns_by_status(scope, year)
    why = _why_open(scope, year, as_of, by_status)
    in_scope, covered = _contract_value(scope, year, basis)
    return YearStatus(
        closed=not why,
        returns_verified=by_status.get(Status.VERIFIED, 0),
        returns_submitted=sum(by_status.get(s, 0) for s in STATUSES_COUNTED_AS[State.REPORTED]),
        returns_expected=sum(n for status, n in by_status.items() if status != Status.REJECTED),
        value_in_scope=in_scope,
        value_covered=covered,
        why_open=tuple(why),
    )


def closed_years(scope, years: list[FinancialYear], as_of: date) -> list[FinancialYear]:
    """Those of `years` that are closed on `as_of`, in the order given (the basis does not
    change whether a year is closed, only its coverage)."""
    return [y for y in years if not _why_open(scope, y, as_of)]


def coverage_words(status: YearStatus) -> str:
    """The coverage in one sentence, for every format: returns and contract value covered."""
    share = status.share_covered
    value = (
        f"; the figures cover {format_percent(share * 100)} of the value of the contracts live "
        "in the year"
        if share is not None
        else ""
    )
    return (
        f"{status.returns_verified} of {status.returns_expected} expected returns verified, "
        f"{status.returns_submitted} submitted{value}."
    )


def status_words(status: YearStatus, year: FinancialYear) -> str:
    """The year's state as the first line of a report."""
    if status.closed:
        return f"{year.label} is closed: every round has closed and every return is decided."
    return (
        f"{year.label} is in progress ({'; '.join(status.why_open)}): every figure and change "
        "for it is provisional."
    )


def _why_open(scope, year: FinancialYear, as_of: date, by_status=None) -> list[str]:
    """What keeps a year open on `as_of`, in words; empty when it is closed."""
    by_status = _returns_by_status(scope, year) if by_status is None else by_status
    waiting = sum(n for status, n in by_status.items() if status not in DECIDED)
    rounds_open = (
        Round.objects.for_provider(scope.provider)
        .filter(financial_year=year.start_year, closes_on__gte=as_of)
        .count()
    )
    why = []
    if year.end >= as_of:
        why.append(f"{year.label} has not ended")
    if rounds_open:
        why.append(f"{rounds_open} return round{'s' if rounds_open != 1 else ''} still open")
    if waiting:
        why.append(f"{waiting} return{'s' if waiting != 1 else ''} not yet decided")
    return why


def _returns_by_status(scope, year: FinancialYear) -> dict[str, int]:
    suppliers = scope.contracts().values("supplier_id")
    return dict(
        Return.objects.filter(financial_year=year.start_year, supplier_id__in=suppliers)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )


def _contract_value(scope, year: FinancialYear, basis: str):
    """The value of the scope's contracts live in the year, and of those with figures counted."""
    live = scope.contracts().live_during(year.start, year.end)
    counted = (
        scope.contract_figures()
        .filter(financial_year=year.start_year, state=basis)
        .values("contract_id")
    )
    in_scope = live.aggregate(v=Sum("value"))["v"] or ZERO
    covered = live.filter(pk__in=counted).aggregate(v=Sum("value"))["v"] or ZERO
    return in_scope, covered
