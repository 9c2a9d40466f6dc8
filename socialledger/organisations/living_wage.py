"""The Real Living Wage rates (data/real-living-wage.toml), for the question "was this person
paid at least the Real Living Wage on this date?"."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "real-living-wage.toml"
# An accredited employer pays a new rate within six months of its announcement.
TO_PAY = timedelta(days=183)


@dataclass(frozen=True)
class Rate:
    announced_on: date
    uk: Decimal
    london: Decimal

    @property
    def due_by(self) -> date:
        return self.announced_on + TO_PAY


@cache
def rates() -> tuple[Rate, ...]:
    """Every rate on file, oldest first."""
    with DATA_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    found = [Rate(r["announced_on"], Decimal(r["uk"]), Decimal(r["london"])) for r in data["rate"]]
    return tuple(sorted(found, key=lambda rate: rate.announced_on))


def source() -> str:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)["source"]


def rate_due_on(day: date, *, london: bool = False) -> Decimal | None:
    """The hourly rate an accredited employer must pay on a day: the latest rate whose six
    months to pay it have passed; none before the first rate on file was due."""
    due = [rate for rate in rates() if rate.due_by <= day]
    if not due:
        return None
    return due[-1].london if london else due[-1].uk


def paid_at_least(hourly: Decimal, day: date, *, london: bool = False) -> bool:
    """Whether an hourly rate of pay meets the Real Living Wage due on that day."""
    due = rate_due_on(day, london=london)
    return due is not None and hourly >= due
