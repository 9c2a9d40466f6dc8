"""Cells that would run as spreadsheet formulas are neutralised; numbers are left alone."""

import pytest

from socialledger.lib.csvsafe import safe_cell


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-5", "-12.5", 7, "Food bank", ""])
def test_numbers_and_ordinary_text_pass_through(value):
    assert safe_cell(value) == value
