"""Every write to returns and entries: opening a return, saving figures, and status transitions.

The web pages, the API, the command line and the spreadsheet import all call these functions,
so a rule written here holds at every door.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from socialledger.audit.actions import event_about, record, record_all
from socialledger.lib.batches import in_chunks
from socialledger.lib.numbers import normalise
from socialledger.lib.periods import FinancialYear, year_of_period
from socialledger.measures.models import Measure, breakdown_key
from socialledger.organisations.models import Organisation
from socialledger.reports.summaries import Touched, kept_true
from socialledger.returns.figures import Fact
from socialledger.returns.models import (
    DELIVERED_ENTRY_COLUMNS,
    STATUSES_COUNTED_AS,
    Entry,
    Restatement,
    Return,
    ScopedContract,
    State,
    Status,
    write_entry_rows,
)


class TransitionError(Exception):
    """A change the return's current status does not allow; the message says why."""


class ConflictError(TransitionError):
    """Someone else changed the return a moment ago; the message says who did what, and when."""


@dataclass(frozen=True)
class SaveSummary:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0


def find_return(supplier: Organisation, start: date, end: date) -> Return | None:
    """The supplier's return whose period contains the given period, if there is one."""
    return (
        Return.objects.filter(supplier=supplier, period_start__lte=start, period_end__gte=end)
        .order_by("period_start")
        .first()
    )


@transaction.atomic
def open_return(
    supplier: Organisation,
    *,
    period_start: date,
    period_end: date,
    by,
    via: str = "",
) -> Return:
    """Start a draft return for a supplier's period; periods of one supplier never overlap."""
    year = year_of_period(period_start, period_end, supplier.home_provider.year_start_month)
    overlapping = Return.objects.filter(
        Q(supplier=supplier) & Q(period_start__lte=period_end) & Q(period_end__gte=period_start)
    ).first()
    if overlapping:
        raise TransitionError(f"{supplier} already has a return for {overlapping.period_label}.")
    ret = Return.objects.create(
        supplier=supplier,
        period_start=period_start,
        period_end=period_end,
        financial_year=year.start_year,
    )
    record(ret, "return.opened", by=by, provider=supplier.provider, after=_state(ret), via=via)
    return ret


def open_year_return(supplier: Organisation, year: FinancialYear, *, by, via: str = "") -> Return:
    """A draft return covering the whole financial year."""
    return open_return(supplier, period_start=year.start, period_end=year.end, by=by, via=via)


@dataclass(frozen=True)
class YearReturn:
    """A new return for a supplier's whole financial year, with its figures and the status it
    is to reach: draft, submitted or verified."""

    supplier: Organisation
    year: FinancialYear
    facts: list[Fact]
    status: str = Status.DRAFT


# The transitions that take a new return to each status it may be filed at.
FILED_THROUGH = {
    Status.DRAFT: (),
    Status.SUBMITTED: ("submit",),
    Status.VERIFIED: ("submit", "verify"),
}


@transaction.atomic
def file_year_returns(
    filed: list[YearReturn], *, by, notes: dict[str, str] | None = None, via: str = ""
) -> list[Return]:
    """Open, fill in and move on many new year returns at once, exactly as `open_year_return`,
    `save_entries`, `submit_return` and `verify_return` would one by one: the same checks, the
    same entries and the same audit events, in the same order, in far fewer statements (an
    import files thousands of returns). `notes` gives each transition's note by name.

    A new return has no contracts in scope yet (scopes come with a round), so nothing stops
    its submission; no return was verified before, so nothing is restated."""
    if not filed:
        return []
    provider = filed[0].supplier.provider
    if any(one.supplier.provider_id != provider.pk for one in filed):
        raise ValueError("Returns are filed for one provider's suppliers at a time.")
    pairs = [(_new_year_return(one), one) for one in filed]
    _refuse_overlapping([ret for ret, _one in pairs])
    touched = Touched()
    for ret, one in pairs:
        for fact in one.facts:
            _check_fact_fits(ret, fact)
            touched.add(fact.contract.pk, ret.financial_year, fact.person_key)
    now, notes = timezone.now(), notes or {}
    steps = [_steps_to(ret, one, by=by, notes=notes, now=now) for ret, one in pairs]
    with kept_true(touched, provider.pk):
        Return.objects.bulk_create([ret for ret, _one in pairs])
        _insert_into((ret, one.facts) for ret, one in pairs)
    events = [
        event_about(ret, action, by=by, before=before, after=after, note=note, via=via)
        for (ret, _one), taken in zip(pairs, steps, strict=True)
        for action, before, after, note in taken
    ]
    record_all(events, provider=provider)
    return [ret for ret, _one in pairs]


