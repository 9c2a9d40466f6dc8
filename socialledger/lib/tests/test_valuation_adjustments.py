"""Adjustments turn a gross £ into a net one; each is checked against a sum worked by hand.

Every example values 10 units at £100 each (gross £1,000) in the prices of the year delivered.
"""

from decimal import Decimal as D

import pytest

from socialledger.lib.valuation import Adjustments, Band, DeflatorSeries, UnitValue, work_out

SERIES = DeflatorSeries({2023: D(100)}, "test series")


def net_of(**adjustments) -> D:
    unit = UnitValue(Band.of(D(100)), price_year=2023, adjustments=Adjustments(**adjustments))
    return work_out(D(10), unit, 2023, 2023, SERIES).net.central


def test_with_no_adjustments_it_leaves_net_equal_to_gross():
    assert net_of() == D(1000)


def test_deadweight_of_20_percent_it_takes_200_off_1000():
    assert net_of(deadweight=D("0.2")) == D(800)


def test_attribution_of_25_percent_it_leaves_750():
    assert net_of(attribution=D("0.25")) == D(750)


def test_displacement_of_10_percent_it_leaves_900():
    assert net_of(displacement=D("0.1")) == D(900)


def test_leakage_of_5_percent_it_leaves_950():
    assert net_of(leakage=D("0.05")) == D(950)


def test_all_four_it_multiplies_what_each_leaves():
    # 1000 × 0.8 × 0.75 × 0.9 × 0.95 = 513
    assert net_of(
        deadweight=D("0.2"), attribution=D("0.25"), displacement=D("0.1"), leakage=D("0.05")
    ) == D(513)


def test_drop_off_over_three_years_it_counts_each_year_at_what_is_left():
    # 1000 + 1000 × 0.9 + 1000 × 0.81 = 2710 (no discounting)
    assert net_of(duration_years=3, drop_off=D("0.1")) == D(2710)


def test_discounting_it_leaves_the_first_year_whole_and_divides_later_years():
    # 1000 + 1000 / 1.035 = 1966.183574879227053140096618 (to 28 significant digits)
    assert net_of(duration_years=2, discount_rate=D("0.035")) == D(1000) + D(1000) / D("1.035")
    assert round(net_of(duration_years=2, discount_rate=D("0.035")), 2) == D("1966.18")


def test_drop_off_and_discounting_together_it_applies_both_each_year():
    # 1000 × (1 + 0.5/1.5) = 1333.33…; drop-off 50%, discount 50%
    result = net_of(duration_years=2, drop_off=D("0.5"), discount_rate=D("0.5"))
    assert round(result, 2) == D("1333.33")


def test_gross_it_counts_every_year_the_value_lasts_without_any_adjustment():
    unit = UnitValue(Band.of(D(100)), 2023, Adjustments(deadweight=D("0.5"), duration_years=3))
    working = work_out(D(10), unit, 2023, 2023, SERIES)
    assert working.gross.central == D(3000)
    assert working.net.central == D(1500)


@pytest.mark.parametrize(
    "name", ["deadweight", "attribution", "displacement", "leakage", "drop_off", "discount_rate"]
)
def test_it_refuses_a_share_of_one_or_more(name):
    with pytest.raises(ValueError, match=name):
        Adjustments(**{name: D(1)})


def test_it_refuses_a_duration_under_one_year():
    with pytest.raises(ValueError, match="duration"):
        Adjustments(duration_years=0)
