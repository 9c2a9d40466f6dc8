"""Numbers typed by people are read exactly, or refused with what was expected."""

from decimal import Decimal as D

import pytest

from socialledger.lib.numbers import format_quantity, parse_decimal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1318", D(1318)),
        ("1,318", D(1318)),
        (" 803741.50 ", D("803741.50")),
        ("£803,741", D(803741)),
        ("0", D(0)),
        ("-4", D(-4)),
        ("1,234,567.25", D("1234567.25")),
    ],
)
def test_it_reads_plain_and_grouped_numbers(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize(
    "text", ["twelve", "1e3", "NaN", "Infinity", "12,34", "1.2.3", "", "12 000"]
)
def test_it_refuses_anything_else(text):
    with pytest.raises(ValueError, match="not a number"):
        parse_decimal(text)


def test_it_formats_people_and_money():
    assert format_quantity(D("1318.0000")) == "1,318"
    assert format_quantity(D("12.5")) == "12.5"
    assert format_quantity(D(803741), money=True) == "£803,741"
    assert format_quantity(D("1234.5"), money=True) == "£1,234.50"
