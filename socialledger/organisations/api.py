"""API: the organisations a token may see (its provider's all, for provider staff; else its own)."""

from __future__ import annotations

from typing import Literal

from django.db.models import Q
from ninja import Field, Query, Router, Schema, Status

from socialledger.accounts.access import OFFICERS, visible_organisations
from socialledger.apikit import (
    VIA,
    ApiError,
    Page,
    RowId,
    acting,
    answers,
    by,
    one_of,
    page_of,
    page_schema,
    text,
)
from socialledger.organisations import actions
from socialledger.organisations.models import Organisation

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


Sector = Literal[tuple(Organisation.Sector.values)]


class OrganisationDetails(Schema):
    sector: Sector | Literal[""] = ""
    region: text(60) = ""
    local_authority_code: text(9) = Field("", description="ONS code, e.g. E08000011")
    local_authority_name: text(100) = ""
    companies_house_number: text(8) = ""
    charity_number: text(12) = ""
    social_housing_number: text(12) = ""


class OrganisationIn(OrganisationDetails):
    kind: Literal["member", "supplier"]
    reference: text(40, 1) = Field(description="Unique within the provider, e.g. LFH")
    name: text(200, 1)


class OrganisationChange(Schema):
    """Only the fields sent change (null leaves a field as it is); an organisation's kind and
    reference never do."""

    name: text(200, 1) | None = None
    sector: Sector | Literal[""] | None = None
    region: text(60) | None = None
    local_authority_code: text(9) | None = None
    local_authority_name: text(100) | None = None
    companies_house_number: text(8) | None = None
    charity_number: text(12) | None = None
    social_housing_number: text(12) | None = None


REGISTERS = "register members and suppliers"


@router.post(
    "/organisations",
    response=answers({201: OrganisationOut}),
    summary="Register a member or supplier",
)
def register_organisation(request, payload: OrganisationIn):
    """Register a member (buyer) or supplier under the token's provider (provider officers and
    admins); its staff can be invited straight away."""
    membership = acting(request, write=True, roles=OFFICERS, to=REGISTERS)
    organisation = actions.register_organisation(
        membership.organisation, **payload.dict(), by=by(request), via=VIA
    )
    return Status(201, organisation)


@router.patch(
    "/organisations/{organisation_id}",
    response=answers({200: OrganisationOut}),
    summary="Change a member or supplier",
)
def change_organisation(request, organisation_id: RowId, payload: OrganisationChange):
    """Change a member's or supplier's name, sector, place or register numbers."""
    membership = acting(request, write=True, roles=OFFICERS, to=REGISTERS)
    parties = visible_organisations(membership).exclude(kind="provider")
    organisation = one_of(parties, organisation_id, "organisation")
    try:
        return actions.update_organisation(
            organisation,
            by=by(request),
            via=VIA,
            **payload.dict(exclude_unset=True, exclude_none=True),
        )
    except ValueError as error:
        raise ApiError(422, "refused", str(error)) from None
