"""Carrying out imports: everything is checked first, then written in one transaction or not at all.

Writes go through the same actions as the web pages (open_return, save_entries, submit_return,
verify_return, create_contract ...), so an import obeys every rule they do and leaves the same
audit trail.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db import transaction

from socialledger.contracts.actions import (
    appoint_supplier,
    create_contract,
    create_framework,
    create_lot,
    update_contract,
    update_framework,
    update_lot,
)
from socialledger.contracts.models import Contract
from socialledger.imports.interchange import Plan, PlannedRow, plan_entries
from socialledger.imports.ocds import NewOrganisation, plan_package
from socialledger.imports.ocds_spend import record_monthly_spend
from socialledger.imports.reading import ImportRefused, Problem, Table
from socialledger.imports.values import plan_values
from socialledger.lib.batches import in_chunks, refresh_statistics
from socialledger.lib.numbers import parse_decimal
from socialledger.lib.periods import PeriodError
from socialledger.lib.progress import Progress
from socialledger.measures.actions import opening_balance_overlap, set_opening_balance
from socialledger.measures.models import Measure
from socialledger.organisations.actions import (
    add_identifier,
    reference_from_name,
    register_organisation,
)
from socialledger.organisations.models import Organisation
from socialledger.quality.queries import warning_lines, warnings_for_keys
from socialledger.reports.summaries import Touched, kept_true
from socialledger.returns.actions import (
    Fact,
    YearReturn,
    file_year_returns,
    find_return,
    save_entries,
    submit_return,
    verify_return,
)
from socialledger.returns.models import Entry, Return, Status
from socialledger.valuation.actions import choose_value_set, create_value_set
from socialledger.valuation.library import deflator_series

VIA = "import"


@dataclass(frozen=True)
class ImportSummary:
    rows: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    returns_opened: int = 0
    returns_submitted: int = 0
    returns_verified: int = 0
    contracts_created: int = 0
    organisations_created: int = 0
    spend_months: int = 0  # months of spend recorded from implementation.transactions
    dry_run: bool = False
    warnings: tuple[str, ...] = ()  # data-quality warnings on the figures imported
    figures: frozenset = field(default=frozenset(), repr=False, compare=False)

    def __str__(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        said = (
            f"{verb} {self.rows} rows. Entries: {self.added} added, {self.changed} changed, "
            f"{self.unchanged} unchanged. Returns: {self.returns_opened} opened, "
            f"{self.returns_submitted} submitted, {self.returns_verified} verified. "
            f"Created: {self.contracts_created} contracts, "
            f"{self.organisations_created} organisations."
        )
        if not self.warnings:
            return said
        count = f"{len(self.warnings)} data-quality warning{'s' if len(self.warnings) != 1 else ''}"
        return "\n".join([said, f"{count}:", *[f"  {w}" for w in self.warnings]])


def import_entries(
    provider: Organisation,
    table: Table,
    *,
    by,
    create_missing: bool = False,
    dry_run: bool = False,
    progress: Callable[[str, int | None], Progress] | None = None,
) -> ImportSummary:
    """Import interchange rows: all of them, or (on any problem) none. A dry run checks and
    counts everything, then rolls back. `progress(what, total)`, if given, makes the Progress
    each phase (checking, writing) reports to."""
    show = progress or (lambda what, total: Progress(what, total, stream=io.StringIO()))
    with show("Checking rows", None) as checking:
        counted = replace(table, rows=_Counted(table.rows, checking.advance))
        plan = plan_entries(provider, counted, create_missing=create_missing)
    with show("Writing entries", len(plan.rows)) as writing, transaction.atomic():
        with kept_true(_touched(plan), provider.pk):
            summary = _carry_out(provider, plan, by=by, advance=writing.advance)
            # The summaries are brought up to date from the entries just written.
            refresh_statistics(Entry, Return, written=summary.added)
        # Once the summaries are true, the figures written are held against the ledger.
        found = warning_lines(provider, warnings_for_keys(provider, summary.figures))
        if dry_run:
            transaction.set_rollback(True)
    return replace(summary, rows=len(table.rows), dry_run=dry_run, warnings=tuple(found))


def _touched(plan: Plan) -> Touched:
    """What the import touches, so the report summaries are brought up to date once for all of
    it: the rows' contract-years and people, and the returns they go into."""
    touched = Touched()
    for row in plan.rows:
        contract = plan.contracts.get(row.contract_key)
        if contract is not None:
            touched.add(contract.pk, row.year.start_year, row.person_key)
    suppliers = {contract.supplier_id for contract in plan.contracts.values()}
    years = {row.year.start_year for row in plan.rows}
    touched.returns = set(
        Return.objects.filter(supplier_id__in=suppliers, financial_year__in=years).values_list(
            "pk", flat=True
        )
    )
    return touched


