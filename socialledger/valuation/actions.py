"""Writes to value sets: creating a version, choosing the set a provider values its figures with,
and keeping the shipped open set present."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from socialledger.audit.actions import record
from socialledger.imports.reading import ImportRefused, Table
from socialledger.imports.values import PlannedValue, plan_values
from socialledger.valuation.library import (
    DataFileError,
    ValueSetSpec,
    deflator_series,
    read_open_values,
)
from socialledger.valuation.models import MeasureValue, ValueSet, ValueSetChoice

log = logging.getLogger(__name__)


class ChoiceError(Exception):
    """A value set that cannot be chosen; the message says why."""


@transaction.atomic
def create_value_set(
    planned: list[PlannedValue],
    *,
    provider,
    code: str,
    name: str,
    version: int | None = None,
    description: str = "",
    unvalued: dict[str, str] | None = None,
    by,
    via: str = "",
) -> ValueSet:
    """Store a new version of a value set from checked rows. An existing version is never
    changed: the same code and version twice is refused. No version given = the next one."""
    sets = ValueSet.objects.filter(provider=provider, code=code)
    latest = sets.order_by("-version").first()
    version = version or (latest.version + 1 if latest else 1)
    if sets.filter(version=version).exists():
        raise ChoiceError(
            f"{name} version {version} already exists and is never changed; load it as "
            f"version {latest.version + 1}."
        )
    value_set = ValueSet(
        provider=provider,
        code=code,
        name=name,
        version=version,
        description=description,
        unvalued=unvalued or {},
    )
    value_set.full_clean()
    value_set.save()
    MeasureValue.objects.bulk_create(
        MeasureValue(value_set=value_set, measure=row.measure, **row.fields) for row in planned
    )
    record(
        value_set,
        "value_set.created",
        by=by,
        provider=provider,
        after={
            "version": version,
            "values": {row.measure.code: str(row.fields["central"]) for row in planned},
        },
        via=via,
    )
    return value_set


@transaction.atomic
def choose_value_set(
    provider, value_set: ValueSet, *, by, reason: str, via: str = "", when: datetime | None = None
) -> ValueSetChoice:
    """From now (or `when`, to load a history) on, value the provider's figures with this set.
    Earlier choices are kept, so reports restate the years they valued instead of silently
    changing them; a choice can never be dated before the one in force."""
    if value_set.provider_id not in (None, provider.pk):
        raise ChoiceError(f"{value_set.label} belongs to another provider.")
    if not reason.strip():
        raise ChoiceError("Give a reason for the change; reports print it beside the restatement.")
    current = ValueSetChoice.objects.in_force(provider)
    if current and current.value_set_id == value_set.pk:
        raise ChoiceError(f"{value_set.label} is already in force.")
    when = when or timezone.now()
    if current and when <= current.chosen_at:
        raise ChoiceError(
            f"A choice cannot be dated before the one in force (from {current.chosen_at:%Y-%m-%d})."
        )
    choice = ValueSetChoice.objects.create(
        provider=provider,
        value_set=value_set,
        chosen_at=when,
        chosen_by=by if getattr(by, "is_authenticated", False) else None,
        reason=reason.strip(),
    )
    record(
        choice,
        "value_set.chosen",
        by=by,
        provider=provider,
        before={"value_set": current.value_set.label} if current else None,
        after={"value_set": value_set.label},
        note=reason,
        via=via,
    )
    return choice


def spec_table(spec: ValueSetSpec) -> Table:
    """A data-file value set in the shape a CSV file would give the import."""
    rows = [value.fields for value in spec.values]
    columns = tuple(sorted({name for row in rows for name in row}))
    return Table(columns, tuple(enumerate(rows, start=2)), "utf-8")


@transaction.atomic
def sync_open_values(spec: ValueSetSpec | None = None, *, by=None) -> ValueSet:
    """Keep the shipped open set present; a changed file must carry a higher version."""
    spec = spec or read_open_values()
    existing = ValueSet.objects.shipped().filter(code=spec.code, version=spec.version).first()
    try:
        planned = plan_values(None, spec_table(spec), deflator_series())
    except ImportRefused as refused:
        raise DataFileError("; ".join(str(p) for p in refused.problems)) from None
    if existing:
        _check_unchanged(existing, planned)
        return existing
    return create_value_set(
        planned,
        provider=None,
        code=spec.code,
        name=spec.name,
        version=spec.version,
        description=spec.description,
        unvalued=spec.unvalued,
        by=by,
        via="library",
    )


def _check_unchanged(value_set: ValueSet, planned: list[PlannedValue]) -> None:
    stored = {
        (v.measure.code, v.low, v.central, v.high, v.price_year)
        for v in value_set.values.select_related("measure")
    }
    wanted = {
        (row.measure.code, *(row.fields[k] for k in ("low", "central", "high", "price_year")))
        for row in planned
    }
    if stored != wanted:
        raise DataFileError(
            f"{value_set.label}: its values changed but its version did not; a published "
            "version is never changed, so raise the version."
        )


def sync_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate hook: keep the shipped open value set present in every database."""
    sync_open_values()
