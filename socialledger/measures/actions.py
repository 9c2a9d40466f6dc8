"""Changes to the measure library."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from socialledger.audit.actions import record
from socialledger.lib.periods import FinancialYear
from socialledger.measures.library import Library, LibraryError, MeasureSpec, read_library
from socialledger.measures.models import (
    Dimension,
    DimensionValue,
    FormulaVersion,
    Measure,
    MeasureComponent,
    MeasureRevision,
)

log = logging.getLogger(__name__)


@transaction.atomic
def sync_measure_library(library: Library | None = None, *, by=None) -> list[str]:
    """Bring the shipped library up to date; returns the codes of measures added or redefined.

    A definition only changes with a higher version number, and each change is kept as a
    revision with its reason. Other fields (names, narratives, breakdowns) follow the file.
    """
    library = library or read_library()
    dimensions = {
        spec.code: _sync_dimension(spec, position)
        for position, spec in enumerate(library.dimensions)
    }
    changed = []
    measures = {}
    for position, spec in enumerate(library.measures):
        measure, is_new_definition = _sync_measure(spec, position, by=by)
        measure.dimensions.set([dimensions[code] for code in spec.breakdowns])
        measures[spec.code] = measure
        if is_new_definition:
            changed.append(spec.code)
    for spec in library.measures:
        _sync_components(measures[spec.code], spec, measures)
    return changed


def sync_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate hook: keep the shipped library present in every database."""
    changed = sync_measure_library()
    if changed:
        log.info("Measure library: %s", ", ".join(changed))


def _sync_dimension(spec, position: int) -> Dimension:
    dimension, _ = Dimension.objects.update_or_create(
        code=spec.code,
        defaults={
            "name": spec.name,
            "closed": spec.closed,
            "description": spec.description,
            "position": position,
        },
    )
    for value_position, (code, label) in enumerate(spec.values):
        DimensionValue.objects.update_or_create(
            dimension=dimension, code=code, defaults={"label": label, "position": value_position}
        )
    return dimension


def _sync_measure(spec: MeasureSpec, position: int, *, by) -> tuple[Measure, bool]:
    fields = {
        "name": spec.name,
        "unit": spec.unit,
        "aggregation": spec.aggregation,
        "kind": Measure.Kind.DERIVED if spec.formula else Measure.Kind.COUNTED,
        "needs_description": spec.needs_description,
        "whole_numbers": spec.whole_numbers,
        "narrative_one": spec.narrative_one,
        "narrative_many": spec.narrative_many,
        "position": position,
    }
    measure = Measure.objects.filter(provider__isnull=True, code=spec.code).first()
    if measure is None:
        measure = Measure.objects.create(
            code=spec.code, definition=spec.definition, version=spec.version, **fields
        )
        _add_revision(measure, spec.reason or "First published in the Social Ledger library.", by)
        return measure, True
    redefined = _check_version(measure, spec)
    if redefined:
        measure.definition, measure.version = spec.definition, spec.version
    for name, value in fields.items():
        setattr(measure, name, value)
    measure.save()
    if redefined:
        _add_revision(measure, spec.reason, by)
    return measure, redefined


def _check_version(measure: Measure, spec: MeasureSpec) -> bool:
    if spec.version < measure.version:
        raise LibraryError(
            f"{spec.code}: the file has version {spec.version}, the database {measure.version}."
        )
    if spec.version == measure.version and spec.definition != measure.definition:
        raise LibraryError(
            f"{spec.code}: its definition changed but its version did not; raise the version "
            "and give a reason."
        )
    return spec.version > measure.version


def _add_revision(measure: Measure, reason: str, by) -> None:
    revision = MeasureRevision.objects.create(
        measure=measure, version=measure.version, definition=measure.definition, reason=reason
    )
    record(
        measure,
        "measure.defined",
        by=by,
        provider=measure.provider,
        after={"version": revision.version, "definition": revision.definition},
        note=reason,
    )


def _sync_components(measure: Measure, spec: MeasureSpec, measures: dict[str, Measure]) -> None:
    """A derived measure's formula follows the file through `set_formula`: its first version
    when it is new, a new version (with the file's reason and first year) when it changed."""
    if not spec.formula:
        return
    wanted = [(sign, code) for sign, code in spec.formula]
    latest = measure.formula_versions.order_by("-version").first()
    if latest is None:
        _first_formula(measure, wanted, measures)
        return
    if [tuple(term) for term in latest.formula] == wanted:
        return
    if not spec.formula_reason or not spec.formula_from:
        raise LibraryError(
            f"{spec.code}: its formula changed; give formula_reason and formula_from (the first "
            "financial year it applies to, e.g. 2025-26)."
        )
    set_formula(
        measure,
        wanted,
        reason=spec.formula_reason,
        first_year=FinancialYear.parse(spec.formula_from).start_year,
        by=None,
        via="library",
    )


def _first_formula(measure: Measure, formula: list, measures: dict[str, Measure]) -> None:
    """A derived measure's first formula applies to every year."""
    FormulaVersion.objects.create(
        measure=measure,
        version=1,
        formula=[list(term) for term in formula],
        reason="First published in the Social Ledger library.",
        first_year=0,
    )
    _set_components(measure, formula)


