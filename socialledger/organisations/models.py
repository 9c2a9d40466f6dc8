"""Organisations: the provider that runs frameworks, its members (buyers) and its suppliers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from socialledger.lib.periods import DEFAULT_START_MONTH, FinancialYear
from socialledger.organisations.orgid import is_org_id_scheme, normalised_identifier


class OrganisationQuerySet(models.QuerySet):
    def providers(self) -> OrganisationQuerySet:
        return self.filter(kind=Organisation.Kind.PROVIDER)

    def members(self) -> OrganisationQuerySet:
        return self.filter(kind=Organisation.Kind.MEMBER)

    def suppliers(self) -> OrganisationQuerySet:
        return self.filter(kind=Organisation.Kind.SUPPLIER)

    def in_provider(self, provider: Organisation) -> OrganisationQuerySet:
        """The provider itself and every member and supplier registered under it."""
        return self.filter(Q(pk=provider.pk) | Q(provider=provider))

    def matching(self, text: str) -> OrganisationQuerySet:
        """Organisations whose reference or name is exactly this text, ignoring case."""
        cleaned = text.strip()
        return self.filter(Q(reference__iexact=cleaned) | Q(name__iexact=cleaned))

    def with_identifier(self, scheme: str, value: str) -> OrganisationQuerySet:
        """Organisations known by this scheme-qualified identifier (e.g. GB-COH 01234567): in
        the identifier list, or in the field that holds that register's number."""
        scheme = scheme.strip().upper()
        value = normalised_identifier(scheme, value)
        listed = Q(identifiers__scheme=scheme, identifiers__value__iexact=value)
        field = REGISTER_FIELDS.get(scheme)
        if field:
            listed |= Q(**{f"{field}__iexact": value})
        return self.filter(listed).distinct()


# A UK postcode: outward code (the district, e.g. L3 or CH41), a space, inward code (9PP).
POSTCODE = r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$"
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
SMALL_OR_MEDIUM = ("micro", "small", "medium")


def tidy_postcode(text: str) -> str:
    """A postcode as the register keeps it: upper case, one space before the last three
    characters ("l39pp" -> "L3 9PP")."""
    squeezed = "".join(text.split()).upper()
    return f"{squeezed[:-3]} {squeezed[-3:]}" if len(squeezed) > 3 else squeezed


# Identifier schemes (from the org-id.guide list that OCDS uses) held in their own fields.
REGISTER_FIELDS = {
    "GB-COH": "companies_house_number",
    "GB-CHC": "charity_number",
    "GB-SHPE": "social_housing_number",
}


