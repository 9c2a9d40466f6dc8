"""Frameworks, their lots, the call-off contracts let under them, and commitments (targets)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from socialledger.lib.fields import ScaledDecimalField

REFERENCE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9./_-]*$", "Use letters, digits and . / _ -"
)
ONE_MILLION = Decimal(1_000_000)


class FrameworkQuerySet(models.QuerySet):
    def for_provider(self, provider) -> FrameworkQuerySet:
        return self.filter(provider=provider)


class Framework(models.Model):
    """A provider's procurement framework: an agreement with appointed suppliers, in lots."""

    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="frameworks",
        limit_choices_to={"kind": "provider"},
    )
    reference = models.CharField(max_length=40, validators=[REFERENCE_VALIDATOR])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    value = ScaledDecimalField(places=2, null=True, blank=True, help_text="Estimated value, £")
    ocid = models.CharField(
        max_length=100,
        blank=True,
        help_text="Open Contracting ID of the process that let the framework (from an OCDS import)",
    )

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "reference"], name="framework_reference"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="framework_dates"
            ),
            models.UniqueConstraint(
                fields=["provider", "ocid"], condition=~Q(ocid=""), name="framework_ocid_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "A framework cannot end before it starts."})


class Lot(models.Model):
    """One lot of a framework, and the suppliers appointed to it."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="lots")
    reference = models.CharField(max_length=20, validators=[REFERENCE_VALIDATOR])
    name = models.CharField(max_length=200)
    value = ScaledDecimalField(places=2, null=True, blank=True, help_text="Estimated value, £")
    suppliers = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="lots",
        limit_choices_to={"kind": "supplier"},
    )

    class Meta:
        ordering = ["framework", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "reference"], name="lot_reference")
        ]

    def __str__(self) -> str:
        return f"{self.framework} – Lot {self.reference}: {self.name}"


class ContractQuerySet(models.QuerySet):
    def for_provider(self, provider) -> ContractQuerySet:
        return self.filter(framework__provider=provider)

    def for_member(self, member) -> ContractQuerySet:
        return self.filter(member=member)

    def for_supplier(self, supplier) -> ContractQuerySet:
        return self.filter(supplier=supplier)

    def valued_over(self, amount: Decimal) -> ContractQuerySet:
        """Contracts whose value is above this amount in £ (e.g. a reporting threshold)."""
        return self.filter(value__gt=amount)

    def live_during(self, start, end) -> ContractQuerySet:
        """Contracts whose term overlaps the period from start to end (inclusive)."""
        return self.filter(starts_on__lte=end).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=start)
        )


class Contract(models.Model):
    """A call-off under a framework lot: one member buys from one supplier."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="contracts")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(max_length=40, validators=[REFERENCE_VALIDATOR])
    title = models.CharField(max_length=200)
    member = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="contracts_bought",
        limit_choices_to={"kind": "member"},
    )
    supplier = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="contracts_supplied",
        limit_choices_to={"kind": "supplier"},
    )
    value = ScaledDecimalField(places=2, help_text="Contract value, £")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    local_authority_code = models.CharField(
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^[ENSW]\d{8}$", "An ONS code such as E08000011")],
    )
    ocid = models.CharField(
        max_length=100,
        blank=True,
        help_text="Open Contracting ID of the call-off's contracting process (from OCDS)",
    )
    ocds_id = models.CharField(
        max_length=100, blank=True, help_text="The contract's id within that process (OCDS)"
    )
    procurement_started_on = models.DateField(
        null=True, blank=True, help_text="When the procurement for this contract started"
    )
    outcome_model = models.ForeignKey(
        "outcomes.OutcomeModel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
        help_text="The outcome model version the contract was procured under",
    )

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "reference"], name="contract_reference"),
            models.CheckConstraint(condition=Q(value__gte=0), name="contract_value_not_negative"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="contract_dates",
            ),
            models.UniqueConstraint(
                fields=["framework", "ocid", "ocds_id"],
                condition=~Q(ocid=""),
                name="contract_ocds_id_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def provider(self):
        return self.framework.provider

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "A contract cannot end before it starts."
        if self.value is not None and self.value < 0:
            errors["value"] = "A contract's value cannot be negative."
        if self.lot_id and self.framework_id and self.lot.framework_id != self.framework_id:
            errors["lot"] = f"Lot {self.lot.reference} is not a lot of {self.framework}."
        provider_id = self.framework.provider_id if self.framework_id else None
        if self.outcome_model_id and self.outcome_model.provider_id != provider_id:
            errors["outcome_model"] = "That outcome model belongs to another provider."
        for field, kind in (("member", "member"), ("supplier", "supplier")):
            party = getattr(self, field) if getattr(self, f"{field}_id") else None
            if party is None:
                continue
            if party.kind != kind:
                errors[field] = f"{party} is not a {kind}."
            elif party.provider_id != provider_id:
                errors[field] = f"{party} is not registered with this framework's provider."
        if errors:
            raise ValidationError(errors)


class CommitmentQuerySet(models.QuerySet):
    def for_year(self, year) -> CommitmentQuerySet:
        return self.filter(financial_year=year.start_year)

    def on_contracts(self) -> CommitmentQuerySet:
        return self.filter(contract__isnull=False)


class Commitment(models.Model):
    """A target: a quantity of a measure promised for a financial year.

    It is set on a contract, or higher up on a framework, a member or the whole provider. A rate
    commitment is per £1m of contract value, so a contract's target grows with its value.
    Commitments at different levels are never added together.
    """

    class Basis(models.TextChoices):
        ABSOLUTE = "absolute", "Absolute quantity"
        PER_MILLION = "per-million", "Per £1m of contract value"

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    measure = models.ForeignKey("measures.Measure", on_delete=models.PROTECT, related_name="+")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year it starts in: 2023 = 2023-24"
    )
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.CASCADE, related_name="commitments"
    )
    framework = models.ForeignKey(
        Framework, null=True, blank=True, on_delete=models.CASCADE, related_name="commitments"
    )
    member = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commitments",
        limit_choices_to={"kind": "member"},
    )
    basis = models.CharField(max_length=12, choices=Basis.choices, default=Basis.ABSOLUTE)
    quantity = ScaledDecimalField(places=4)
    note = models.CharField(max_length=300, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="commitment_not_negative"),
            models.CheckConstraint(
                condition=(
                    Q(contract__isnull=True, framework__isnull=True)
                    | Q(contract__isnull=True, member__isnull=True)
                    | Q(framework__isnull=True, member__isnull=True)
                ),
                name="commitment_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(basis="absolute") | Q(contract__isnull=False),
                name="commitment_rate_only_on_contracts",
            ),
            models.UniqueConstraint(
                fields=["measure", "financial_year", "contract"],
                condition=Q(contract__isnull=False),
                name="one_commitment_per_contract_measure_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.quantity} ({self.scope_label})"

    @property
    def scope_label(self) -> str:
        target = self.contract or self.framework or self.member or self.provider
        return str(target)

    @property
    def year_label(self) -> str:
        """The financial year it is for, as the provider's years are written: "2024-25"."""
        return self.provider.financial_year(self.financial_year).label

    @property
    def target_quantity(self) -> Decimal:
        """The quantity promised: a rate commitment is multiplied by the contract's value in £m."""
        if self.basis == self.Basis.PER_MILLION:
            return self.quantity * self.contract.value / ONE_MILLION
        return self.quantity

    def clean(self) -> None:
        if self.basis == self.Basis.PER_MILLION and not self.contract_id:
            raise ValidationError({"basis": "A rate per £1m applies only to a contract."})


class SpendQuerySet(models.QuerySet):
    def between(self, start, end) -> SpendQuerySet:
        """Spend recorded for periods ending from start to end (inclusive)."""
        return self.filter(period_end__gte=start, period_end__lte=end)


class Spend(models.Model):
    """Money spent on a contract in a period (e.g. a quarterly valuation), in £.

    Return rounds use it to decide which contracts a supplier must report on.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="spend")
    period_end = models.DateField()
    amount = ScaledDecimalField(places=2)

    objects = SpendQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period_end"], name="one_spend_per_period"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="spend_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference} to {self.period_end}: £{self.amount}"


class SubcontractQuerySet(models.QuerySet):
    def for_provider(self, provider) -> SubcontractQuerySet:
        return self.filter(contract__framework__provider=provider)

    def for_prime(self, supplier) -> SubcontractQuerySet:
        """The supply chain below the contracts a supplier holds."""
        return self.filter(contract__supplier=supplier)

    def for_subcontractor(self, organisation) -> SubcontractQuerySet:
        return self.filter(subcontractor=organisation)


class Subcontract(models.Model):
    """A subcontractor named on a contract, at a tier of its supply chain: tier 2 works for the
    supplier that holds the contract (tier 1), tier 3 for a tier 2 subcontractor, and so on.

    What a subcontractor delivered on the contract is entered against this, so it is counted
    once, on this contract, however many suppliers it works for.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="subcontracts")
    subcontractor = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="subcontracts",
        limit_choices_to={"kind": "supplier"},
    )
    under = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="below",
        help_text="The subcontractor it works for; empty when it works for the supplier itself.",
    )
    tier = models.PositiveSmallIntegerField(default=2)
    named_at = models.DateTimeField(auto_now_add=True)

    objects = SubcontractQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "tier", "subcontractor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "subcontractor"], name="subcontractor_once_per_contract"
            ),
            models.CheckConstraint(condition=Q(tier__gte=2), name="subcontract_below_the_prime"),
        ]

    def __str__(self) -> str:
        return f"{self.subcontractor} (tier {self.tier}) on {self.contract.reference}"

    @property
    def works_for(self):
        """The organisation this subcontractor answers to: the one above it in the chain."""
        return self.under.subcontractor if self.under_id else self.contract.supplier