class _Counted:
    """A table's rows, reporting each one as it is read."""

    def __init__(self, rows, advance: Callable[[int], None]) -> None:
        self.rows, self.advance = rows, advance

    def __iter__(self):
        for row in self.rows:
            self.advance(1)
            yield row

    def __len__(self) -> int:
        return len(self.rows)


def _carry_out(provider: Organisation, plan: Plan, *, by, advance=None) -> ImportSummary:
    created_orgs = _create_organisations(provider, plan, by=by)
    contracts = dict(plan.contracts) | _create_contracts(plan, by=by)
    tally: dict[str, int] = defaultdict(int)
    advance = advance or (lambda rows: None)
    groups = _by_return(plan.rows, contracts)
    for (_supplier, held, _year), rows in groups.items():
        if held is not None:
            _import_return(rows, contracts, tally, by=by)
            advance(len(rows))
    new = [rows for (_supplier, held, _year), rows in groups.items() if held is None]
    for chunk in in_chunks(new, RETURNS_PER_FILING):
        _file_new_returns(chunk, contracts, tally, by=by)
        advance(sum(len(rows) for rows in chunk))
    keys = {
        (contracts[row.contract_key].pk, row.measure.pk, row.year.start_year) for row in plan.rows
    }
    return ImportSummary(
        figures=frozenset(keys),
        added=tally["added"],
        changed=tally["changed"],
        unchanged=tally["unchanged"],
        returns_opened=tally["opened"],
        returns_submitted=tally["submitted"],
        returns_verified=tally["verified"],
        contracts_created=len(plan.new_contracts),
        organisations_created=created_orgs,
    )


def _create_organisations(provider: Organisation, plan: Plan, *, by) -> int:
    for (kind, key), name in plan.new_organisations.items():
        plan.organisations[(kind, key)] = register_organisation(
            provider, kind=kind, reference=reference_from_name(name), name=name, by=by, via=VIA
        )
    return len(plan.new_organisations)


def _create_contracts(plan: Plan, *, by) -> dict[tuple[int, str], Contract]:
    created = {}
    for key, new in plan.new_contracts.items():
        supplier = plan.organisations[("supplier", new.supplier_key)]
        member = plan.organisations[("member", new.member_key)]
        appoint_supplier(new.lot, supplier, by=by, via=VIA)
        created[key] = create_contract(
            new.lot,
            reference=new.reference,
            title=new.title,
            member=member,
            supplier=supplier,
            value=new.value,
            starts_on=new.starts_on,
            ends_on=new.ends_on,
            by=by,
            via=VIA,
        )
    return created


def _by_return(rows: list[PlannedRow], contracts) -> dict[tuple, list[PlannedRow]]:
    """Rows grouped by the return they go into: the supplier's existing return containing their
    period, or else a new return for their financial year."""
    suppliers = {contracts[row.contract_key].supplier_id for row in rows}
    existing: dict[int, list[Return]] = defaultdict(list)
    for ret in Return.objects.filter(
        supplier_id__in=suppliers, financial_year__in={r.year.start_year for r in rows}
    ):
        existing[ret.supplier_id].append(ret)
    groups: dict[tuple, list[PlannedRow]] = defaultdict(list)
    for row in rows:
        supplier_id = contracts[row.contract_key].supplier_id
        ret = next(
            (
                r
                for r in existing[supplier_id]
                if r.period_start <= row.period_start and row.period_end <= r.period_end
            ),
            None,
        )
        groups[(supplier_id, ret.pk if ret else None, row.year)].append(row)
    return groups


RETURNS_PER_FILING = 500  # new returns filed together: fewer statements, progress still shown
NOTES = {"submit": "Submitted by import", "verify": "Verified by import"}