class Organisation(models.Model):
    """Any party in the ledger: a provider, or a member or supplier registered under one.

    A provider's members and suppliers belong to it alone, so two providers on one instance never
    share records: the same real company on two providers' frameworks is two organisations.
    """

    class Kind(models.TextChoices):
        PROVIDER = "provider", "Provider"
        MEMBER = "member", "Member"
        SUPPLIER = "supplier", "Supplier"

    class Sector(models.TextChoices):
        HOUSING = "housing", "Housing association"
        LOCAL_GOVERNMENT = "local-government", "Local authority"
        EDUCATION = "education", "School or college"
        HEALTH = "health", "NHS and health"
        BLUE_LIGHT = "blue-light", "Blue light"
        CENTRAL_GOVERNMENT = "central-government", "Central government"
        CONSTRUCTION = "construction", "Construction"
        FACILITIES = "facilities", "Facilities management"
        CONSULTANCY = "consultancy", "Consultancy"
        VOLUNTARY = "voluntary", "Voluntary and community"
        OTHER = "other", "Other"

    class Size(models.TextChoices):
        MICRO = "micro", "Micro"
        SMALL = "small", "Small"
        MEDIUM = "medium", "Medium"
        LARGE = "large", "Large"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    provider = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered",
        limit_choices_to={"kind": Kind.PROVIDER},
        help_text="The provider a member or supplier is registered under; empty for a provider.",
    )
    reference = models.CharField(
        max_length=40,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", "Use letters, digits, . _ -")],
        help_text="A short code used in spreadsheets and on the command line.",
    )
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=32, choices=Sector.choices, blank=True)
    region = models.CharField(max_length=60, blank=True, help_text="e.g. North West")
    local_authority_code = models.CharField(
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^[ENSW]\d{8}$", "An ONS code such as E08000011")],
        help_text="ONS code of the local authority area where it is based.",
    )
    local_authority_name = models.CharField(max_length=100, blank=True)
    companies_house_number = models.CharField(
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^[A-Z0-9]{8}$", "Eight letters or digits, e.g. 01234567")],
    )
    charity_number = models.CharField(max_length=12, blank=True)
    social_housing_number = models.CharField(
        max_length=12, blank=True, help_text="Regulator of Social Housing registration number"
    )
    size = models.CharField(
        max_length=8,
        choices=Size.choices,
        blank=True,
        help_text="Its size, as the register last checked it; empty until it is checked.",
    )
    size_basis = models.CharField(
        max_length=200,
        blank=True,
        help_text="The definition its size was judged by, e.g. the Companies Act thresholds.",
    )
    size_checked_on = models.DateField(null=True, blank=True)
    is_vcse = models.BooleanField(
        default=False,
        verbose_name="VCSE",
        help_text="A voluntary, community or social enterprise organisation.",
    )
    postcode = models.CharField(
        max_length=8,
        blank=True,
        validators=[RegexValidator(POSTCODE, "A UK postcode such as L3 9PP")],
        help_text="The postcode of its address, which says whether it is local to a member.",
    )
    local_districts = models.TextField(
        blank=True,
        help_text="A member's local area: the postcode districts it counts as local (e.g. L1 L3 "
        "CH41), separated by spaces or commas.",
    )
    require_two_factor = models.BooleanField(
        default=False,
        help_text="A provider's staff must sign in with a one-time code as well as a password.",
    )
    require_single_sign_on = models.BooleanField(
        default=False,
        help_text="A provider's staff must sign in through the organisation's single sign-on, "
        "never with a password.",
    )
    year_start_month = models.PositiveSmallIntegerField(
        default=DEFAULT_START_MONTH,
        help_text="The month a provider's financial year starts (April is 4).",
    )
    headline_minimum_strength = models.PositiveSmallIntegerField(
        default=0,
        help_text="The weakest evidence strength (0 none … 4 confirmed by a third party, see "
        "verification/strength.py) that counts towards a provider's published headline; "
        "weaker figures are shown beside it, labelled.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "reference"], name="organisation_reference_unique_in_provider"
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(provider__isnull=True),
                name="provider_reference_unique",
            ),
            models.CheckConstraint(
                condition=(Q(kind="provider") & Q(provider__isnull=True))
                | (~Q(kind="provider") & Q(provider__isnull=False)),
                name="organisation_provider_only_for_members_and_suppliers",
            ),
            models.CheckConstraint(
                condition=Q(year_start_month__gte=1) & Q(year_start_month__lte=12),
                name="organisation_year_start_month_is_a_month",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.PROVIDER and self.provider_id:
            raise ValidationError({"provider": "A provider is not registered under another."})
        if self.kind != self.Kind.PROVIDER and not self.provider_id:
            raise ValidationError({"provider": "Members and suppliers belong to a provider."})
        if self.provider_id and self.provider.kind != self.Kind.PROVIDER:
            raise ValidationError({"provider": f"{self.provider} is not a provider."})
        if self.local_districts and self.kind != self.Kind.MEMBER:
            raise ValidationError({"local_districts": "Only a member defines a local area."})
        unreadable = [d for d in self.local_district_set() if not DISTRICT.match(d)]
        if unreadable:
            raise ValidationError(
                {"local_districts": f"Not a postcode district: {', '.join(sorted(unreadable))}."}
            )

    @property
    def postcode_district(self) -> str:
        """The outward part of its postcode ("L3" of "L3 9PP"); empty without a postcode."""
        return self.postcode.split(" ")[0] if self.postcode else ""

    @property
    def is_small_or_medium(self) -> bool:
        """An SME: micro, small or medium by the size the register records."""
        return self.size in SMALL_OR_MEDIUM

    def local_district_set(self) -> frozenset[str]:
        """A member's local postcode districts, upper case."""
        return frozenset(self.local_districts.replace(",", " ").upper().split())

    @property
    def is_provider(self) -> bool:
        return self.kind == self.Kind.PROVIDER

    @property
    def home_provider(self) -> Organisation:
        """The provider whose data this organisation is part of (itself, for a provider)."""
        return self if self.is_provider else self.provider

    def public_identifiers(self) -> list[tuple[str, str]]:
        """Its identifiers in public registers, under org-id.guide schemes only: the register
        numbers first (Companies House, charity, social housing), then the identifier list."""
        found = [
            (scheme, normalised_identifier(scheme, getattr(self, field)))
            for scheme, field in REGISTER_FIELDS.items()
            if getattr(self, field)
        ]
        found += [
            (i.scheme, normalised_identifier(i.scheme, i.value))
            for i in self.identifiers.all()
            if is_org_id_scheme(i.scheme)
        ]
        return list(dict.fromkeys(found))

    def financial_year(self, start_year: int) -> FinancialYear:
        """A financial year as this organisation's provider counts it."""
        return FinancialYear(start_year, self.home_provider.year_start_month)

    def parse_year(self, text: str) -> FinancialYear:
        return FinancialYear.parse(text, self.home_provider.year_start_month)


class OrganisationIdentifier(models.Model):
    """An identifier of an organisation in a public register, written as OCDS writes it: a
    scheme from org-id.guide (GB-COH for Companies House, GB-PPON for the Central Digital
    Platform, GB-CHC for the Charity Commission ...) and the identifier within that scheme.

    Imports of contract data (OCDS) match organisations by these.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="identifiers"
    )
    scheme = models.CharField(
        max_length=40,
        validators=[RegexValidator(r"^[A-Z0-9-]+$", "A scheme such as GB-COH or GB-PPON")],
    )
    value = models.CharField(max_length=100)

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scheme", "value"], name="organisation_identifier_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme}-{self.value}"


class SlaveryAssessmentQuerySet(models.QuerySet):
    def overdue_on(self, day) -> SlaveryAssessmentQuerySet:
        """Assessments due by the day and not yet done."""
        return self.filter(done=False, due_on__lt=day)


class SlaveryAssessment(models.Model):
    """A supplier's yearly assessment of modern slavery risk in its supply chain: whether it was
    done, when, the evidence, the follow-up actions, and when it is due."""

    supplier = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="slavery_assessments",
        limit_choices_to={"kind": "supplier"},
    )
    financial_year = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    done = models.BooleanField(default=False)
    done_on = models.DateField(null=True, blank=True)
    evidence = models.CharField(
        max_length=500, blank=True, help_text="What shows it was done: a document or a link."
    )
    follow_up = models.TextField(blank=True, help_text="The actions it led to.")

    objects = SlaveryAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "financial_year"], name="slavery_assessment_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(done=False) | Q(done_on__isnull=False),
                name="slavery_assessment_done_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.financial_year}"

    def clean(self) -> None:
        if self.supplier_id and self.supplier.kind != Organisation.Kind.SUPPLIER:
            raise ValidationError("Only a supplier has a modern slavery risk assessment.")
        if self.done and not self.done_on:
            raise ValidationError({"done_on": "Give the date the assessment was done."})
