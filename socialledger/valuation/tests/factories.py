"""make_* helpers for value sets, with clearly synthetic test values (never real proxies)."""

from __future__ import annotations

from decimal import Decimal

from socialledger.imports.values import PlannedValue
from socialledger.measures.models import Measure
from socialledger.valuation.actions import choose_value_set, create_value_set
from socialledger.valuation.models import ValueSet

TEST_SOURCE = "TEST VALUE: synthetic, for tests only"


def value(central, low=None, high=None, price_year=2023, **adjustments) -> dict:
    """The fields of one synthetic value; adjustments as Decimals or ints (duration_years)."""
    central = Decimal(str(central))
    fields = {
        "central": central,
        "low": Decimal(str(low)) if low is not None else central,
        "high": Decimal(str(high)) if high is not None else central,
        "fiscal": None,
        "economic": None,
        "social": None,
        "price_year": price_year,
        "geography": "national",
        "source": TEST_SOURCE,
        "source_url": "",
        "licence": "Test",
        "notes": "",
    }
    for name in (
        "deadweight",
        "attribution",
        "displacement",
        "leakage",
        "drop_off",
        "discount_rate",
    ):
        fields[name] = Decimal(str(adjustments.get(name, 0)))
    fields["duration_years"] = adjustments.get("duration_years", 1)
    return fields


def make_value_set(
    provider,
    values: dict[str, dict],
    *,
    code="test-set",
    name="Test set",
    version=None,
    unvalued=None,
) -> ValueSet:
    planned = [
        PlannedValue(n, Measure.objects.get(provider=None, code=c), f)
        for n, (c, f) in enumerate(values.items(), start=2)
    ]
    return create_value_set(
        planned,
        provider=provider,
        code=code,
        name=name,
        version=version,
        unvalued=unvalued or {},
        by=None,
    )


def make_choice(provider, value_set: ValueSet, reason="Test choice", when=None):
    return choose_value_set(provider, value_set, by=None, reason=reason, when=when)
