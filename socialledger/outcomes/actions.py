"""Loading outcome models and keeping a provider's crosswalk from measures to their outcomes."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from socialledger.audit.actions import record
from socialledger.measures.models import Measure
from socialledger.outcomes.files import CrosswalkRow, ModelText, OutcomeFileError
from socialledger.outcomes.models import (
    Outcome,
    OutcomeMapping,
    OutcomeModel,
    ReportingMetric,
    Theme,
)


class OutcomeError(ValueError):
    """A change to outcome models or a crosswalk that the rules refuse; the message says why."""


@transaction.atomic
def load_outcome_model(provider, text: ModelText, *, by, via: str = "") -> OutcomeModel:
    """Add one version of a model as its file gives it; a version already loaded is refused
    (a model's text changes only by a new version, so earlier reports keep their meaning)."""
    fields = text.fields
    if OutcomeModel.objects.filter(
        provider=provider, code=fields["code"], version=fields["version"]
    ).exists():
        raise OutcomeError(
            f"Version {fields['version']} of {fields['code']} is already loaded; "
            "give the new text a new version."
        )
    model = OutcomeModel(provider=provider, **fields)
    model.full_clean()
    model.save()
    for t, theme_text in enumerate(text.themes):
        theme = Theme.objects.create(
            model=model, code=theme_text.code, title=theme_text.title, position=t
        )
        for o, outcome_text in enumerate(theme_text.outcomes):
            outcome = Outcome.objects.create(
                theme=theme, code=outcome_text.code, title=outcome_text.title, position=o
            )
            ReportingMetric.objects.bulk_create(
                ReportingMetric(
                    outcome=outcome, code=m.code, title=m.title, unit=m.unit, position=k
                )
                for k, m in enumerate(outcome_text.metrics)
            )
    record(
        model,
        "outcome_model.loaded",
        by=by,
        provider=provider,
        after={"code": model.code, "version": model.version, "source": model.source_title},
        via=via,
    )
    return model


@transaction.atomic
def map_measure(
    provider, measure: Measure, outcome: Outcome, *, note: str, by, via: str = ""
) -> OutcomeMapping:
    """Say that a measure counts towards an outcome (or change how it fits)."""
    _check_belongs(provider, measure, outcome)
    mapping, created = OutcomeMapping.objects.get_or_create(
        provider=provider, measure=measure, outcome=outcome, defaults={"note": note}
    )
    before = None if created else {"note": mapping.note}
    if not created and mapping.note == note:
        return mapping
    mapping.note = note
    mapping.save(update_fields=["note"])
    record(
        mapping,
        "outcome_mapping.set",
        by=by,
        provider=provider,
        before=before,
        after=_described(mapping),
        via=via,
    )
    return mapping


@transaction.atomic
def unmap_measure(mapping: OutcomeMapping, *, by, via: str = "") -> None:
    """Take a measure off an outcome."""
    record(
        mapping,
        "outcome_mapping.removed",
        by=by,
        provider=mapping.provider,
        before=_described(mapping),
        via=via,
    )
    mapping.delete()


@transaction.atomic
def load_crosswalk(
    provider, model: OutcomeModel, rows: list[CrosswalkRow], *, by, via: str = ""
) -> int:
    """Map measures to a model's outcomes from a file: every row checked first, then all
    written or none. Returns how many mappings were added or changed."""
    outcomes = {o.code: o for o in Outcome.objects.filter(theme__model=model)}
    measures = {m.code: m for m in Measure.objects.available_to(provider)}
    problems = []
    for row in rows:
        if row.outcome not in outcomes:
            problems.append(
                f'row {row.row}, column outcome: "{row.outcome}" – an outcome of {model.label}'
            )
        if row.measure not in measures:
            problems.append(f'row {row.row}, column measure: "{row.measure}" – a measure code')
    if problems:
        raise OutcomeFileError(problems)
    changed = 0
    for row in rows:
        existing = OutcomeMapping.objects.filter(
            provider=provider, measure=measures[row.measure], outcome=outcomes[row.outcome]
        ).first()
        if existing is None or existing.note != row.note:
            map_measure(
                provider,
                measures[row.measure],
                outcomes[row.outcome],
                note=row.note,
                by=by,
                via=via,
            )
            changed += 1
    return changed


@transaction.atomic
def record_procured_under(
    contract,
    *,
    code: str = "",
    model: OutcomeModel | None = None,
    procurement_started_on: date | None = None,
    by,
    via: str = "",
) -> OutcomeModel:
    """Record the outcome model version a contract was procured under: the version named, or
    else the version of the model `code` in force on the day its procurement started (the
    contract's own start when that day is not known)."""
    provider = contract.framework.provider
    started = procurement_started_on or contract.procurement_started_on or contract.starts_on
    if model is None:
        model = OutcomeModel.objects.of_provider(provider).version_for(code, started)
        if model is None:
            raise OutcomeError(
                f"No loaded version of {code or 'that model'} applies to a procurement "
                f"started on {started:%-d %B %Y}."
            )
    elif model.provider_id != provider.pk:
        raise OutcomeError("That outcome model belongs to another provider.")
    before = {
        "outcome_model": contract.outcome_model.label if contract.outcome_model_id else None,
        "procurement_started_on": _day(contract.procurement_started_on),
    }
    contract.outcome_model = model
    if procurement_started_on is not None:
        contract.procurement_started_on = procurement_started_on
    contract.save(update_fields=["outcome_model", "procurement_started_on"])
    after = {
        "outcome_model": model.label,
        "procurement_started_on": _day(contract.procurement_started_on),
    }
    if after != before:
        record(
            contract,
            "contract.procured_under",
            by=by,
            provider=provider,
            before=before,
            after=after,
            via=via,
        )
    return model


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _check_belongs(provider, measure: Measure, outcome: Outcome) -> None:
    if outcome.theme.model.provider_id != provider.pk:
        raise OutcomeError("That outcome belongs to another provider's model.")
    if measure.provider_id not in (None, provider.pk):
        raise OutcomeError("Only the provider's own or the shared measures can be mapped.")


def _described(mapping: OutcomeMapping) -> dict:
    return {
        "measure": mapping.measure.code,
        "outcome": mapping.outcome.code,
        "model": mapping.outcome.theme.model.label,
        "note": mapping.note,
    }
