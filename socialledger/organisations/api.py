"""API: the organisations a token may see (its provider's all, for provider staff; else its own)."""

from __future__ import annotations

from typing import Literal

from django.db.models import Q
from ninja import Field, Query, Router, Schema

from socialledger.accounts.access import visible_organisations
from socialledger.apikit import Page, RowId, acting, answers, one_of, page_of, page_schema, text

router = Router(tags=["Organisations"])


class OrganisationOut(Schema):
    id: int
    kind: str = Field(description="provider, member or supplier")
    reference: str
    name: str
    sector: str
    region: str
    local_authority_code: str
    local_authority_name: str
    companies_house_number: str
    charity_number: str
    social_housing_number: str
    provider_id: int | None = Field(description="The provider it is registered under")


class OrganisationFilter(Page):
    kind: Literal["provider", "member", "supplier"] | None = None
    q: text(100) | None = Field(None, description="Part of the reference or name")


@router.get(
    "/organisations",
    response=answers({200: page_schema(OrganisationOut)}),
    summary="List organisations",
)
def list_organisations(request, filters: Query[OrganisationFilter]):
    """Organisations the token may name: a provider's staff see all of the provider's."""
    found = visible_organisations(acting(request)).order_by("kind", "name", "pk")
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.q:
        found = found.filter(Q(reference__icontains=filters.q) | Q(name__icontains=filters.q))
    return page_of(found, filters)


@router.get(
    "/organisations/{organisation_id}",
    response=answers({200: OrganisationOut}),
    summary="One organisation",
)
def get_organisation(request, organisation_id: RowId):
    return one_of(visible_organisations(acting(request)), organisation_id, "organisation")