def _new_year_return(one: YearReturn) -> Return:
    return Return(
        supplier=one.supplier,
        period_start=one.year.start,
        period_end=one.year.end,
        financial_year=one.year.start_year,
    )


def _refuse_overlapping(returns: list[Return]) -> None:
    """As `open_return`: periods of one supplier never overlap, neither with returns it has nor
    with each other."""
    periods: dict[int, list[Return]] = {}
    for ret in returns:
        periods.setdefault(ret.supplier_id, []).append(ret)
    for chunk in in_chunks(sorted(periods)):
        held = Return.objects.filter(supplier_id__in=chunk).select_related("supplier__provider")
        for existing in held:
            periods[existing.supplier_id].append(existing)
    for mine in periods.values():
        mine.sort(key=lambda ret: ret.period_start)
        for earlier, later in pairwise(mine):
            if later.period_start > earlier.period_end:
                continue
            held = earlier if earlier.pk else later
            if held.pk:
                raise TransitionError(
                    f"{held.supplier} already has a return for {held.period_label}."
                )
            raise TransitionError(
                f"{held.supplier} would have two returns for {held.period_label}."
            )


def _steps_to(ret: Return, one: YearReturn, *, by, notes: dict, now) -> list[tuple]:
    """Move the new return to its status in memory; the audit steps (action, before, after,
    note) that opening, saving and each transition would have recorded."""
    steps = [("return.opened", None, _state(ret), "")]
    if one.facts:
        steps.append(("return.entries_saved", None, {"added": len(one.facts), "changed": []}, ""))
    for name in FILED_THROUGH[one.status]:
        before, note = _state(ret), notes.get(name, "")
        _move(ret, name, by=by, note=note, now=now)
        after = _state(ret)
        if name == "submit":
            after["figures"] = _figures_of(one.facts)
        steps.append((_moved(ret, name), before, after, note))
    if ret.status == Status.VERIFIED:
        ret.verified_totals = _totals_by_measure(one.facts)
    return steps


def _figures_of(facts: list[Fact]) -> dict[str, str]:
    """As `submitted_figures`, from the facts a new return is filed with."""
    totals: dict[str, Decimal] = {}
    for fact in facts:
        key = f"{fact.contract.reference}|{fact.measure.code}"
        totals[key] = totals.get(key, Decimal(0)) + fact.quantity
    return {key: str(normalise(total)) for key, total in totals.items()}


def _totals_by_measure(facts: list[Fact]) -> dict[str, str]:
    """Each measure's total, written as `_record_restatements` keeps it."""
    totals: dict[str, Decimal] = {}
    for fact in facts:
        totals[fact.measure.code] = totals.get(fact.measure.code, Decimal(0)) + fact.quantity
    return {code: str(normalise(total)) for code, total in totals.items()}


@transaction.atomic
def save_entries(ret: Return, facts: list[Fact], *, by, via: str = "") -> SaveSummary:
    """Add or update figures in an editable return, matched by natural key; never doubles.

    A fact whose natural key is already in the return replaces that entry's quantity. One audit
    event records what was added and every quantity that changed, before and after.
    """
    _refuse_unless_editable(ret, by=by)
    existing = {
        entry.natural_key: entry for entry in ret.entries.select_related("contract", "measure")
    }
    with _summaries_kept_true(ret, facts=facts):
        new, changed, unchanged = _upsert(ret, facts, existing)
    summary = SaveSummary(added=len(new), changed=len(changed), unchanged=unchanged)
    if new or changed:
        record(
            ret,
            "return.entries_saved",
            by=by,
            provider=ret.provider,
            after={"added": summary.added, "changed": _describe_changes(changed)},
            via=via,
        )
    return summary