# The scope 3 categories a carbon reduction plan reports (of the fifteen the Greenhouse Gas
# Protocol names), by number, in our own words.
SCOPE_3_CATEGORIES = {
    "4": "Goods delivered to the contract",
    "5": "Waste from the contract's work",
    "6": "Business travel",
    "7": "Staff travelling to work",
    "9": "Goods delivered from the contract",
}


class EmissionsQuerySet(models.QuerySet):
    def for_year(self, start_year: int) -> EmissionsQuerySet:
        return self.filter(financial_year=start_year)


class Emissions(models.Model):
    """A contract's greenhouse gas emissions in one financial year, in tonnes of CO2e, beside
    the baseline and the commitment of its carbon reduction plan.

    Kept apart from every count: emissions are never valued in £ nor added to social value.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="emissions")
    financial_year = models.PositiveSmallIntegerField()
    scope_1 = ScaledDecimalField(places=2, help_text="Direct emissions, tonnes CO2e.")
    scope_2 = ScaledDecimalField(places=2, help_text="From electricity and heat bought.")
    scope_3 = models.JSONField(
        default=dict,
        blank=True,
        help_text='Tonnes by scope 3 category number, as exact text: {"4": "12.50"}.',
    )
    baseline_year = models.PositiveSmallIntegerField(
        help_text="The financial year the plan's baseline was measured in."
    )
    baseline = ScaledDecimalField(places=2, help_text="The baseline year's total, tonnes CO2e.")
    commitment = ScaledDecimalField(
        places=2, help_text="The total the plan commits to by its target year, tonnes CO2e."
    )
    commitment_year = models.PositiveSmallIntegerField()

    objects = EmissionsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "emissions"
        ordering = ["contract", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "financial_year"], name="emissions_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(scope_1__gte=0) & Q(scope_2__gte=0) & Q(baseline__gte=0),
                name="emissions_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference} {self.financial_year}: {self.total} tCO2e"

    def scope_3_tonnes(self) -> dict[str, Decimal]:
        return {category: Decimal(value) for category, value in sorted(self.scope_3.items())}

    def label(self, start_year: int) -> str:
        """A financial year as the contract's provider names it ("2023-24")."""
        return self.contract.provider.financial_year(start_year).label

    @property
    def scope_3_total(self) -> Decimal:
        return sum(self.scope_3_tonnes().values(), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.scope_1 + self.scope_2 + self.scope_3_total
