"""OCDS release packages, as Find a Tender and Contracts Finder publish them: reading and checking.

`plan_package` checks every release against the ledger and returns a plan, or raises
ImportRefused listing every problem with its place in the JSON. Nothing here writes;
`imports.actions.import_ocds_package` carries the plan out. How a package maps onto frameworks,
lots and contracts is in docs/ocds.md:

- a contracting process whose `tender.techniques.hasFrameworkAgreement` is true is a framework;
  its `tender.lots` are the lots, and each award's suppliers are appointed to the award's
  `relatedLots` (to every lot when it names none);
- a process with a `relatedProcesses` entry of relationship "framework" (scheme "ocid") is a
  call-off under that framework: each of its `contracts` is a contract, bought by the process's
  buyer from the supplier of the contract's award, under the lot the award names.

Releases of one process (one ocid) are read in date order, later ones replacing what they repeat.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from socialledger.contracts.models import Contract, Framework, Lot
from socialledger.imports.ocds_spend import MonthlySpend, gather_transactions, monthly_spend
from socialledger.imports.reading import ImportRefused, JsonProblem
from socialledger.organisations.models import Organisation, OrganisationIdentifier
from socialledger.organisations.orgid import normalised_identifier

# Our own exports name an organisation with no public identifier by this scheme, as
# "<provider reference>/<organisation reference>", so that they import again.
LEDGER_SCHEME = "SOCIALLEDGER"
CURRENCY = "GBP"
MAX_AMOUNT = Decimal(10**13)  # £10 trillion: more is a mistake, and more than a value field holds
UNSTORABLE = "text without a NUL character (\\u0000) or half a surrogate pair (\\ud800)"


@dataclass(frozen=True)
class Located:
    """A piece of the package and where it is: "releases[3].contracts[0]"."""

    path: str
    value: Any
    release: int

    def at(self, key: str | int) -> Located:
        part = f"[{key}]" if isinstance(key, int) else f".{key}"
        inner = self.value.get(key) if isinstance(self.value, dict) else None
        if isinstance(key, int) and isinstance(self.value, list) and key < len(self.value):
            inner = self.value[key]
        return Located(self.path + part, inner, self.release)

    def items(self) -> list[Located]:
        if not isinstance(self.value, list):
            return []
        return [self.at(index) for index in range(len(self.value))]


@dataclass
class NewOrganisation:
    """A party the ledger does not know, to be registered on request (--create-missing)."""

    kind: str
    name: str
    reference: str
    identifiers: list[tuple[str, str]]


@dataclass
class PlannedLot:
    reference: str
    name: str
    value: Decimal | None
    existing: Lot | None = None


@dataclass
class PlannedFramework:
    """A framework process: created, or (found by ocid or reference) updated."""

    ocid: str
    reference: str
    name: str
    starts_on: date
    ends_on: date
    value: Decimal | None
    existing: Framework | None
    lots: list[PlannedLot] = field(default_factory=list)
    appointments: list[tuple[str, str]] = field(default_factory=list)  # (lot, party key)


@dataclass
class PlannedContract:
    """A call-off contract: created, or (found by ocid and id, or reference) updated."""

    ocid: str
    ocds_id: str
    reference: str
    framework_ocid: str
    lot: str
    title: str
    value: Decimal
    starts_on: date
    ends_on: date | None
    member: str  # party keys, see Plan.parties
    supplier: str
    existing: Contract | None
    spend: MonthlySpend = ()  # from implementation.transactions (ocds_spend)


@dataclass
class Plan:
    releases: int = 0
    parties: dict[str, Organisation | NewOrganisation] = field(default_factory=dict)
    frameworks: dict[str, PlannedFramework] = field(default_factory=dict)  # by ocid
    known_frameworks: dict[str, Framework] = field(default_factory=dict)  # named, not in package
    contracts: list[PlannedContract] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # read, but worth a look: repeats, clashes


def read_package(path: Path) -> dict:
    """A JSON file, numbers read as exact decimals; a file that is not JSON is one problem."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            return json.load(handle, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused([JsonProblem(-1, "", "", f"the file is not JSON ({error})")]) from None