def _file_new_returns(groups: list[list[PlannedRow]], contracts, tally, *, by) -> None:
    """Rows for returns the ledger does not have yet: opened, filled in and moved on together."""
    filed = [
        YearReturn(
            supplier=contracts[rows[0].contract_key].supplier,
            year=rows[0].year,
            facts=[_fact(row, contracts) for row in rows],
            status=rows[0].status,  # one status per return, checked in planning
        )
        for rows in groups
    ]
    file_year_returns(filed, by=by, notes=NOTES, via=VIA)
    tally["opened"] += len(filed)
    tally["added"] += sum(len(one.facts) for one in filed)
    tally["submitted"] += sum(one.status != Status.DRAFT for one in filed)
    tally["verified"] += sum(one.status == Status.VERIFIED for one in filed)


def _import_return(rows: list[PlannedRow], contracts, tally, *, by) -> None:
    """Rows for a return the ledger holds: saved into it (if it is editable) and moved on."""
    supplier = contracts[rows[0].contract_key].supplier
    ret = find_return(supplier, rows[0].period_start, rows[0].period_end)
    facts = [_fact(row, contracts) for row in rows]
    if ret.is_editable:
        summary = save_entries(ret, facts, by=by, via=VIA)
        tally["added"] += summary.added
        tally["changed"] += summary.changed
        tally["unchanged"] += summary.unchanged
    else:
        tally["unchanged"] += len(facts)  # checked in planning: a locked return gains nothing
    _move_to(ret, rows[0].status, tally, by=by)


def _fact(row: PlannedRow, contracts) -> Fact:
    return Fact(
        contract=contracts[row.contract_key],
        measure=row.measure,
        period_start=row.period_start,
        period_end=row.period_end,
        quantity=row.quantity,
        breakdowns=row.breakdowns,
        description=row.description,
        person_key=row.person_key,
    )


def _move_to(ret: Return, wanted: str, tally, *, by) -> None:
    """Submit and, if asked, verify; a return is never moved backwards by an import."""
    if wanted == Status.DRAFT:
        return
    if ret.status in (Status.DRAFT, Status.QUERIED):
        ret = submit_return(ret, by=by, note=NOTES["submit"], via=VIA)
        tally["submitted"] += 1
    if wanted == Status.VERIFIED and ret.status in (Status.SUBMITTED, Status.RESUBMITTED):
        verify_return(ret, by=by, note=NOTES["verify"], via=VIA)
        tally["verified"] += 1


# --- Opening balances --------------------------------------------------------------------------

OPENING_COLUMNS = ("figure", "quantity", "covers_until", "source")
SOCIAL_IMPACT = "social-impact"


def is_opening_balance_table(table: Table) -> bool:
    return "covers_until" in table.columns


def import_opening_balances(
    provider: Organisation, table: Table, *, by, dry_run: bool = False
) -> int:
    """Import totals from before the platform: each row a measure code (or "social-impact"), a
    quantity, the last financial year it covers, and its source. All rows or none."""
    rows, problems = [], []
    missing = [name for name in OPENING_COLUMNS if name not in table.columns]
    if missing:
        raise ImportRefused([Problem(1, name, "", "this column is required") for name in missing])
    measures = {m.code: m for m in Measure.objects.available_to(provider)}
    for number, values in table.rows:
        row = _opening_row(provider, number, values, measures, problems)
        if row:
            rows.append(row)
    if problems:
        raise ImportRefused(problems)
    with transaction.atomic():
        for measure, quantity, covers_until, source in rows:
            set_opening_balance(
                provider,
                measure=measure,
                quantity=quantity,
                covers_until=covers_until,
                source=source,
                by=by,
                via=VIA,
            )
        if dry_run:
            transaction.set_rollback(True)
    return len(rows)


def _opening_row(provider, number: int, values: dict[str, str], measures, problems):
    found = []
    figure = values.get("figure", "").lower()
    measure = measures.get(figure)
    if figure != SOCIAL_IMPACT and measure is None:
        found.append(
            Problem(
                number, "figure", values.get("figure", ""), f'a measure code, or "{SOCIAL_IMPACT}"'
            )
        )
    try:
        quantity = parse_decimal(values.get("quantity", ""))
        if quantity < 0:
            raise ValueError
    except ValueError:
        found.append(
            Problem(number, "quantity", values.get("quantity", ""), "a number, not negative")
        )
    try:
        covers_until = provider.parse_year(values.get("covers_until", "")).start_year
    except PeriodError as error:
        found.append(Problem(number, "covers_until", values.get("covers_until", ""), str(error)))
    source = values.get("source", "")
    if not source:
        found.append(Problem(number, "source", "", "say where the figure comes from"))
    if not found:
        overlap = opening_balance_overlap(provider, measure, covers_until)
        if overlap:
            found.append(Problem(number, "covers_until", values["covers_until"], overlap))
    problems.extend(found)
    return None if found else (measure, quantity, covers_until, source)


