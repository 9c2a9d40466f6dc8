"""A value set is never changed once created: a change is a new version."""

import pytest

from socialledger.valuation.actions import ChoiceError
from socialledger.valuation.tests.factories import make_value_set, value


def test_without_a_version_it_takes_the_next_one(provider):
    assert make_value_set(provider, {"jobs-created": value(100)}).version == 1
    assert make_value_set(provider, {"jobs-created": value(120)}).version == 2


def test_it_refuses_to_overwrite_an_existing_version(provider):
    make_value_set(provider, {"jobs-created": value(100)}, version=1)
    with pytest.raises(ChoiceError, match="never changed"):
        make_value_set(provider, {"jobs-created": value(999)}, version=1)


def test_two_providers_it_lets_each_have_their_own_version_one(provider, other_provider):
    make_value_set(provider, {"jobs-created": value(100)})
    assert make_value_set(other_provider, {"jobs-created": value(100)}).version == 1
