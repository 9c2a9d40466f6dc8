"""Data-quality warnings: each provider's thresholds, and the warnings an officer has checked.

A warning itself is never stored: the rules (quality/rules.py) work it out from the ledger each
time, so a corrected figure stops being flagged at once. What is stored is an officer's check of
a warning on one figure (a contract's measure in a year), with the figure as it stood and why it
is right; a check stands only while the figure is unchanged.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from socialledger.lib.fields import ScaledDecimalField


class Thresholds(models.Model):
    """How far out of line a figure must be before it is flagged, for one provider."""

    provider = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="quality_thresholds"
    )
    jump_factor = ScaledDecimalField(
        places=2,
        default=Decimal(10),
        help_text="Flag a figure this many times (or this fraction of) the contract's figure "
        "the year before.",
    )
    spread_factor = ScaledDecimalField(
        places=2,
        default=Decimal(10),
        help_text="Flag a figure per £1m of contract value this many times (or this fraction "
        "of) the typical rate of the framework's other contracts.",
    )
    minimum_peers = models.PositiveSmallIntegerField(
        default=3, help_text="Other contracts needed before the framework's spread is used."
    )
    commitment_factor = ScaledDecimalField(
        places=2,
        default=Decimal(5),
        help_text="Flag a figure this many times the contract's commitment for the year.",
    )

    class Meta:
        verbose_name_plural = "thresholds"

    def __str__(self) -> str:
        return f"Data-quality thresholds of {self.provider}"


class CheckQuerySet(models.QuerySet):
    def for_provider(self, provider) -> CheckQuerySet:
        return self.filter(provider=provider)


class Check(models.Model):
    """An officer's word that a flagged figure is right, and why."""

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="quality_checks"
    )
    measure = models.ForeignKey("measures.Measure", on_delete=models.PROTECT, related_name="+")
    financial_year = models.PositiveSmallIntegerField()
    rule = models.CharField(max_length=20)
    quantity = ScaledDecimalField(places=4, help_text="The figure as it stood when checked.")
    reason = models.CharField(max_length=500)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(auto_now=True)

    objects = CheckQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "measure", "financial_year", "rule"],
                name="one_check_per_warning",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} on {self.contract_id}/{self.measure_id}/{self.financial_year}"


class ClaimedFigureQuerySet(models.QuerySet):
    def for_provider(self, provider) -> ClaimedFigureQuerySet:
        return self.filter(provider=provider)

    def for_scope(self, scope, start_year: int) -> ClaimedFigureQuerySet:
        """The claims about one report's scope (its kind and what it covers) and year."""
        kind, pk = scope.key
        return self.filter(
            provider=scope.provider, scope_kind=kind, scope_id=pk, financial_year=start_year
        )


class ClaimedFigure(models.Model):
    """A figure published elsewhere (a supplier's own summary, the provider's last annual
    report) for a scope, year and measure, held against the ledger's own figure: every report
    of that scope and year shows both and flags any difference."""

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="claimed_figures"
    )
    scope_kind = models.CharField(max_length=9)
    scope_id = models.PositiveIntegerField(
        help_text="The provider, framework, member, supplier or contract the figure is about."
    )
    financial_year = models.PositiveSmallIntegerField(help_text="2023 = 2023-24")
    measure = models.ForeignKey("measures.Measure", on_delete=models.PROTECT, related_name="+")
    quantity = ScaledDecimalField(places=4)
    source = models.CharField(max_length=500, help_text="Where the figure was published.")
    claimed_by = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Whose figure it is: the provider, or a supplier on its return.",
    )
    submission = models.ForeignKey(
        "returns.Return",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="claimed_figures",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = ClaimedFigureQuerySet.as_manager()

    class Meta:
        ordering = ["financial_year", "measure", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope_kind", "scope_id", "financial_year", "measure", "claimed_by"],
                name="one_claim_per_figure_and_claimant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} claimed {self.quantity} ({self.source})"
