"""Writes about data quality: an officer marks a warning checked, with a reason; a provider sets
its thresholds. Each is audited."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from socialledger.audit.actions import record
from socialledger.quality.models import Check, Thresholds
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