@transaction.atomic
def replace_entries(
    ret: Return,
    facts: list[Fact],
    *,
    by,
    contracts: list | None = None,
    measures: list | None = None,
    delivered_by=None,
    via: str = "",
) -> SaveSummary:
    """Make the return's figures, within the given contracts and measures (all, if not given),
    exactly these facts: matching entries are updated, new ones added, the rest removed.

    This is how a form or a re-uploaded workbook replaces what it covers without doubling. It
    covers the figures of one deliverer only: the supplier's own (`delivered_by` None), or one
    subcontractor's, so neither replaces what the other entered.
    """
    _refuse_unless_editable(ret, by=by)
    if any(fact.delivered_by_id != getattr(delivered_by, "pk", None) for fact in facts):
        raise TransitionError("Figures are replaced for one deliverer at a time.")
    region = ret.entries.select_related("contract", "measure").filter(delivered_by=delivered_by)
    if contracts is not None:
        region = region.filter(contract__in=contracts)
    if measures is not None:
        region = region.filter(measure__in=measures)
    existing = {entry.natural_key: entry for entry in region}
    kept = {fact.natural_key for fact in facts}
    gone = [entry for key, entry in existing.items() if key not in kept]
    with _summaries_kept_true(ret, facts=facts, entries=gone):
        new, changed, unchanged = _upsert(ret, facts, existing)
        Entry.objects.filter(pk__in=[entry.pk for entry in gone]).delete()
    _clear_nil_where_figures(ret, {fact.contract.pk for fact in facts})
    summary = SaveSummary(
        added=len(new), changed=len(changed), unchanged=unchanged, removed=len(gone)
    )
    if new or changed or gone:
        record(
            ret,
            "return.entries_replaced",
            by=by,
            provider=ret.provider,
            before={"removed": [_describe_entry(entry) for entry in gone]},
            after={"added": summary.added, "changed": _describe_changes(changed)},
            via=via,
        )
    return summary


@transaction.atomic
def replace_blocks(
    ret: Return, blocks: list[tuple], *, by, delivered_by=None, via: str = ""
) -> SaveSummary:
    """Make each (contract, measure, facts) block's figures exactly its facts, all blocks
    together or none: a return page saved whole (the supplier's, or one subcontractor's part)."""
    summaries = [
        replace_entries(
            ret,
            facts,
            contracts=[contract],
            measures=[measure],
            delivered_by=delivered_by,
            by=by,
            via=via,
        )
        for contract, measure, facts in blocks
    ]
    return SaveSummary(
        added=sum(s.added for s in summaries),
        changed=sum(s.changed for s in summaries),
        unchanged=sum(s.unchanged for s in summaries),
        removed=sum(s.removed for s in summaries),
    )


def _upsert(ret: Return, facts: list[Fact], existing: dict) -> tuple[list, list, int]:
    for fact in facts:
        _check_fact_fits(ret, fact)
    new, changed, unchanged = [], [], 0
    for fact in facts:
        entry = existing.get(fact.natural_key) if existing else None
        if entry is None:
            new.append(fact)
        elif entry.quantity != fact.quantity or entry.definition_version != fact.measure.version:
            changed.append((entry, entry.quantity, fact))
        else:
            unchanged += 1
    _insert(ret, new)
    _apply_changes(changed)
    return new, changed, unchanged


def _clear_nil_where_figures(ret: Return, contract_ids: set[int]) -> None:
    """A contract with figures is no longer a nil return."""
    ret.scope.filter(contract_id__in=contract_ids, nil=True).update(nil=False, nil_reason="")