def is_ocds_package(content: Any) -> bool:
    """A release package (a "releases" list) or a record package (a "records" list)."""
    return isinstance(content, dict) and (
        isinstance(content.get("releases"), list) or isinstance(content.get("records"), list)
    )


def package_releases(package: dict) -> list[Located]:
    """The releases of a package, each where it stands. A record package gives each record's
    embedded releases, or its compiled release when it has none (linked releases, which are only
    URLs, are not read)."""
    if isinstance(package.get("releases"), list):
        return [Located(f"releases[{i}]", r, i) for i, r in enumerate(package["releases"])]
    found = []
    for i, record in enumerate(package["records"]):
        record = record if isinstance(record, dict) else {}
        embedded = [
            (f"records[{i}].releases[{j}]", r)
            for j, r in enumerate(record.get("releases") or [])
            if isinstance(r, dict) and "tag" in r
        ]
        if not embedded and isinstance(record.get("compiledRelease"), dict):
            embedded = [(f"records[{i}].compiledRelease", record["compiledRelease"])]
        found += [
            Located(path, release, len(found) + n) for n, (path, release) in enumerate(embedded)
        ]
    return found


def plan_package(
    provider: Organisation,
    package: dict,
    *,
    create_missing: bool = False,
    as_framework: bool = False,
    skip_unreadable: bool = False,
) -> Plan:
    """Check every release of an OCDS package against the ledger; all problems or a plan.

    `as_framework`: the person importing says that a process whose notice does not say what it
    is (no framework technique, no link to a framework) is a framework.
    `skip_unreadable`: a process that cannot be read (for instance a notice for a contract that
    is neither a framework nor a call-off) is left out and reported in the notes, instead of
    refusing the file."""
    checker = _Checker(provider, create_missing, as_framework)
    processes = checker.processes(package)
    for process in processes:
        if checker.is_framework(process):
            checker.plan_alone(process, checker.plan_framework, skip_unreadable)
    for process in processes:
        if not checker.is_framework(process):
            checker.plan_alone(process, checker.plan_call_off, skip_unreadable)
    checker.check_references()
    if checker.problems:
        raise ImportRefused(checker.problems)
    checker.plan.releases = len(package_releases(package))
    return checker.plan


@dataclass
class Process:
    """The releases of one contracting process, combined."""

    ocid: str
    first: Located
    parties: dict[str, Located] = field(default_factory=dict)
    tender: Located | None = None
    buyer: Located | None = None
    awards: dict[str, Located] = field(default_factory=dict)
    contracts: dict[str, Located] = field(default_factory=dict)
    related: list[Located] = field(default_factory=list)
    transactions: dict[str, dict[str, Located]] = field(default_factory=dict)  # by contract id


