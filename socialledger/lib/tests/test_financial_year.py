"""Financial years: 1 April to 31 March by default, written "2023-24"."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialledger.lib.periods import FinancialYear, PeriodError, year_of_period


def test_it_runs_from_1_april_to_31_march():
    year = FinancialYear(2023)
    assert (year.start, year.end) == (date(2023, 4, 1), date(2024, 3, 31))


def test_it_puts_31_march_in_the_year_before_and_1_april_in_the_new_year():
    assert FinancialYear.containing(date(2024, 3, 31)) == FinancialYear(2023)
    assert FinancialYear.containing(date(2024, 4, 1)) == FinancialYear(2024)


def test_it_ends_on_29_february_never_but_includes_it_in_a_leap_year():
    assert FinancialYear(2023).contains(date(2024, 2, 29))
    assert FinancialYear(2023).end == date(2024, 3, 31)


@pytest.mark.parametrize(
    ("start_year", "label"),
    [(2023, "2023-24"), (2021, "2021-22"), (1999, "1999-00"), (2009, "2009-10")],
)
def test_it_is_labelled_with_both_years(start_year, label):
    assert FinancialYear(start_year).label == label
    assert str(FinancialYear(start_year)) == label


@pytest.mark.parametrize(
    "text",
    [
        "2023-24",
        "2023/24",
        "2023-2024",
        "2023/2024",
        "FY2023-24",
        "fy 2023-24",
        "FY24",
        " 2023 – 24 ",
    ],
)
def test_it_reads_the_ways_people_write_a_year(text):
    assert FinancialYear.parse(text) == FinancialYear(2023)


def test_it_reads_a_year_across_the_century():
    assert FinancialYear.parse("1999-00") == FinancialYear(1999)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-25", "the second year must follow the first"),
        ("2023", 'write it as "2023-24"'),
        ("twenty23", "is not a financial year"),
        ("", "is not a financial year"),
    ],
)
def test_it_refuses_text_that_is_not_a_year_and_says_what_it_expected(text, message):
    with pytest.raises(PeriodError, match=message):
        FinancialYear.parse(text)


def test_a_provider_may_start_its_year_in_another_month():
    year = FinancialYear.containing(date(2024, 1, 15), start_month=9)
    assert (year.start, year.end) == (date(2023, 9, 1), date(2024, 8, 31))
    assert year.label == "2023-24"


def test_a_calendar_year_is_written_as_one_year():
    year = FinancialYear.parse("2024", start_month=1)
    assert (year.start, year.end, year.label) == (date(2024, 1, 1), date(2024, 12, 31), "2024")


def test_it_knows_the_years_either_side():
    assert FinancialYear(2023).previous == FinancialYear(2022)
    assert FinancialYear(2023).next == FinancialYear(2024)


def test_a_period_inside_one_year_belongs_to_it():
    assert year_of_period(date(2023, 7, 1), date(2023, 9, 30)) == FinancialYear(2023)


def test_a_period_that_straddles_two_years_is_refused_with_where_to_split_it():
    with pytest.raises(PeriodError, match="split it at 31/03/2024"):
        year_of_period(date(2024, 1, 1), date(2024, 6, 30))


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(PeriodError, match="ends"):
        year_of_period(date(2024, 6, 30), date(2024, 1, 1))


@given(st.dates(min_value=date(1902, 1, 1), max_value=date(2997, 12, 31)), st.integers(1, 12))
def test_every_day_falls_in_exactly_the_year_that_contains_it(day, month):
    year = FinancialYear.containing(day, month)
    assert year.contains(day)
    assert not year.previous.contains(day)
    assert not year.next.contains(day)


@given(st.integers(1901, 2998))
def test_a_years_label_reads_back_as_the_same_year(start_year):
    year = FinancialYear(start_year)
    assert FinancialYear.parse(year.label) == year
    assert year.next.start - year.end == timedelta(days=1)
