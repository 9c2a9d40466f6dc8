"""Writes about data quality: an officer marks a warning checked, with a reason; a provider sets
its thresholds; a provider or a supplier records a figure claimed elsewhere. Each is audited."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from socialledger.audit.actions import record
from socialledger.lib.numbers import parse_decimal
from socialledger.measures.models import Measure
from socialledger.quality.models import Check, ClaimedFigure, Thresholds
from socialledger.quality.queries import QualityWarning
from socialledger.quality.rules import RULES


@transaction.atomic
def mark_warning_checked(provider, warning: QualityWarning, *, reason: str, by, via: str = ""):
    """Record that a flagged figure has been checked and is right, and why; the check stands
    while the figure is unchanged."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the figure is right."})
    if warning.rule not in RULES:
        raise ValidationError({"rule": f"There is no rule {warning.rule!r}."})
    check, _created = Check.objects.update_or_create(
        contract_id=warning.contract_id,
        measure_id=warning.measure_id,
        financial_year=warning.financial_year,
        rule=warning.rule,
        defaults={
            "provider": provider,
            "quantity": warning.quantity,
            "reason": reason,
            "checked_by": by if getattr(by, "is_authenticated", False) else None,
        },
    )
    record(
        check,
        "warning.checked",
        by=by,
        provider=provider,
        after={
            "rule": warning.rule,
            "contract": warning.contract_id,
            "measure": warning.measure_id,
            "year": warning.financial_year,
            "quantity": str(warning.quantity),
            "reason": reason,
        },
        note=warning.message,
        via=via,
    )
    return check


FACTORS = ("jump_factor", "spread_factor", "commitment_factor")


@transaction.atomic
def set_thresholds(provider, *, by, via: str = "", **values) -> Thresholds:
    """Set a provider's data-quality thresholds; every factor must be above 1."""
    thresholds, _ = Thresholds.objects.get_or_create(provider=provider)
    before = {name: str(getattr(thresholds, name)) for name in (*FACTORS, "minimum_peers")}
    for name, value in values.items():
        if name not in before:
            raise ValidationError({name: "Not a data-quality threshold."})
        if name in FACTORS and Decimal(value) <= 1:
            raise ValidationError({name: "A factor must be above 1."})
        setattr(thresholds, name, Decimal(value) if name in FACTORS else int(value))
    thresholds.save()
    after = {name: str(getattr(thresholds, name)) for name in before}
    record(
        thresholds,
        "quality.thresholds.set",
        by=by,
        provider=provider,
        before=before,
        after=after,
        via=via,
    )
    return thresholds


@transaction.atomic
def record_claimed_figure(
    scope, year, measure, *, quantity, source: str, by, submission=None, via: str = ""
) -> ClaimedFigure:
    """Record a figure published elsewhere for a scope, year and measure (counted or derived),
    to be held against the ledger's own: by the provider, or by a supplier on its return (then
    about that supplier and the return's year). Recording it again replaces it."""
    source = source.strip()
    if not source:
        raise ValidationError({"source": "Say where the figure was published."})
    if not Measure.objects.available_to(scope.provider).filter(pk=measure.pk).exists():
        raise ValidationError(
            {"measure": f"{measure.name} is not one of this provider's measures."}
        )
    try:
        quantity = measure.clean_quantity(parse_decimal(str(quantity)))
    except ValueError as error:
        raise ValidationError({"quantity": str(error)}) from None
    except ValidationError as error:
        raise ValidationError({"quantity": f"The figure {error.messages[0]}."}) from None
    claimant = submission.supplier if submission is not None else scope.provider
    kind, pk = scope.key
    claim, created = ClaimedFigure.objects.update_or_create(
        scope_kind=kind,
        scope_id=pk,
        financial_year=year.start_year,
        measure=measure,
        claimed_by=claimant,
        defaults={
            "provider": scope.provider,
            "quantity": quantity,
            "source": source[:500],
            "submission": submission,
            "recorded_by": by if getattr(by, "is_authenticated", False) else None,
        },
    )
    record(
        claim,
        "claim.recorded",
        by=by,
        provider=scope.provider,
        after={
            "scope": f"{kind} {pk}",
            "year": year.label,
            "measure": measure.code,
            "quantity": str(quantity),
            "source": claim.source,
            "claimed_by": str(claimant),
        },
        note="" if created else "replaces the figure claimed before",
        via=via,
    )
    return claim
