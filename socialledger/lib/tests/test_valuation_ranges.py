"""Where a source gives low, central and high values, every £ carries all three."""

from decimal import Decimal as D

from socialledger.lib.numbers import format_estimate
from socialledger.lib.valuation import Adjustments, Band, DeflatorSeries, UnitValue, total, work_out

SERIES = DeflatorSeries({2023: D(100), 2024: D(125)}, "test series")


def test_a_range_it_multiplies_low_central_and_high_alike():
    unit = UnitValue(Band(D(80), D(100), D(130)), 2023, Adjustments(deadweight=D("0.5")))
    working = work_out(D(10), unit, 2023, 2024, SERIES)
    assert working.net == Band(D(400), D(500), D(650))
    assert working.real == Band(D(500), D(625), D("812.5"))


def test_a_single_value_it_is_not_called_a_range():
    assert not Band.of(D(5)).is_range
    assert Band(D(4), D(5), D(6)).is_range


def test_sums_it_adds_low_to_low_central_to_central_and_high_to_high():
    assert total([Band(D(1), D(2), D(3)), Band.of(D(10))]) == Band(D(11), D(12), D(13))
    assert total([]) == Band()


def test_estimates_it_shows_three_significant_figures_rounded_half_up():
    assert format_estimate(D("3333735.58")) == "£3.33m"
    assert format_estimate(D("2415000")) == "£2.42m"  # half-up, never half-even
    assert format_estimate(D("497470.8")) == "£497k"
    assert format_estimate(D("912.4")) == "£912"