NIL_REASON_LENGTH = ScopedContract._meta.get_field("nil_reason").max_length


@transaction.atomic
def set_nil_return(
    ret: Return, contract, *, nil: bool, reason: str = "", by, via: str = ""
) -> None:
    """Say a contract in the return's scope has nothing to report (or take that back)."""
    _refuse_unless_editable(ret, by=by)
    scoped = ret.scope.filter(contract=contract).first()
    if scoped is None:
        raise TransitionError(f"{contract.reference} is not one of this return's contracts.")
    if nil and ret.entries.filter(contract=contract).exists():
        raise TransitionError(
            f"{contract.reference} has figures in this return; remove them before saying it has "
            "nothing to report."
        )
    if nil and not reason.strip():
        raise TransitionError("Say briefly why there is nothing to report for this contract.")
    if len(reason.strip()) > NIL_REASON_LENGTH:
        raise TransitionError(f"Keep the reason to {NIL_REASON_LENGTH} characters or fewer.")
    before = {"nil": scoped.nil, "reason": scoped.nil_reason}
    scoped.nil, scoped.nil_reason = nil, reason.strip() if nil else ""
    scoped.save(update_fields=["nil", "nil_reason"])
    after = {"contract": contract.reference, "nil": nil, "reason": scoped.nil_reason}
    record(
        ret,
        "return.nil_return_set",
        by=by,
        provider=ret.provider,
        before=before,
        after=after,
        via=via,
    )


@transaction.atomic
def remove_entries(ret: Return, entries: list[Entry], *, by, via: str = "") -> int:
    """Delete figures from an editable return; the audit event keeps what they were."""
    _refuse_unless_editable(ret, by=by)
    doomed = [entry for entry in entries if entry.submission_id == ret.pk]
    before = [_describe_entry(entry) for entry in doomed]
    with _summaries_kept_true(ret, entries=doomed):
        Entry.objects.filter(pk__in=[entry.pk for entry in doomed]).delete()
    if doomed:
        record(
            ret,
            "return.entries_removed",
            by=by,
            provider=ret.provider,
            before={"entries": before},
            via=via,
        )
    return len(doomed)


# Which status each transition moves a return to, from each status it is allowed from.
TRANSITIONS: dict[str, dict[str, str]] = {
    "submit": {Status.DRAFT: Status.SUBMITTED, Status.QUERIED: Status.RESUBMITTED},
    "query": {Status.SUBMITTED: Status.QUERIED, Status.RESUBMITTED: Status.QUERIED},
    "verify": {Status.SUBMITTED: Status.VERIFIED, Status.RESUBMITTED: Status.VERIFIED},
    "reject": {Status.SUBMITTED: Status.REJECTED, Status.RESUBMITTED: Status.REJECTED},
    "reopen": {
        Status.SUBMITTED: Status.DRAFT,
        Status.QUERIED: Status.DRAFT,
        Status.RESUBMITTED: Status.DRAFT,
        Status.VERIFIED: Status.DRAFT,
        Status.REJECTED: Status.DRAFT,
    },
}
NEEDS_A_REASON = {"query", "reject", "reopen"}


# Each transition takes `seen_version`: the return's version on the page the person acted from.
# If the return has changed since, the change is refused with a ConflictError naming who changed
# it; without it, only a status that no longer allows the move is refused.


def submit_return(
    ret: Return, *, by, note: str = "", via: str = "", seen_version: int | None = None
) -> Return:
    """The supplier sends the return; its figures now count as reported."""
    return _transition(ret, "submit", by=by, note=note, via=via, seen_version=seen_version)


def query_return(
    ret: Return, *, by, note: str, via: str = "", seen_version: int | None = None
) -> Return:
    """An officer asks the supplier about the return; the supplier may correct and resubmit."""
    return _transition(ret, "query", by=by, note=note, via=via, seen_version=seen_version)


