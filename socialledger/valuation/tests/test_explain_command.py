"""`socialledger explain` prints the working behind a £ figure, with its sources and version."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from socialledger.returns.tests.factories import make_return
from socialledger.valuation.tests.factories import make_choice, make_value_set, value


@pytest.fixture
def valued(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 5)])
    make_choice(
        provider,
        make_value_set(
            provider,
            {"jobs-created": value(100, deadweight="0.2")},
            unvalued={"work-experience": "No test value."},
        ),
    )


def explain(*args) -> str:
    out = StringIO()
    call_command("explain", "--year", "2023-24", "--price-year", "2023-24", *args, stdout=out)
    return out.getvalue()


def test_it_shows_count_value_adjustments_and_result_with_the_source(valued):
    text = explain("--measure", "jobs-created")
    assert "1. Count: 5 people, the sum of 1 verified entries for 2023-24." in text
    assert "Source: TEST VALUE: synthetic, for tests only" in text
    assert "Value set: Test set, version 1 (code test-set)" in text
    assert "deadweight 20%" in text
    assert "In one line (central, real): 5 × £100 × 0.8 × 1 = £400." in text


def test_the_total_it_works_through_every_valued_measure_and_lists_the_rest(valued):
    text = explain()
    assert "Total of the valued measures, nominal (2023-24 prices): gross £500; net £400." in text
    assert "Counted, not monetised: Work-experience placements, including site visits." in text


def test_an_unknown_measure_it_refuses_and_lists_the_codes(valued):
    with pytest.raises(CommandError, match="is not a counted measure"):
        explain("--measure", "nonsense")