@transaction.atomic
def set_formula(
    measure: Measure, formula: list[tuple[int, str]], *, reason: str, first_year: int, by, via=""
) -> FormulaVersion:
    """Change a derived measure's formula: a new version with its reason and the first year it
    applies to (the library file, the admin and the API all change it here). Reports show the
    years before it under the version they were published with and under this one."""
    reason = reason.strip()
    if not measure.is_derived:
        raise ValidationError({"formula": f"{measure.name} is counted, not derived."})
    if not reason:
        raise ValidationError({"reason": "Say why the formula changes."})
    terms = _checked_terms(measure, formula)
    latest = measure.formula_versions.order_by("-version").first()
    if latest is not None and [tuple(t) for t in latest.formula] == terms:
        raise ValidationError({"formula": "That is the formula already in force."})
    if latest is not None and first_year < latest.first_year:
        raise ValidationError(
            {"first_year": "A new version cannot apply from before the version it replaces."}
        )
    version = FormulaVersion.objects.create(
        measure=measure,
        version=(latest.version + 1) if latest else 1,
        formula=[list(term) for term in terms],
        reason=reason,
        first_year=first_year,
    )
    _set_components(measure, terms)
    record(
        measure,
        "measure.formula",
        by=by,
        provider=measure.provider,
        before={"version": latest.version, "formula": latest.formula} if latest else None,
        after={"version": version.version, "formula": version.formula, "first_year": first_year},
        note=reason,
        via=via,
    )
    return version


def _checked_terms(measure: Measure, formula) -> list[tuple[int, str]]:
    """The formula's terms, each a counted measure in the derived one's unit, signed ±1."""
    terms = [(int(sign), str(code)) for sign, code in formula]
    if not terms:
        raise ValidationError({"formula": "A formula needs at least one measure."})
    found = _parts(measure, [code for _sign, code in terms])
    for sign, code in terms:
        part = found.get(code)
        if sign not in (1, -1):
            raise ValidationError({"formula": f"{code}: a term is added (+) or subtracted (−)."})
        if part is None or part.is_derived or part.unit != measure.unit:
            raise ValidationError(
                {"formula": f"{code} is not a counted measure in {measure.get_unit_display()}."}
            )
    return terms


def _parts(measure: Measure, codes: list[str]) -> dict[str, Measure]:
    """The measures a formula names: the library's, or the provider's own where it has one."""
    candidates = Measure.objects.filter(code__in=codes).filter(
        Q(provider__isnull=True) | Q(provider=measure.provider)
    )
    return {m.code: m for m in sorted(candidates, key=lambda m: m.provider_id is not None)}


def _set_components(measure: Measure, terms) -> None:
    """The formula in force as the components every report sums."""
    parts = _parts(measure, [code for _sign, code in terms])
    wanted = {parts[code].pk: sign for sign, code in terms}
    measure.components.exclude(component_id__in=wanted).delete()
    for component_id, sign in wanted.items():
        MeasureComponent.objects.update_or_create(
            derived=measure, component_id=component_id, defaults={"coefficient": sign}
        )


def opening_balance_overlap(provider, measure: Measure | None, covers_until: int) -> str | None:
    """Why a measure's opening balance may not cover these years, or None: it may cover only
    years before the ledger's own records of the measure (or its parts), or the ledger's
    figures for those years would be silently replaced in every cumulative total. A £ social
    impact balance is a figure by another method, shown as published (decision 0006)."""
    from socialledger.returns.models import Entry, Status

    if measure is None:
        return None
    parts = measure.components.values_list("component_id", flat=True)
    first = (
        Entry.objects.for_provider(provider)
        .filter(financial_year__lte=covers_until, measure_id__in=[measure.pk, *parts])
        .exclude(submission__status=Status.REJECTED)
        .order_by("financial_year")
        .values_list("financial_year", flat=True)
        .first()
    )
    if first is None:
        return None
    year = provider.financial_year(first).label
    return (
        f"the ledger already records {measure.name.lower()} for {year}: an opening balance may "
        f"cover only years before {year}; record a total published for later years as a "
        "claimed figure instead, to compare with the ledger's own"
    )


@transaction.atomic
def set_opening_balance(
    provider,
    *,
    quantity,
    covers_until: int,
    source: str,
    by,
    measure: Measure | None = None,
    via: str = "",
):
    """Record (or replace) a total from before the platform's records; reports label it so."""
    from socialledger.measures.models import OpeningBalance

    overlap = opening_balance_overlap(provider, measure, covers_until)
    if overlap:
        raise ValidationError({"covers_until": overlap[0].upper() + overlap[1:] + "."})
    figure = OpeningBalance.Figure.MEASURE if measure else OpeningBalance.Figure.SOCIAL_IMPACT
    balance = OpeningBalance.objects.filter(
        provider=provider, figure=figure, measure=measure
    ).first()
    before = (
        {"quantity": str(balance.quantity), "covers_until": balance.covers_until}
        if balance
        else None
    )
    balance = balance or OpeningBalance(provider=provider, figure=figure, measure=measure)
    balance.quantity, balance.covers_until, balance.source = quantity, covers_until, source
    balance.full_clean()
    balance.save()
    record(
        balance,
        "opening_balance.set",
        by=by,
        provider=provider,
        before=before,
        after={"quantity": str(quantity), "covers_until": covers_until},
        note=source,
        via=via,
    )
    return balance