def verify_return(
    ret: Return, *, by, note: str = "", via: str = "", seen_version: int | None = None
) -> Return:
    """An officer verifies the return; its figures now count as verified."""
    return _transition(ret, "verify", by=by, note=note, via=via, seen_version=seen_version)


def reject_return(
    ret: Return, *, by, note: str, via: str = "", seen_version: int | None = None
) -> Return:
    """An officer rejects the return; its figures count nowhere."""
    return _transition(ret, "reject", by=by, note=note, via=via, seen_version=seen_version)


def reopen_return(
    ret: Return, *, by, note: str, via: str = "", seen_version: int | None = None
) -> Return:
    """Send a return back to draft so its figures can be corrected; they stop counting until
    it is submitted again."""
    return _transition(ret, "reopen", by=by, note=note, via=via, seen_version=seen_version)


# The officer's decisions on a submitted return, by name (as the pages and the API name them).
DECISIONS = {
    "query": query_return,
    "verify": verify_return,
    "reject": reject_return,
    "reopen": reopen_return,
}


def decisions_open(ret: Return) -> list[str]:
    """The decisions the return's status allows now."""
    return [name for name in DECISIONS if ret.status in TRANSITIONS[name]]


@transaction.atomic
def _transition(
    ret: Return, name: str, *, by, note: str, via: str, seen_version: int | None
) -> Return:
    seen_status = ret.status
    # Lock the row and read the status afresh, so two people acting at once cannot both move it.
    ret = (
        Return.objects.select_for_update(of=("self",))
        .select_related("supplier__provider")
        .get(pk=ret.pk)
    )
    allowed = TRANSITIONS[name]
    _refuse_if_overtaken(ret, name, by=by, seen_status=seen_status, seen_version=seen_version)
    if ret.status not in allowed:
        raise TransitionError(
            f"Cannot {name} a return that is {ret.get_status_display().lower()}"
            f" ({ret.supplier}, {ret.period_label})."
        )
    if name in NEEDS_A_REASON and not note.strip():
        raise TransitionError(f"Say why when you {name} a return.")
    if name == "submit":
        _refuse_unless_complete(ret)
    before = _state(ret)
    _move(ret, name, by=by, note=note, now=timezone.now())
    if name == "verify":
        _record_restatements(ret, by=by)
    with _summaries_kept_true(ret, whole=True, was=before["status"]):
        ret.save()
    after = _state(ret)
    if name == "submit":
        # What was sent, kept with the submission, so that the next one can be compared with it.
        after["figures"] = submitted_figures(ret)
    record(
        ret,
        _moved(ret, name),
        by=by,
        provider=ret.provider,
        before=before,
        after=after,
        note=note,
        via=via,
    )
    return ret