class _Checker:
    def __init__(self, provider: Organisation, create_missing: bool, as_framework: bool) -> None:
        self.provider, self.create_missing = provider, create_missing
        self.as_framework = as_framework
        self.problems: list[JsonProblem] = []
        self.plan = Plan()
        self.organisations = Organisation.objects.in_provider(provider).prefetch_related(
            "identifiers"
        )

    def problem(self, where: Located, expected: str, value: Any = None) -> None:
        shown = where.value if value is None else value
        text = "" if shown is None or isinstance(shown, (dict, list)) else str(shown)
        self.problems.append(JsonProblem(where.release, where.path, text, expected))

    def plan_alone(self, process: Process, plan_it, skip_unreadable: bool) -> None:
        """Plan one process; when it cannot be read and the person importing chose to skip
        such processes, take back what it planned and report it in the notes instead."""
        problems_before = len(self.problems)
        saved = (
            dict(self.plan.parties),
            dict(self.plan.frameworks),
            dict(self.plan.known_frameworks),
            len(self.plan.contracts),
            len(self.plan.notes),
        )
        plan_it(process)
        found = self.problems[problems_before:]
        if not found or not skip_unreadable:
            return
        del self.problems[problems_before:]
        self.plan.parties, self.plan.frameworks, self.plan.known_frameworks = saved[:3]
        del self.plan.contracts[saved[3] :]
        del self.plan.notes[saved[4] :]
        reasons = "; ".join(
            f'{p.path}: "{p.value}" – {p.expected}' if p.value else f"{p.path} – {p.expected}"
            for p in found
        )
        self.plan.notes.append(
            f"{process.first.path}: {process.ocid} skipped, not imported ({reasons})"
        )

    # --- Releases into processes -----------------------------------------------------------

    def processes(self, package: Any) -> list[Process]:
        if not is_ocds_package(package):
            root = Located("", package, -1)
            self.problem(
                root,
                'an OCDS release package (an object with a "releases" list) or record package '
                '(a "records" list)',
            )
            raise ImportRefused(self.problems)
        releases = package_releases(package)
        if not releases:
            self.problem(Located("releases", [], -1), "at least one release")
        for release in releases:
            self.storable(release)
        by_ocid: dict[str, Process] = {}
        seen: dict[tuple[str, str], str] = {}
        for release in sorted(releases, key=lambda r: (_date_text(r), r.release)):
            ocid = self.text(release.at("ocid"), "the process's ocid")
            if not isinstance(release.value, dict) or not ocid:
                continue
            key = (ocid, str(release.at("id").value))
            if key in seen:
                self.plan.notes.append(
                    f"{release.path}: release {key[1]} of {ocid} is repeated (first at "
                    f"{seen[key]}); read once, the later copy replacing what it repeats"
                )
            seen.setdefault(key, release.path)
            process = by_ocid.setdefault(ocid, Process(ocid, release))
            self.note_clashes(process, release)
            _combine(process, release)
        return list(by_ocid.values())

    def note_clashes(self, process: Process, release: Located) -> None:
        """A party id given twice with different names is read as one party (the last)."""
        names: dict[str, Located] = {}
        for party in release.at("parties").items():
            key = str(party.at("id").value)
            earlier = names.get(key)
            if earlier is not None and earlier.at("name").value != party.at("name").value:
                self.plan.notes.append(
                    f"{party.path}: party id {key} is used twice, as "
                    f'"{earlier.at("name").value}" ({earlier.path}) and as '
                    f'"{party.at("name").value}"; read as one organisation, by its identifier'
                )
            names[key] = party

    def storable(self, release: Located) -> None:
        """Text that no database can keep (PostgreSQL refuses a NUL character; none can keep
        half a surrogate pair) is a problem where it stands, not a failure halfway."""
        pending = [release]
        while pending:
            where = pending.pop()
            if isinstance(where.value, dict):
                pending += [where.at(key) for key in where.value if isinstance(key, str)]
            elif isinstance(where.value, list):
                pending += where.items()
            elif isinstance(where.value, str) and not _storable(where.value):
                shown = "".join(c if _storable(c) else "\ufffd" for c in where.value)
                self.problem(where, UNSTORABLE, shown)

    def is_framework(self, process: Process) -> bool:
        """A framework by its notice (the framework technique), or, when the notice does not
        say and names no framework it is let under, because the person importing says so."""
        techniques = process.tender.at("techniques") if process.tender else None
        if techniques and techniques.at("hasFrameworkAgreement").value is True:
            return True
        return self.as_framework and process.tender is not None and not _framework_links(process)

    # --- Frameworks ----------------------------------------------------------------------------

    def plan_framework(self, process: Process) -> None:
        tender = process.tender
        existing = self.existing_framework(process, tender)
        period = self.framework_period(process, tender)
        lots = [self.plan_lot(lot, existing) for lot in tender.at("lots").items()]
        if not lots:
            # A framework let as a whole (no tender.lots) is one lot, "1", named as it is.
            whole = Located(
                f"{tender.path}.lots",
                [{"id": "1", "title": tender.at("title").value}],
                tender.release,
            )
            lots = [self.plan_lot(whole.at(0), existing)]
        planned = PlannedFramework(
            ocid=process.ocid,
            reference=self.reference(tender.at("id"), "the framework's reference (tender.id)"),
            name=self.text(tender.at("title"), "the framework's name (tender.title)"),
            starts_on=period[0],
            ends_on=period[1],
            value=self.amount(tender.at("value"), required=False),
            existing=existing,
            lots=[lot for lot in lots if lot],
        )
        lot_ids = {lot.reference for lot in planned.lots}
        for award in process.awards.values():
            self.appoint(process, award, lot_ids, planned)
        self.check_model(
            Framework(
                provider=self.provider,
                reference=planned.reference,
                name=planned.name,
                starts_on=planned.starts_on,
                ends_on=planned.ends_on,
                ocid=process.ocid,
            ),
            {
                "reference": tender.at("id"),
                "name": tender.at("title"),
                "ocid": process.first.at("ocid"),
            },
        )
        self.plan.frameworks[process.ocid] = planned

    def existing_framework(self, process: Process, tender: Located) -> Framework | None:
        frameworks = Framework.objects.for_provider(self.provider)
        found = frameworks.filter(ocid=process.ocid).first()
        if found is None:
            found = frameworks.filter(reference=str(tender.at("id").value or "")).first()
            if found and found.ocid and found.ocid != process.ocid:
                self.problem(
                    tender.at("id"),
                    f"a reference no other framework has: {found} already has it, "
                    f"with ocid {found.ocid}",
                )
        return found

    def framework_period(self, process: Process, tender: Located) -> tuple[date, date]:
        candidates = [tender.at("contractPeriod")]
        candidates += [award.at("contractPeriod") for award in process.awards.values()]
        for period in candidates:
            if isinstance(period.value, dict) and period.value.get("startDate"):
                start = self.date(period.at("startDate"))
                end = self.date(period.at("endDate"), required=True)
                return start, end
        from_lots = self.term_from_lots(tender) or self.term_from_durations(tender)
        if from_lots:
            return from_lots
        self.problem(
            tender.at("contractPeriod"),
            "the framework's term: tender.contractPeriod (or an award's contractPeriod, or the "
            "lots' contractPeriod) with a startDate and an endDate or durationInDays",
        )
        return date.min, date.min

    def term_from_lots(self, tender: Located) -> tuple[date, date] | None:
        """The term when only the lots give one: from the earliest start to the latest end, an
        end given as durationInDays counted from its lot's start."""
        terms = []
        for lot in tender.at("lots").items():
            period = lot.at("contractPeriod")
            if not (isinstance(period.value, dict) and period.value.get("startDate")):
                continue
            start = self.date(period.at("startDate"))
            days = period.at("durationInDays").value
            if period.value.get("endDate"):
                end = self.date(period.at("endDate"))
            elif isinstance(days, (int, Decimal)) and not isinstance(days, bool) and days > 0:
                end = start + timedelta(days=int(days)) if start else None
            else:
                self.problem(period, "the lot's term: an endDate or a durationInDays")
                continue
            if start and end:
                terms.append((start, end))
        if not terms:
            return None
        return min(t[0] for t in terms), max(t[1] for t in terms)

    def term_from_durations(self, tender: Located) -> tuple[date, date] | None:
        """A tender notice that gives its lots only a duration: the framework cannot start
        before its award, so its term is read as starting on `tender.awardPeriod.startDate`
        and lasting the longest lot's duration; a note says so, and importing the award
        notice later (with its dates) replaces the term."""
        award_start = tender.at("awardPeriod").at("startDate")
        durations = [
            lot.at("contractPeriod").at("durationInDays").value for lot in tender.at("lots").items()
        ]
        days = [
            int(d)
            for d in durations
            if isinstance(d, (int, Decimal)) and not isinstance(d, bool) and d > 0
        ]
        if not days or not award_start.value:
            return None
        start = self.date(award_start)
        if start is None:
            return None
        self.plan.notes.append(
            f"{tender.path}: the notice gives no start date, only the lots' durations; the term "
            f"is read as from the award period's start ({start.isoformat()}) for the longest "
            f"lot's {max(days)} days"
        )
        return start, start + timedelta(days=max(days))

    def plan_lot(self, lot: Located, framework: Framework | None) -> PlannedLot | None:
        reference = self.reference(lot.at("id"), "the lot's id", limit=20)
        if not reference:
            return None
        name = lot.at("title").value or f"Lot {reference}"
        existing = framework.lots.filter(reference=reference).first() if framework else None
        self.check_model(
            Lot(reference=reference, name=name),
            {"reference": lot.at("id"), "name": lot.at("title")},
        )
        return PlannedLot(reference, name, self.amount(lot.at("value"), required=False), existing)

    def appoint(self, process, award: Located, lot_ids: set[str], planned) -> None:
        named = [str(lot) for lot in award.at("relatedLots").value or []]
        for lot in named:
            if lot not in lot_ids:
                self.problem(
                    award.at("relatedLots"), f"lots of this framework ({_list(lot_ids)})", lot
                )
        for supplier in award.at("suppliers").items():
            key = self.party(process, supplier, "supplier")
            if key:
                planned.appointments += [(lot, key) for lot in (named or sorted(lot_ids))]

    # --- Call-offs -----------------------------------------------------------------------------

    def plan_call_off(self, process: Process) -> None:
        framework_ocid = self.framework_of(process)
        if not framework_ocid:
            return
        buyer = process.buyer or self.party_with_role(process, "buyer")
        if buyer is None:
            self.problem(process.first.at("buyer"), "the buyer (a member) of the call-off")
            return
        member = self.party(process, buyer, "member")
        if not process.contracts:
            self.problem(process.first.at("contracts"), "the call-off's contracts, at least one")
        for contract in process.contracts.values():
            self.plan_contract(process, contract, framework_ocid, member)

    def framework_of(self, process: Process) -> str:
        """The ocid of the framework a call-off is let under, known to the package or ledger."""
        links = _framework_links(process)
        if not links:
            self.problem(
                process.first,
                "a framework (tender.techniques.hasFrameworkAgreement: true) or a call-off "
                'under one (relatedProcesses with relationship "framework", scheme "ocid"); '
                "a notice that says neither is imported as a framework only when you say it is "
                "one (import --as-framework)",
                process.ocid,
            )
            return ""
        ocid = str(links[0].at("identifier").value or "")
        if ocid in self.plan.frameworks:
            return ocid
        known = Framework.objects.for_provider(self.provider).filter(ocid=ocid).first()
        if known is None:
            self.problem(
                links[0].at("identifier"),
                "the ocid of a framework in this package or already in the ledger",
                ocid,
            )
            return ""
        self.plan.known_frameworks[ocid] = known
        return ocid

    def plan_contract(self, process, contract: Located, framework_ocid: str, member) -> None:
        award = process.awards.get(str(contract.at("awardID").value))
        if award is None:
            self.problem(contract.at("awardID"), "the id of an award in this process")
            return
        suppliers = award.at("suppliers").items()
        if len(suppliers) != 1:
            self.problem(award.at("suppliers"), "exactly one supplier for a call-off contract")
            return
        supplier = self.party(process, suppliers[0], "supplier")
        ocds_id = self.text(contract.at("id"), "the contract's id")
        reference = self.reference(contract.at("id"), "the contract's id, used as its reference")
        period = contract.at("period")
        planned = PlannedContract(
            ocid=process.ocid,
            ocds_id=ocds_id,
            reference=reference,
            framework_ocid=framework_ocid,
            lot=self.lot_of(award, framework_ocid),
            title=self.title(contract, process),
            value=self.amount(contract.at("value"), required=True),
            starts_on=self.date(period.at("startDate")),
            ends_on=self.date(period.at("endDate"), required=False),
            member=member,
            supplier=supplier,
            existing=None,
            spend=monthly_spend(self, process.transactions.get(str(contract.at("id").value), {})),
        )
        self.check_model(
            Contract(ocid=planned.ocid, ocds_id=planned.ocds_id),
            {"ocid": process.first.at("ocid"), "ocds_id": contract.at("id")},
        )
        planned.existing = self.existing_contract(planned, contract)
        self.plan.contracts.append(planned)

    def lot_of(self, award: Located, framework_ocid: str) -> str:
        lots = self.framework_lots(framework_ocid)
        named = [str(lot) for lot in award.at("relatedLots").value or []]
        if not named and len(lots) == 1:
            return lots[0]
        if len(named) != 1 or named[0] not in lots:
            self.problem(
                award.at("relatedLots"),
                f"exactly one lot of the framework ({_list(lots)})",
                ", ".join(named),
            )
            return ""
        return named[0]

    def framework_lots(self, ocid: str) -> list[str]:
        if ocid in self.plan.frameworks:
            return [lot.reference for lot in self.plan.frameworks[ocid].lots]
        return list(self.plan.known_frameworks[ocid].lots.values_list("reference", flat=True))

    def title(self, contract: Located, process: Process) -> str:
        title = contract.at("title").value or (
            process.tender.at("title").value if process.tender else ""
        )
        if not title:
            self.problem(contract.at("title"), "the contract's title (or the tender's title)")
        elif len(str(title)) > 200:
            self.problem(contract.at("title"), "a title of at most 200 characters", title)
        return str(title or "")

    def existing_contract(self, planned: PlannedContract, where: Located) -> Contract | None:
        contracts = Contract.objects.for_provider(self.provider).select_related("lot")
        found = contracts.filter(ocid=planned.ocid, ocds_id=planned.ocds_id).first()
        framework = self.plan.frameworks.get(planned.framework_ocid)
        framework = (
            framework.existing
            if framework
            else self.plan.known_frameworks.get(planned.framework_ocid)
        )
        if found is None and framework is not None:
            found = contracts.filter(framework=framework, reference=planned.reference).first()
            if found and found.ocid and found.ocid != planned.ocid:
                self.problem(
                    where.at("id"),
                    f"a reference no other contract of {framework} has: {found.reference} is "
                    f"already the contract with ocid {found.ocid}",
                )
        if found is not None:
            self.same_parties(found, planned, where)
        return found

    def same_parties(self, found: Contract, planned: PlannedContract, where: Located) -> None:
        """An update never moves a contract to another buyer, supplier or lot."""
        for role, current in (("member", found.member), ("supplier", found.supplier)):
            party = self.plan.parties.get(getattr(planned, role))
            if isinstance(party, Organisation) and party != current:
                self.problem(
                    where,
                    f"the same {role} as contract {found.reference} has in the ledger "
                    f"({current}); the package names {party}",
                )
        if planned.lot and found.lot.reference != planned.lot:
            self.problem(
                where,
                f"the same lot as contract {found.reference} has in the ledger "
                f"({found.lot.reference}); the package names lot {planned.lot}",
            )

    # --- Parties -------------------------------------------------------------------------------

    def party_with_role(self, process: Process, role: str) -> Located | None:
        for party in process.parties.values():
            if role in (party.at("roles").value or []):
                return party
        return None

    def party(self, process: Process, reference: Located, kind: str) -> str:
        """The key of the organisation a party reference names, matched by identifier."""
        party = process.parties.get(str(reference.at("id").value))
        if party is None:
            self.problem(reference.at("id"), "the id of an entry in the release's parties")
            return ""
        identifiers = _identifiers(party)
        if not identifiers:
            return self.name_only_party(party, kind)
        key = f"{kind}:{identifiers[0][0]}-{identifiers[0][1]}"
        if key not in self.plan.parties:
            found = self.match(party, identifiers, kind)
            if found is not None:
                self.plan.parties[key] = found
        return key if key in self.plan.parties else ""

    def name_only_party(self, party: Located, kind: str) -> str:
        """A party published with a name and no identifier (Contracts Finder gives some only a
        legal name) cannot be matched, never being matched by name: registered when asked."""
        name = str(party.at("name").value or party.at("identifier").at("legalName").value or "")
        if not (self.create_missing and name.strip()):
            self.problem(
                party.at("identifier"),
                "an identifier to match the organisation by (identifier.scheme and "
                "identifier.id, e.g. GB-COH and a company number); a party with only a name "
                "is registered as a new organisation when you import with --create-missing",
                name,
            )
            return ""
        key = f"{kind}:name:{name.strip()}"
        if key not in self.plan.parties:
            self.plan.parties[key] = self.new_organisation(party, [], kind)
        return key

    def match(self, party: Located, identifiers, kind: str):
        for scheme, value in identifiers:
            found = self.by_identifier(scheme, value)
            if len(found) > 1:
                names = ", ".join(str(o) for o in found)
                self.problem(party.at("identifier"), f"one organisation, not several ({names})")
                return None
            if found:
                if found[0].kind != kind:
                    self.problem(
                        party, f"a {kind}: {found[0]} is a {found[0].get_kind_display().lower()}"
                    )
                    return None
                return found[0]
        if not self.create_missing:
            shown = ", ".join(f"{s} {v}" for s, v in identifiers)
            self.problem(
                party.at("identifier"),
                f"a {kind} registered with this identifier ({shown}); add it, or import with "
                "--create-missing to register it",
                party.at("name").value,
            )
            return None
        return self.new_organisation(party, identifiers, kind)

    def by_identifier(self, scheme: str, value: str) -> list[Organisation]:
        provider, _, reference = value.partition("/")
        if scheme == LEDGER_SCHEME and provider == self.provider.reference:
            return list(self.organisations.filter(reference=reference))
        # Another provider's reference is kept as an identifier when registered from it.
        return list(self.organisations.with_identifier(scheme, value))

    def new_organisation(self, party: Located, identifiers, kind: str) -> NewOrganisation | None:
        from socialledger.organisations.actions import reference_from_name

        name = str(party.at("name").value or "")
        if not name:
            self.problem(party.at("name"), "the organisation's name, to register it")
            return None
        for scheme, value in identifiers:
            where = party.at("identifier")
            self.check_model(
                OrganisationIdentifier(scheme=scheme, value=value),
                {"scheme": where.at("scheme"), "value": where.at("id")},
            )
        own = [v for s, v in identifiers if s == LEDGER_SCHEME]
        reference = own[0].partition("/")[2] if own else reference_from_name(name)
        return NewOrganisation(kind, name[:200], reference, identifiers)

    # --- References ----------------------------------------------------------------------------

    def check_references(self) -> None:
        """New organisations get references no one else in the provider has."""
        taken = set(self.organisations.values_list("reference", flat=True))
        for party in self.plan.parties.values():
            if isinstance(party, NewOrganisation):
                base, number = party.reference, 2
                while party.reference in taken:
                    party.reference, number = f"{base[:36]}-{number}", number + 1
                taken.add(party.reference)

    # --- Values --------------------------------------------------------------------------------

    def text(self, where: Located, expected: str) -> str:
        value = where.value
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.problem(where, expected)
            return ""
        return value.strip()

    def reference(self, where: Located, expected: str, limit: int = 40) -> str:
        """A reference made from a published id: as written when the ledger can keep it, else
        with each run of other characters (spaces, say) as one "-" and at most `limit`
        characters ("NHSL 349" is NHSL-349); the id itself is kept whole as the OCDS id."""
        text = self.text(where, expected)
        cleaned = re.sub(r"[^A-Za-z0-9./_-]+", "-", text).strip("-./_")[:limit].rstrip("-./_")
        if text and not cleaned:
            self.problem(where, f"{expected}: an id with at least one letter or digit")
        return cleaned

    def amount(self, where: Located, *, required: bool, signed: bool = False) -> Decimal | None:
        """An amount in £ from 0 (or, `signed`, a refund down to minus the most) to the most."""
        if where.value is None and not required:
            return None
        amount, currency = where.at("amount"), where.at("currency")
        if currency.value not in (CURRENCY, None):
            self.problem(currency, f"an amount in pounds sterling ({CURRENCY})")
            return None
        if isinstance(amount.value, bool) or not isinstance(amount.value, (int, Decimal)):
            self.problem(amount, "the amount in pounds, as a number")
            return None
        lowest = -MAX_AMOUNT if signed else 0
        if not lowest <= amount.value <= MAX_AMOUNT:
            self.problem(amount, f"an amount in pounds from {lowest:,} to {MAX_AMOUNT:,}")
            return None
        return Decimal(amount.value)

    def date(self, where: Located, *, required: bool = True) -> date | None:
        if where.value in (None, "") and not required:
            return None
        try:
            return _parse_date(where.value)
        except (TypeError, ValueError):
            self.problem(where, "a date such as 2024-04-01 or 2024-04-01T00:00:00Z")
            return None

    def check_model(self, instance, paths: dict[str, Located]) -> None:
        """Field rules (lengths, allowed characters) checked before anything is written."""
        try:
            instance.clean_fields(
                exclude=[f.name for f in instance._meta.fields if f.name not in paths]
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.problem(paths[name], " ".join(messages))


def _combine(process: Process, release: Located) -> None:
    """Later releases replace the parties, awards and contracts they repeat (by id), and the
    tender, buyer and related processes as a whole."""
    for name, into in (
        ("parties", process.parties),
        ("awards", process.awards),
        ("contracts", process.contracts),
    ):
        for item in release.at(name).items():
            into[str(item.at("id").value)] = item
    for name in ("tender", "buyer"):
        if isinstance(release.at(name).value, dict):
            setattr(process, name, release.at(name))
    if release.at("relatedProcesses").items():
        process.related = release.at("relatedProcesses").items()
    gather_transactions(process.transactions, release)


def _framework_links(process: Process) -> list[Located]:
    return [
        link
        for link in process.related
        if "framework" in (link.at("relationship").value or [])
        and link.at("scheme").value in ("ocid", None)
    ]


def _identifiers(party: Located) -> list[tuple[str, str]]:
    """A party's identifiers, Companies House numbers as the register writes them; a party of
    our own exports with none is known by its id, "SOCIALLEDGER-<provider>/<organisation>"."""
    found = []
    for identifier in [party.at("identifier"), *party.at("additionalIdentifiers").items()]:
        scheme, value = identifier.at("scheme").value, identifier.at("id").value
        if scheme and value not in (None, ""):
            scheme = str(scheme).strip().upper()
            found.append((scheme, normalised_identifier(scheme, str(value))))
    own = str(party.at("id").value or "")
    if not found and own.startswith(f"{LEDGER_SCHEME}-") and "/" in own:
        found.append((LEDGER_SCHEME, own.removeprefix(f"{LEDGER_SCHEME}-")))
    return found


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, as JSON's "\ud800" gives
        return False
    return True


def _parse_date(value: Any) -> date:
    """A date as OCDS writes it, taking the calendar date written (not converting time zones)."""
    if not isinstance(value, str):
        raise TypeError(value)
    text = value.strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text.replace("Z", "+00:00")).date()


def _date_text(release: Located) -> str:
    value = release.value.get("date") if isinstance(release.value, dict) else None
    return value if isinstance(value, str) else ""


def _list(values) -> str:
    return ", ".join(sorted(values)) or "none"
