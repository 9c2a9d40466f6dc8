"""Fixtures the supply chain and spend tests share: a second supplier and its contract."""

import pytest

from socialledger.contracts.tests.factories import make_contract
from socialledger.organisations.tests.factories import make_supplier


@pytest.fixture
def bwc(provider):
    """Brookside Works, a second supplier on the framework."""
    return make_supplier(provider, "BWC", "Brookside Works")


@pytest.fixture
def contract_two(framework, member, bwc):
    """DEC-002, held by Brookside Works."""
    return make_contract(framework, "DEC-002", member=member, supplier=bwc)
