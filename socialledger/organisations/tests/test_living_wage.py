"""The Real Living Wage rates are a data file with their source; a rate is due six months after
it is announced."""

from datetime import date
from decimal import Decimal as D

from socialledger.organisations.living_wage import paid_at_least, rate_due_on, rates, source


def test_the_rates_name_their_source_and_rise_year_on_year():
    assert "Living Wage Foundation" in source()
    assert [r.uk for r in rates()] == sorted(r.uk for r in rates())
    assert all(r.london > r.uk for r in rates())


def test_a_new_rate_is_due_six_months_after_it_is_announced():
    # £12.00 (UK) and £13.15 (London) were announced on 24 October 2023.
    assert rate_due_on(date(2024, 3, 31)) == D("10.90")
    assert rate_due_on(date(2024, 4, 30)) == D("12.00")
    assert rate_due_on(date(2024, 4, 30), london=True) == D("13.15")
    assert rate_due_on(date(2020, 1, 1)) is None


def test_pay_meets_the_rate_due_on_the_day_or_not():
    assert paid_at_least(D("12.00"), date(2024, 6, 1))
    assert not paid_at_least(D("12.00"), date(2024, 6, 1), london=True)
