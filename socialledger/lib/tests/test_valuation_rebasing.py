"""Re-basing moves £ between price years with the GDP deflator, forward and back, exactly.

A synthetic series: 2019-20 = 80, 2023-24 = 96, 2024-25 = 100.
"""

from decimal import Decimal as D

from socialledger.lib.valuation import Band, DeflatorSeries, UnitValue, rebasing, work_out

SERIES = DeflatorSeries({2019: D(80), 2023: D(96), 2024: D(100)}, "test series")


def test_forward_it_uprates_2019_20_prices_to_2023_24_by_the_index_ratio():
    # £1,000 in 2019-20 prices × 96 / 80 = £1,200 in 2023-24 prices
    assert rebasing(SERIES, 2019, 2023).apply(Band.of(D(1000))).central == D(1200)


def test_back_it_deflates_2024_25_prices_to_2019_20():
    # £1,000 in 2024-25 prices × 80 / 100 = £800 in 2019-20 prices
    assert rebasing(SERIES, 2024, 2019).apply(Band.of(D(1000))).central == D(800)


def test_there_and_back_it_returns_the_same_amount():
    there = rebasing(SERIES, 2019, 2024).apply(Band.of(D(1234)))
    assert rebasing(SERIES, 2024, 2019).apply(there).central == D(1234)


def test_a_value_priced_in_2019_20_is_nominal_in_the_year_delivered_and_real_in_the_price_year():
    unit = UnitValue(Band.of(D(100)), price_year=2019)
    working = work_out(D(10), unit, 2023, 2024, SERIES)
    assert working.net.central == D(1000)  # in the value's own 2019-20 prices
    assert working.nominal.central == D(1200)  # × 96 / 80: 2023-24 prices
    assert working.real.central == D(1250)  # × 100 / 96: 2024-25 prices


def test_face_value_it_is_nominal_as_given_and_re_based_only_for_real_terms():
    unit = UnitValue(Band.of(D(1)), price_year=None)
    working = work_out(D(9600), unit, 2023, 2024, SERIES)
    assert working.nominal.central == D(9600)
    assert working.to_nominal is None
    assert working.real.central == D(10000)


def test_a_year_the_series_does_not_cover_it_says_so_instead_of_guessing():
    unit = UnitValue(Band.of(D(100)), price_year=2019)
    working = work_out(D(10), unit, 2025, 2024, SERIES)
    assert working.nominal is None
    assert working.real is None
    assert "no index for 2025-26" in working.problem
    assert working.net.central == D(1000)  # the count × value still stands