# --- Value sets --------------------------------------------------------------------------------


def import_value_set(
    provider: Organisation,
    table: Table,
    *,
    code: str,
    name: str,
    by,
    version: int | None = None,
    description: str = "",
    choose_reason: str = "",
    dry_run: bool = False,
):
    """Import a value set as a new version: every row checked first, then all stored or none.
    With `choose_reason`, the provider also switches to it (reports then restate earlier years).
    Returns the new value set (rolled back again on a dry run)."""
    planned = plan_values(provider, table, deflator_series())
    with transaction.atomic():
        value_set = create_value_set(
            planned,
            provider=provider,
            code=code,
            name=name,
            version=version,
            description=description,
            by=by,
            via=VIA,
        )
        if choose_reason:
            choose_value_set(provider, value_set, by=by, reason=choose_reason, via=VIA)
        if dry_run:
            transaction.set_rollback(True)
    return value_set


# --- Return workbooks --------------------------------------------------------------------------


def return_workbook(ret: Return) -> bytes:
    """The workbook a supplier fills in for a return, with last year's figures for reference."""
    from socialledger.contracts.models import Commitment
    from socialledger.imports.workbook import build_workbook
    from socialledger.reports.queries import contract_figures

    contracts = ret.contracts_to_report()
    last_year = contract_figures(ret.provider, [c.pk for c in contracts], ret.year.previous)
    commitments = {
        (c.contract_id, c.measure_id): c.target_quantity
        for c in Commitment.objects.filter(
            contract__in=contracts, financial_year=ret.financial_year
        ).select_related("contract")
    }
    return build_workbook(ret, contracts=contracts, last_year=last_year, commitments=commitments)


def import_return_workbook(
    ret: Return, source, *, by, dry_run: bool = False, via: str = "workbook"
):
    """Check every cell of a filled-in workbook, then make the return's figures and nil
    returns exactly what it says: all of it, or (on any problem) nothing."""
    from socialledger.imports.workbook import plan_workbook, read_workbook
    from socialledger.returns.actions import replace_entries, set_nil_return

    content = read_workbook(source)
    contracts = ret.contracts_to_report()
    plan = plan_workbook(ret, content, contracts=contracts)
    by_id = {c.pk: c for c in contracts}
    with transaction.atomic():
        summary = replace_entries(ret, plan.facts, by=by, via=via)
        scoped = {s.contract_id: s for s in ret.scope.all()}
        for contract_id, (nil, reason) in plan.nil.items():
            state = scoped.get(contract_id)
            if state and (state.nil, state.nil_reason) != (nil, reason if nil else ""):
                set_nil_return(ret, by_id[contract_id], nil=nil, reason=reason, by=by, via=via)
        if dry_run:
            transaction.set_rollback(True)
    return summary


# --- OCDS release packages ---------------------------------------------------------------------


