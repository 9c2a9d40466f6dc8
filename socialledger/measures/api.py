"""API: the measures a token's provider counts, with their definitions and breakdowns."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from socialledger.accounts.access import ADMINS, provider_of
from socialledger.apikit import (
    VIA,
    ApiError,
    CodeInPath,
    Page,
    YearText,
    acting,
    answers,
    by,
    page_of,
    page_schema,
    year_from,
)
from socialledger.lib.periods import FinancialYear
from socialledger.measures.actions import set_formula
from socialledger.measures.library import LibraryError, parse_formula
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


class FormulaIn(Schema):
    formula: str = Field(
        max_length=500,
        description='Measure codes joined by + and -, e.g. "jobs-created + jobs-sustained"',
    )
    reason: str = Field(max_length=2000, description="Why the formula changes")
    first_year: YearText = Field(
        description='The first financial year it applies to, e.g. "2025-26"'
    )


class FormulaVersionOut(Schema):
    version: int
    formula: list[list] = Field(description='The terms: [[1, "jobs-created"], [-1, "…"]]')
    reason: str
    first_year: str = Field(description="The first financial year it applies to")

    @staticmethod
    def resolve_first_year(version) -> str:
        return FinancialYear(version.first_year).label if version.first_year else "every year"


@router.post("/measures/{code}/formula", response=answers({201: FormulaVersionOut}))
def change_formula(request, code: CodeInPath, payload: FormulaIn):
    """A new version of one of the provider's own derived measures' formula, with its reason
    and first year (provider admins); the library's measures change through the library file."""
    membership = acting(request, write=True, roles=ADMINS, to="change a derived measure")
    found = Measure.objects.available_to(provider_of(membership)).filter(code=code)
    measure = found.order_by(F("provider_id").desc(nulls_last=True)).first()
    if measure is None:
        raise Http404(f'No measure has the code "{code}".')
    if measure.provider_id is None:
        raise ApiError(
            403, "library_measure", "The library's measures change only through the library file."
        )
    year = year_from(membership, payload.first_year)
    if year is None:
        raise ApiError(422, "refused", "Give the first financial year it applies to.")
    try:
        terms = parse_formula(payload.formula)
        version = set_formula(
            measure,
            terms,
            reason=payload.reason,
            first_year=year.start_year,
            by=by(request),
            via=VIA,
        )
    except LibraryError as error:
        raise ApiError(422, "refused", str(error)) from None
    except ValidationError as error:
        raise ApiError(422, "refused", " ".join(error.messages)) from None
    return Status(201, version)
