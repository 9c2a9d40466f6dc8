"""API: the measures a token's provider counts, with their definitions and breakdowns."""

from __future__ import annotations

from django.db.models import F
from django.http import Http404
from ninja import Field, Query, Router, Schema

from socialledger.accounts.access import provider_of
from socialledger.apikit import CodeInPath, Page, acting, answers, page_of, page_schema
from socialledger.measures.models import Measure

router = Router(tags=["Measures"])


class DimensionOut(Schema):
    code: str = Field(description="The breakdown's key in an entry's breakdowns")
    name: str
    closed: bool = Field(description="Only the listed values are accepted")
    values: list[str] = Field(description="The listed values' codes (empty for open text)")

    @staticmethod
    def resolve_values(dimension) -> list[str]:
        return [value.code for value in dimension.values.all()]


class MeasureOut(Schema):
    code: str
    name: str
    unit: str
    kind: str = Field(description="counted (entries are given) or derived (worked out)")
    aggregation: str
    definition: str
    version: int
    needs_description: bool
    whole_numbers: bool
    breakdowns: list[DimensionOut]
    components: list[str] = Field(description="For a derived measure, the measures it adds up")

    @staticmethod
    def resolve_breakdowns(measure) -> list:
        return list(measure.dimensions.all())

    @staticmethod
    def resolve_components(measure) -> list[str]:
        return [part.component.code for part in measure.components.all()]


def _measures(request):
    return (
        Measure.objects.available_to(provider_of(acting(request)))
        .prefetch_related("dimensions__values", "components__component")
        .order_by("position", "code", "pk")
    )


@router.get("/measures", response=answers({200: page_schema(MeasureOut)}))
def list_measures(request, page: Query[Page]):
    """What suppliers count: codes to use in entries, units, definitions and breakdowns."""
    return page_of(_measures(request), page)


@router.get("/measures/{code}", response=answers({200: MeasureOut}))
def get_measure(request, code: CodeInPath):
    # A provider's own measure comes before a library one with the same code.
    found = (
        _measures(request)
        .filter(code=code)
        .order_by(F("provider_id").desc(nulls_last=True))
        .first()
    )
    if found is None:
        raise Http404(f'No measure has the code "{code}".')
    return found