@dataclass(frozen=True)
class OcdsSummary:
    releases: int = 0
    frameworks_created: int = 0
    frameworks_updated: int = 0
    lots_created: int = 0
    contracts_created: int = 0
    contracts_updated: int = 0
    contracts_unchanged: int = 0
    organisations_created: int = 0
    spend_months: int = 0  # months of spend recorded from implementation.transactions
    dry_run: bool = False
    notes: tuple[str, ...] = ()  # what was read but is worth a look (repeats, clashing names)

    def __str__(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        noted = "".join(f"\nNote: {note}" for note in self.notes)
        return (
            f"{verb} {self.releases} releases. Frameworks: {self.frameworks_created} created, "
            f"{self.frameworks_updated} updated; lots created: {self.lots_created}. Contracts: "
            f"{self.contracts_created} created, {self.contracts_updated} updated, "
            f"{self.contracts_unchanged} unchanged. Organisations created: "
            f"{self.organisations_created}."
            + (f" Spend recorded for {self.spend_months} months." if self.spend_months else "")
        ) + noted


def import_ocds_package(
    provider: Organisation,
    package: dict,
    *,
    by,
    create_missing: bool = False,
    dry_run: bool = False,
    as_framework: bool = False,
    via: str = VIA,
) -> OcdsSummary:
    """Import the frameworks, lots and call-off contracts of an OCDS release package: every
    release checked first, then all of it written or (on any problem) none. A contract or
    framework imported before (same ocid and id) is updated, never duplicated."""
    plan = plan_package(provider, package, create_missing=create_missing, as_framework=as_framework)
    tally: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        parties = _ocds_organisations(provider, plan, tally, by=by, via=via)
        frameworks = _ocds_frameworks(provider, plan, parties, tally, by=by, via=via)
        for planned in plan.contracts:
            _ocds_contract(planned, frameworks, parties, tally, by=by, via=via)
        if dry_run:
            transaction.set_rollback(True)
    return OcdsSummary(releases=plan.releases, dry_run=dry_run, notes=tuple(plan.notes), **tally)


def _ocds_organisations(provider: Organisation, plan, tally, *, by, via: str) -> dict:
    parties = {}
    for key, party in plan.parties.items():
        if isinstance(party, NewOrganisation):
            new = register_organisation(
                provider,
                kind=party.kind,
                reference=party.reference,
                name=party.name,
                by=by,
                via=via,
            )
            for scheme, value in party.identifiers:
                add_identifier(new, scheme=scheme, value=value, by=by, via=via)
            tally["organisations_created"] += 1
            party = new
        parties[key] = party
    return parties


def _ocds_frameworks(provider: Organisation, plan, parties, tally, *, by, via: str) -> dict:
    frameworks = dict(plan.known_frameworks)
    for ocid, planned in plan.frameworks.items():
        details = {
            "name": planned.name,
            "starts_on": planned.starts_on,
            "ends_on": planned.ends_on,
            "value": planned.value,
            "ocid": ocid,
        }
        framework = planned.existing
        if framework is None:
            framework = create_framework(
                provider, reference=planned.reference, by=by, via=via, **details
            )
            tally["frameworks_created"] += 1
        elif _differs(framework, details):
            update_framework(framework, by=by, via=via, **details)
            tally["frameworks_updated"] += 1
        lots = {}
        for lot in planned.lots:
            if lot.existing is None:
                lots[lot.reference] = create_lot(
                    framework,
                    reference=lot.reference,
                    name=lot.name,
                    value=lot.value,
                    by=by,
                    via=via,
                )
                tally["lots_created"] += 1
            else:
                lots[lot.reference] = update_lot(
                    lot.existing, name=lot.name, value=lot.value, by=by, via=via
                )
        for reference, key in planned.appointments:
            appoint_supplier(lots[reference], parties[key], by=by, via=via)
        frameworks[ocid] = framework
    return frameworks


def _ocds_contract(planned, frameworks, parties, tally, *, by, via: str) -> None:
    details = {
        "title": planned.title,
        "value": planned.value,
        "starts_on": planned.starts_on,
        "ends_on": planned.ends_on,
        "ocid": planned.ocid,
        "ocds_id": planned.ocds_id,
    }
    if planned.existing is not None:
        changed = _differs(planned.existing, details)
        update_contract(planned.existing, by=by, via=via, **details)
        tally["contracts_updated" if changed else "contracts_unchanged"] += 1
        contract = planned.existing
    else:
        contract = _ocds_new_contract(planned, frameworks, parties, details, by=by, via=via)
        tally["contracts_created"] += 1
    tally["spend_months"] += record_monthly_spend(contract, planned.spend, by=by, via=via)


def _ocds_new_contract(planned, frameworks, parties, details: dict, *, by, via: str):
    lot = frameworks[planned.framework_ocid].lots.get(reference=planned.lot)
    supplier = parties[planned.supplier]
    appoint_supplier(lot, supplier, by=by, via=via)
    return create_contract(
        lot,
        reference=planned.reference,
        member=parties[planned.member],
        supplier=supplier,
        by=by,
        via=via,
        **details,
    )


def _differs(obj, details: dict) -> bool:
    return any(getattr(obj, name) != value for name, value in details.items())
