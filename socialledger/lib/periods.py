"""Financial years: the one place that turns dates into reporting years and back.

A UK financial year runs from 1 April to 31 March and is written "2023-24". A provider may
start its year in another month; the year is still named after the calendar year it starts in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_START_MONTH = 4


class PeriodError(ValueError):
    """Text or dates that do not make a financial year; the message says what was expected."""


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A twelve-month reporting year, named by the calendar year in which it starts."""

    start_year: int
    start_month: int = DEFAULT_START_MONTH

    def __post_init__(self) -> None:
        if not 1 <= self.start_month <= 12:
            raise PeriodError(f"A year cannot start in month {self.start_month}; use 1 to 12.")
        if not 1900 <= self.start_year <= 2999:
            raise PeriodError(f"{self.start_year} is outside the years this product handles.")

    @classmethod
    def containing(cls, day: date, start_month: int = DEFAULT_START_MONTH) -> FinancialYear:
        """The financial year that a date falls in."""
        start_year = day.year if day.month >= start_month else day.year - 1
        return cls(start_year, start_month)

    @classmethod
    def parse(cls, text: str, start_month: int = DEFAULT_START_MONTH) -> FinancialYear:
        """Read "2023-24", "2023/24", "2023-2024", "FY2023-24" or "FY24" (ending in 2024)."""
        return cls(_parse_start_year(str(text), start_month), start_month)

    @property
    def start(self) -> date:
        return date(self.start_year, self.start_month, 1)

    @property
    def end(self) -> date:
        """The last day of the year (inclusive)."""
        return self.next.start - timedelta(days=1)

    @property
    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1, self.start_month)

    @property
    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1, self.start_month)

    @property
    def label(self) -> str:
        """How people write the year: "2023-24", or "2023" when it is a calendar year."""
        if self.start_month == 1:
            return str(self.start_year)
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


def year_of_period(start: date, end: date, start_month: int = DEFAULT_START_MONTH) -> FinancialYear:
    """The financial year a reporting period belongs to; a period may not straddle two years."""
    if end < start:
        raise PeriodError(f"The period ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y}).")
    year = FinancialYear.containing(start, start_month)
    if not year.contains(end):
        raise PeriodError(
            f"The period {start:%d/%m/%Y} to {end:%d/%m/%Y} straddles two financial years; "
            f"split it at {year.end:%d/%m/%Y}."
        )
    return year


_SPLIT_YEAR = re.compile(r"^(?:FY\s*)?(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$", re.IGNORECASE)
_SHORT_YEAR = re.compile(r"^FY\s*(\d{2}|\d{4})$", re.IGNORECASE)
_CALENDAR_YEAR = re.compile(r"^(?:FY\s*)?(\d{4})$", re.IGNORECASE)


def _parse_start_year(text: str, start_month: int) -> int:
    cleaned = text.strip()
    if match := _SPLIT_YEAR.match(cleaned):
        return _start_from_pair(cleaned, match.group(1), match.group(2))
    if start_month == 1 and (match := _CALENDAR_YEAR.match(cleaned)):
        return int(match.group(1))
    if match := _SHORT_YEAR.match(cleaned):
        # "FY24" names the year by the calendar year it ends in: 1 April 2023 to 31 March 2024.
        end_year = _full_year(match.group(1))
        return end_year if start_month == 1 else end_year - 1
    example = "2023" if start_month == 1 else "2023-24"
    raise PeriodError(f'"{text}" is not a financial year; write it as "{example}".')


def _start_from_pair(text: str, first: str, second: str) -> int:
    start_year = int(first)
    end_year = int(second) if len(second) == 4 else (start_year // 100) * 100 + int(second)
    if len(second) == 2 and end_year < start_year:
        end_year += 100  # "1999-00"
    if end_year != start_year + 1:
        raise PeriodError(
            f'"{text}" is not a financial year: the second year must follow the first, '
            f'as in "{start_year}-{(start_year + 1) % 100:02d}".'
        )
    return start_year


def _full_year(digits: str) -> int:
    return int(digits) if len(digits) == 4 else 2000 + int(digits)