def submitted_figures(ret: Return) -> dict[str, str]:
    """The return's totals as sent: "contract reference|measure code" -> total."""
    totals = (
        ret.entries.values_list("contract__reference", "measure__code")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    return {f"{c}|{m}": str(normalise(total)) for c, m, total in totals}


def _move(ret: Return, name: str, *, by, note: str, now) -> None:
    """Make the transition on the return in memory: its status and what goes with it."""
    ret.status = TRANSITIONS[name][ret.status]
    if name == "submit":
        ret.submitted_at = now
    elif name in ("verify", "reject"):
        ret.decided_at, ret.decided_by = now, by if getattr(by, "is_authenticated", False) else None
    elif name == "reopen":
        ret.decided_at, ret.decided_by = None, None
    ret.status_note = note.strip()
    ret.version += 1


def _moved(ret: Return, name: str) -> str:
    """The audit action of a transition just made."""
    return f"return.{ret.status}" if name != "reopen" else "return.reopened"


def _refuse_if_overtaken(
    ret: Return, name: str, *, by, seen_status: str, seen_version: int | None
) -> None:
    """Refuse, saying who did what, when someone else changed the return after the person acting
    last saw it: its version moved on, or the status they saw allowed the move and the one it has
    now does not. A person's own earlier change (a double click) is no conflict."""
    allowed = TRANSITIONS[name]
    moved_on = seen_version is not None and ret.version != seen_version
    overtaken = seen_status in allowed and ret.status not in allowed
    if moved_on or overtaken:
        change = _last_change(ret, by=by)
        if change:
            raise ConflictError(
                f"This return was {change}; it is now {ret.get_status_display().lower()}. "
                f"Nothing was changed: look at it again before you {name} it."
            )


def _last_change(ret: Return, *, by) -> str:
    """ "verified by olivia a moment ago": the latest status change, if someone other than `by`
    made it; empty if it was their own."""
    from socialledger.audit.models import AuditEvent

    verbs = {f"return.{status}": status.label.lower() for status in Status} | {
        "return.reopened": "reopened"
    }
    event = AuditEvent.objects.about(ret).filter(action__in=verbs).select_related("actor").last()
    actor_id = by.pk if getattr(by, "is_authenticated", False) else None
    if event is None or event.actor_id == actor_id:
        return ""
    who = event.actor.get_username() if event.actor else event.actor_label
    ago = timezone.now() - event.created_at
    when = (
        "a moment ago"
        if ago.total_seconds() < 120
        else f"at {timezone.localtime(event.created_at):%H:%M on %d %b %Y}"
    )
    return f"{verbs[event.action]} by {who} {when}"


def _refuse_unless_complete(ret: Return) -> None:
    missing = list(ret.scope.missing_figures().select_related("contract"))
    if missing:
        names = ", ".join(s.contract.reference for s in missing)
        raise TransitionError(
            f"Before submitting, give figures or a nil return for every contract in scope; "
            f"still missing: {names}."
        )
    from socialledger.returns.supply_chain import parts_to_review

    waiting = parts_to_review(ret)
    if waiting:
        names = ", ".join(str(part.subcontract.subcontractor) for part in waiting)
        raise TransitionError(
            "Before submitting, accept or query the figures your subcontractors entered; "
            f"still to review: {names}."
        )


def _record_restatements(ret: Return, *, by) -> None:
    """On each verification, compare every measure's total with the last verified one; a change
    is a restatement, kept with the reason the return was reopened."""
    from socialledger.audit.models import AuditEvent

    totals = {
        code: str(total)
        for code, total in ret.entries.values_list("measure__code")
        .annotate(total=Sum("quantity"))
        .order_by()
    }
    if ret.verified_totals:
        reopened = AuditEvent.objects.about(ret).filter(action="return.reopened").last()
        codes = set(totals) | set(ret.verified_totals)
        measures = {
            m.code: m for m in Measure.objects.available_to(ret.provider).filter(code__in=codes)
        }
        for code in sorted(codes):
            before = Decimal(ret.verified_totals.get(code, "0"))
            after = Decimal(totals.get(code, "0"))
            if before != after:
                Restatement.objects.create(
                    submission=ret,
                    measure=measures[code],
                    financial_year=ret.financial_year,
                    before=before,
                    after=after,
                    reason=reopened.note if reopened else "",
                )
    ret.verified_totals = totals


def _summaries_kept_true(ret: Return, *, facts=(), entries=(), whole=False, was=None):
    """Keep the reports' summary tables true to this change of the return's figures or status.

    Figures in a return that is not counted (a draft, or rejected) change no report, so editing
    one costs nothing; a change of status touches every figure in the return.
    """
    counted = STATUSES_COUNTED_AS[State.REPORTED]
    if ret.status not in counted and was not in counted:
        return nullcontext()
    touched = Touched(returns={ret.pk} if whole else set())
    for fact in facts:
        touched.add(fact.contract.pk, ret.financial_year, fact.person_key)
    for entry in entries:
        touched.add(entry.contract_id, entry.financial_year, entry.person_key)
    return kept_true(touched, ret.supplier.provider_id)


def _state(ret: Return) -> dict:
    return {"status": ret.status, "period": ret.period_label}


def _refuse_unless_editable(ret: Return, *, by=None) -> None:
    """Refuse unless the return, as stored now, is editable; its row stays locked until the
    transaction ends, so a decision cannot slip in between the check and the change."""
    current = Return.objects.select_for_update(of=("self",)).values_list("status", flat=True)
    was_editable, ret.status = ret.is_editable, current.get(pk=ret.pk)
    change = _last_change(ret, by=by) if was_editable and not ret.is_editable else ""
    if change:
        raise ConflictError(
            f"This return was {change}; its figures can no longer be changed and nothing was saved."
        )
    if not ret.is_editable:
        raise TransitionError(
            f"The {ret.period_label} return of {ret.supplier} is "
            f"{ret.get_status_display().lower()}; its figures can only change after it is reopened."
        )


def _check_fact_fits(ret: Return, fact: Fact) -> None:
    if fact.contract.supplier_id != ret.supplier_id:
        raise TransitionError(f"{fact.contract.reference} is not a contract of {ret.supplier}.")
    if not (ret.period_start <= fact.period_start and fact.period_end <= ret.period_end):
        raise TransitionError(f"A figure for {fact.period_start} lies outside {ret.period_label}.")
    if fact.measure.is_derived:
        raise TransitionError(f"{fact.measure.name} is derived from other measures; enter those.")
    if fact.delivered_by is not None and fact.delivered_by.contract_id != fact.contract.pk:
        raise TransitionError(
            f"{fact.delivered_by.subcontractor} is not in the supply chain of "
            f"{fact.contract.reference}."
        )


def _insert(ret: Return, facts: list[Fact]) -> None:
    """Write new facts as entries of the return."""
    _insert_into([(ret, facts)])


ROWS_PER_WRITE = 50_000


def _insert_into(filled: Iterable[tuple[Return, list[Fact]]]) -> None:
    """Write new facts as entries of their returns, as rows rather than model objects and a
    bounded number at a time: an import may bring a million of them."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    as_date = connection.ops.adapt_datefield_value
    scaled = Entry._meta.get_field("quantity").get_prep_value
    rows = []
    for ret, facts in filled:
        for fact in facts:
            rows.append(
                (
                    ret.pk,
                    fact.contract.pk,
                    fact.measure.pk,
                    fact.measure.version,
                    as_date(fact.period_start),
                    as_date(fact.period_end),
                    ret.financial_year,
                    scaled(fact.quantity),
                    json.dumps(fact.breakdowns),
                    breakdown_key(fact.breakdowns),
                    fact.description,
                    fact.person_key,
                    now,
                    now,
                    fact.delivered_by_id,
                )
            )
            if len(rows) == ROWS_PER_WRITE:
                write_entry_rows(rows, DELIVERED_ENTRY_COLUMNS)
                rows = []
    write_entry_rows(rows, DELIVERED_ENTRY_COLUMNS)


def _apply_changes(changed: list[tuple[Entry, Decimal, Fact]]) -> None:
    now = timezone.now()
    for entry, _before, fact in changed:
        entry.quantity = fact.quantity
        entry.definition_version = fact.measure.version
        entry.updated_at = now
    Entry.objects.bulk_update(
        [entry for entry, _before, _fact in changed],
        ["quantity", "definition_version", "updated_at"],
        batch_size=2000,
    )


def _describe_entry(entry: Entry) -> dict:
    described = {
        "contract": entry.contract.reference,
        "measure": entry.measure.code,
        "period": [entry.period_start.isoformat(), entry.period_end.isoformat()],
        "breakdowns": entry.breakdowns,
        "description": entry.description,
        "quantity": str(entry.quantity),
    }
    if entry.delivered_by_id:
        described["delivered_by"] = entry.delivered_by.subcontractor.reference
    return described


def _describe_changes(changed: list[tuple[Entry, Decimal, Fact]]) -> list[dict]:
    return [
        {**_describe_entry(entry), "quantity": str(fact.quantity), "before": str(before)}
        for entry, before, fact in changed
    ]
