"""make_* helpers for measures."""

from __future__ import annotations

from socialledger.measures.models import Measure
from socialledger.organisations.models import Organisation


def make_stock_measure(provider: Organisation, *, aggregation: str = "stock") -> Measure:
    """A provider's own headcount measure: a stock (the latest period counts), unless asked
    for as a sum."""
    return Measure.objects.create(
        provider=provider,
        code="headcount",
        name="People employed on the contract",
        unit="people",
        aggregation=aggregation,
        definition="Headcount at the end of each period.",
        narrative_one="{n}",
        narrative_many="{n}",
    )


def make_derived_measure(provider: Organisation) -> Measure:
    """A provider's own derived measure, all jobs: at first jobs created only."""
    from socialledger.measures.actions import set_formula

    own = Measure.objects.create(
        provider=provider,
        code="all-jobs",
        name="All jobs",
        unit=Measure.Unit.PEOPLE,
        kind=Measure.Kind.DERIVED,
        definition="Jobs created and sustained.",
    )
    set_formula(own, [(1, "jobs-created")], reason="First", first_year=0, by=None)
    return own
