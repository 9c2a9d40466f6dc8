"""Registering providers, members and suppliers."""

from __future__ import annotations

from django.db import transaction

from socialledger.audit.actions import record, record_changes
from socialledger.organisations.models import Organisation, OrganisationIdentifier


@transaction.atomic
def create_provider(
    *, reference: str, name: str, by, year_start_month: int = 4, **details
) -> Organisation:
    """Register a provider: the top of its own separate set of data."""
    provider = Organisation(
        kind=Organisation.Kind.PROVIDER,
        reference=reference,
        name=name,
        year_start_month=year_start_month,
        **details,
    )
    provider.full_clean()
    provider.save()
    record(provider, "organisation.created", by=by, provider=provider, after=_describe(provider))
    return provider


@transaction.atomic
def register_organisation(
    provider: Organisation, *, kind: str, reference: str, name: str, by, via: str = "", **details
) -> Organisation:
    """Register a member or supplier under a provider."""
    organisation = Organisation(
        kind=kind, provider=provider, reference=reference, name=name, **details
    )
    organisation.full_clean()
    organisation.save()
    record(
        organisation,
        "organisation.created",
        by=by,
        provider=provider,
        after=_describe(organisation),
        via=via,
    )
    return organisation


@transaction.atomic
def find_or_register_supplier(
    provider: Organisation, *, name: str, companies_house_number: str = "", by, via: str = ""
) -> Organisation:
    """The provider's supplier with this Companies House number (or, without one, this exact
    name), registered if there is none; a number names the firm, so it is matched first."""
    from django.core.exceptions import ValidationError

    name, number = " ".join(name.split()), companies_house_number.strip().upper().replace(" ", "")
    if not name:
        raise ValidationError({"name": "Give the subcontractor's name."})
    suppliers = Organisation.objects.in_provider(provider).suppliers()
    found = (
        suppliers.with_identifier("GB-COH", number).first()
        if number
        else suppliers.matching(name).first()
    )
    if found is not None:
        return found
    return register_organisation(
        provider,
        kind=Organisation.Kind.SUPPLIER,
        reference=_free_reference(provider, name),
        name=name,
        companies_house_number=number,
        by=by,
        via=via,
    )


def _free_reference(provider: Organisation, name: str) -> str:
    """A short reference made from the name, not yet used under the provider."""
    from django.utils.text import slugify

    stem = (slugify(name).upper() or "SUPPLIER")[:30].strip("-") or "SUPPLIER"
    taken = set(
        Organisation.objects.in_provider(provider)
        .filter(reference__istartswith=stem)
        .values_list("reference", flat=True)
    )
    taken = {reference.upper() for reference in taken}
    candidate, number = stem, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


# What an update may change: an organisation's kind, provider and reference stay.
ORGANISATION_FIELDS = (
    "name",
    "sector",
    "region",
    "local_authority_code",
    "local_authority_name",
    "companies_house_number",
    "charity_number",
    "social_housing_number",
    "size",
    "size_basis",
    "size_checked_on",
    "is_vcse",
    "postcode",
    "local_districts",
)


@transaction.atomic
def update_organisation(
    organisation: Organisation, *, by, via: str = "", **changes
) -> Organisation:
    """Change an organisation's name, sector, place or register numbers; its reference stays."""
    return record_changes(
        organisation,
        changes,
        allowed=ORGANISATION_FIELDS,
        action="organisation.changed",
        by=by,
        provider=organisation.home_provider,
        via=via,
    )


@transaction.atomic
def add_identifier(
    organisation: Organisation, *, scheme: str, value: str, by, via: str = ""
) -> OrganisationIdentifier:
    """Record an organisation's identifier in a public register (e.g. GB-COH 01234567)."""
    identifier = OrganisationIdentifier(
        organisation=organisation, scheme=scheme.strip().upper(), value=value.strip()
    )
    found = OrganisationIdentifier.objects.filter(
        organisation=organisation, scheme=identifier.scheme, value=identifier.value
    ).first()
    if found:
        return found
    identifier.full_clean()  # before saving: a database may refuse what is too long
    identifier.save()
    record(
        organisation,
        "organisation.identifier_added",
        by=by,
        provider=organisation.home_provider,
        after={"identifier": str(identifier)},
        via=via,
    )
    return identifier


def reference_from_name(name: str) -> str:
    """A reference made from a new organisation's name: "Acme Homes Ltd" -> "ACME-HOMES-LTD"."""
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in name.upper())
    return "-".join(part for part in cleaned.split("-") if part)[:40] or "ORG"


def _describe(organisation: Organisation) -> dict:
    return {
        "kind": organisation.kind,
        "reference": organisation.reference,
        "name": organisation.name,
        "sector": organisation.sector,
    }


@transaction.atomic
def record_slavery_assessment(
    supplier: Organisation,
    *,
    financial_year: int,
    due_on,
    done: bool,
    done_on=None,
    evidence: str = "",
    follow_up: str = "",
    by,
    via: str = "",
):
    """Record (or update) a supplier's modern slavery risk assessment for a year: due when, done
    or not, with its date, evidence and follow-up actions."""
    from socialledger.organisations.models import SlaveryAssessment

    found = SlaveryAssessment.objects.filter(supplier=supplier, financial_year=financial_year)
    assessment = found.first() or SlaveryAssessment(
        supplier=supplier, financial_year=financial_year
    )
    before = _assessment_words(assessment) if assessment.pk else None
    assessment.due_on, assessment.done, assessment.done_on = due_on, done, done_on
    assessment.evidence, assessment.follow_up = evidence.strip(), follow_up.strip()
    assessment.full_clean()
    assessment.save()
    record(
        supplier,
        "organisation.slavery_assessment_recorded",
        by=by,
        provider=supplier.home_provider,
        before=before,
        after=_assessment_words(assessment),
        via=via,
    )
    return assessment


def _assessment_words(assessment) -> dict:
    return {
        "year": assessment.financial_year,
        "due_on": str(assessment.due_on),
        "done": assessment.done,
        "done_on": str(assessment.done_on or ""),
        "evidence": assessment.evidence,
        "follow_up": assessment.follow_up,
    }
