"""Percent change: exact, shown half-up, falls worded as plainly as rises."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialledger.lib.numbers import Change, format_percent, percent_change


def test_it_is_exact():
    assert percent_change(D(90), D(114)) == D(24) * 100 / 90


def test_a_rise_is_shown_to_a_whole_percent():
    assert Change(D(90), D(114)).percent_label == "+27%"  # 26.67%


def test_a_fall_is_shown_with_its_sign():
    change = Change(D(496), D(356))
    assert change.direction == "down"
    assert change.percent_label == "-28%"  # -28.23%


def test_ties_round_half_up_not_to_even():
    assert Change(D(40), D(61)).percent_label == "+53%"  # exactly 52.5%
    assert Change(D(1353), D(1674)).percent_label == "+24%"  # 23.725%, as the provider published


def test_a_fall_on_a_tie_is_rounded_to_the_larger_fall_like_a_rise():
    assert Change(D(40), D(19)).percent_label == "-53%"  # exactly -52.5%


def test_changes_under_ten_percent_keep_one_decimal_place():
    assert Change(D(275), D(296)).percent_label == "+7.6%"
    assert Change(D(296), D(275)).percent_label == "-7.1%"


def test_a_tiny_change_is_not_shown_as_no_change():
    assert Change(D(100000), D(100001)).percent_label == "+less than 0.1%"


def test_a_change_from_zero_has_no_percentage():
    change = Change(D(0), D(12))
    assert change.percent is None
    assert change.direction == "new"
    assert change.percent_label == "new"


def test_no_change_is_zero_percent():
    assert Change(D(5), D(5)).direction == "same"
    assert Change(D(5), D(5)).percent_label == "0%"


def test_zero_to_zero_is_the_same_with_no_percentage():
    assert Change(D(0), D(0)).direction == "same"
    assert Change(D(0), D(0)).percent_label == "n/a"


def test_it_keeps_the_absolute_change():
    assert Change(D(496), D(356)).absolute == D(-140)


@pytest.mark.parametrize(
    ("percent", "shown"),
    [(D("9.95"), "10.0%"), (D("9.94"), "9.9%"), (D("10.5"), "11%"), (D("131.78"), "132%")],
)
def test_it_formats_magnitudes(percent, shown):
    assert format_percent(percent) == shown


@given(st.integers(1, 10**9), st.integers(0, 10**9))
def test_a_rise_and_a_fall_of_the_same_size_show_the_same_number(base, delta):
    rise = format_percent(percent_change(D(base), D(base + delta)))
    fall = format_percent(-percent_change(D(base), D(base + delta)))
    assert rise == fall


@given(st.integers(1, 10**6), st.integers(0, 10**6))
def test_the_shown_percentage_is_never_more_than_half_a_step_from_the_exact_one(old, new):
    exact = abs(percent_change(D(old), D(new)))
    shown = format_percent(exact)
    if shown.startswith("less than"):
        assert exact < D("0.05")
        return
    step = D("0.1") if exact < 10 else D(1)
    assert abs(D(shown.rstrip("%").replace(",", "")) - exact) <= step / 2
