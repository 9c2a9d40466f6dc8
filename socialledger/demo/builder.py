"""The demo provider, built from data/northway.toml through the product's own actions and import.

Its verified figures for 2021-22 to 2023-24 add up exactly to the totals a UK framework provider
(Fusion21) published; the organisations are fictional and the split across contracts invented.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from socialledger.accounts.actions import add_membership
from socialledger.casestudies.actions import (
    add_case_study,
    add_photo,
    approve_case_study,
    record_consent,
)
from socialledger.contracts.actions import (
    appoint_supplier,
    create_contract,
    create_framework,
    create_lot,
    set_commitment,
)
from socialledger.contracts.models import Contract
from socialledger.demo.pictures import picture
from socialledger.demo.supply_chain import build_supply_chain
from socialledger.imports.actions import import_entries, import_opening_balances
from socialledger.imports.reading import Table
from socialledger.lib.periods import FinancialYear
from socialledger.measures.models import Measure
from socialledger.organisations.actions import create_provider, register_organisation
from socialledger.organisations.models import Organisation
from socialledger.reports.actions import publish_report
from socialledger.valuation.actions import choose_value_set
from socialledger.valuation.models import ValueSet
from socialledger.verification.actions import draw_sample, record_check

DATA_FILE = Path(__file__).resolve().parent / "data" / "northway.toml"
# The year the demo has published, with its case studies on the public page and press pack.
PUBLISHED_YEAR = FinancialYear(2023)
DEMO_PASSWORD = "socialledger-demo"  # noqa: S105 - printed for everyone; demo databases only
VIA = "demo"


@dataclass(frozen=True)
class DemoContract:
    reference: str
    lot: str
    member: str
    supplier: str
    title: str
    value: Decimal
    starts_on: date
    ends_on: date

    @property
    def framework(self) -> str:
        return self.reference.split("-")[0]

    def live_in(self, year: FinancialYear) -> bool:
        return self.starts_on <= year.end and self.ends_on >= year.start

    def meets(self, rule: dict) -> bool:
        """Whether the contract meets every condition of a pool rule."""
        return (
            self.framework in rule.get("frameworks", [self.framework])
            and self.lot in rule.get("lots", [self.lot])
            and self.supplier in rule.get("suppliers", [self.supplier])
            and self.reference in rule.get("contracts", [self.reference])
            and self.value >= Decimal(rule.get("min_value", 0))
        )


def read_demo(path: Path = DATA_FILE) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def demo_contracts(data: dict) -> list[DemoContract]:
    return [
        DemoContract(ref, lot, member, supplier, title, Decimal(value), start, end)
        for ref, lot, member, supplier, title, value, start, end in data["contracts"]["rows"]
    ]


def demo_provider() -> Organisation | None:
    reference = read_demo()["provider"]["reference"]
    return Organisation.objects.providers().filter(reference=reference).first()


def split(total: int, weights: list[Decimal]) -> list[int]:
    """Divide a whole number in proportion to weights; the parts always add up to the total.

    Largest-remainder rounding: every part is rounded down, then the units left over go to the
    parts that lost most (ties to the earlier part).
    """
    whole = sum(weights)
    exact = [Decimal(total) * weight / whole for weight in weights]
    parts = [int(share) for share in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for index in by_remainder[: total - sum(parts)]:
        parts[index] += 1
    return parts


@transaction.atomic
def build_demo() -> Organisation:
    """Create the demo provider with its organisations, contracts, figures, targets and users."""
    data = read_demo()
    provider = create_provider(by=None, **data["provider"])
    parties = _organisations(provider, data)
    contracts = demo_contracts(data)
    _frameworks_and_contracts(provider, data, contracts, parties)
    import_entries(provider, _table(_figure_rows(data, contracts)), by=None)
    import_opening_balances(provider, _table(_opening_rows(data)), by=None)
    _commitments(provider, data)
    _users(provider, data, parties)
    _value_set(provider, data)
    _spend(contracts)
    _round(provider, data)
    _kpis(provider, data)
    _sample_checks(provider)
    build_supply_chain(provider, data, DEMO_PASSWORD)
    _case_studies(provider, data)
    publish_report(provider, PUBLISHED_YEAR, by=_user("demo"))
    return provider


# How many of the latest year's entries the demo's officer checks, and which of them (every
# DEMO_DOUBTFUL-th) the evidence did not bear out: so the report shows every strength it can.
DEMO_SAMPLE, DEMO_DOUBTFUL = 40, 8


def _sample_checks(provider: Organisation) -> None:
    """A verification sample of 2023-24, checked through the same actions as the samples page:
    most entries confirmed, a few not, so figures split into checked and not borne out."""
    sample = draw_sample(provider, start_year=2023, size=DEMO_SAMPLE, by=None, seed=2023)
    for number, item in enumerate(sample.items.order_by("pk"), start=1):
        if number % DEMO_DOUBTFUL == 0:
            record_check(
                item, result="not-confirmed", note="The payroll extract does not show it.", by=None
            )
        else:
            record_check(item, result="confirmed", note="", by=None)


def _case_studies(provider: Organisation, data: dict) -> None:
    """The demo's case studies, each with its drawn picture and consents, approved by the
    officer: written, consented and approved through the case study actions."""
    for spec in data["case_study"]:
        writer = _user(spec["added_by"])
        case_study = add_case_study(
            Contract.objects.for_provider(provider).get(reference=spec["contract"]),
            financial_year=provider.parse_year(spec["year"]).start_year,
            title=spec["title"],
            story=spec["story"],
            quote=spec["quote"],
            quoted=spec["quoted"],
            measures=Measure.objects.available_to(provider).filter(code__in=spec["measures"]),
            by=writer,
        )
        drawn = spec["picture"]
        add_photo(
            case_study,
            upload=SimpleUploadedFile(f"{drawn['scene']}.jpg", picture(drawn["scene"])),
            alt_text=drawn["alt"],
            by=writer,
        )
        for consent in spec["consents"]:
            record_consent(case_study, **consent, by=writer)
        approve_case_study(case_study, by=_user(spec["approved_by"]))


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _kpis(provider: Organisation, data: dict) -> None:
    """Procurement Act KPIs and their ratings, through the same actions as the contract page."""
    from socialledger.kpis.actions import add_kpi, rate_kpi

    measures = {m.code: m for m in Measure.objects.available_to(provider)}
    contracts = {c.reference: c for c in Contract.objects.for_provider(provider)}
    for spec in data.get("kpi", []):
        kpi = add_kpi(
            contracts[spec["contract"]],
            title=spec["title"],
            target=spec.get("target", ""),
            description=spec.get("description", ""),
            measures=[measures[code] for code in spec.get("measures", [])],
            by=None,
            via=VIA,
        )
        for start, end, rating, justification, *figure in spec["ratings"]:
            rate_kpi(
                kpi,
                rating=rating,
                period_start=date.fromisoformat(start),
                period_end=date.fromisoformat(end),
                justification=justification,
                figure=Decimal(figure[0]) if figure else None,
                by=None,
                via=VIA,
            )


def _spend(contracts: list[DemoContract]) -> None:
    """Quarterly spend for each contract, evenly over its term, up to the end of 2024-25."""
    from socialledger.contracts.models import Contract, Spend

    by_reference = {
        c.reference: c
        for c in Contract.objects.filter(reference__in=[d.reference for d in contracts])
    }
    rows = []
    for spec in contracts:
        quarters = _quarter_ends(spec.starts_on, min(spec.ends_on, date(2025, 3, 31)))
        term = _quarter_ends(spec.starts_on, spec.ends_on)
        for quarter_end in quarters:
            amount = (spec.value / len(term)).quantize(Decimal("0.01"))
            rows.append(
                Spend(contract=by_reference[spec.reference], period_end=quarter_end, amount=amount)
            )
    Spend.objects.bulk_create(rows)


def _quarter_ends(start: date, end: date) -> list[date]:
    ends = []
    for year in range(start.year, end.year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            quarter_end = date(year, month, day)
            if start <= quarter_end <= end:
                ends.append(quarter_end)
    return ends or [end]


def _round(provider: Organisation, data: dict) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from socialledger.contracts.models import Framework
    from socialledger.rounds.actions import open_round

    spec = data["round"]
    year = provider.parse_year(spec["year"])
    today = timezone.localdate()
    open_round(
        provider,
        name=spec["name"],
        period_start=year.start,
        period_end=year.end,
        opens_on=today - timedelta(days=spec["opened_days_ago"]),
        closes_on=today + timedelta(days=spec["closes_in_days"]),
        min_spend=Decimal(spec["min_spend"]),
        always_included=Framework.objects.for_provider(provider).filter(
            reference__in=spec["always_included"]
        ),
        by=None,
    )


def _organisations(provider: Organisation, data: dict) -> dict[str, Organisation]:
    parties = {}
    for kind in ("member", "supplier"):
        for spec in data[kind]:
            code, area = spec.get("local_authority", ("", ""))
            parties[spec["reference"]] = register_organisation(
                provider,
                kind=kind,
                reference=spec["reference"],
                name=spec["name"],
                sector=spec["sector"],
                region=provider.region,
                local_authority_code=code,
                local_authority_name=area,
                by=None,
                via=VIA,
            )
    return parties


def _frameworks_and_contracts(provider, data, contracts, parties) -> None:
    lots = {}
    for spec in data["framework"]:
        framework = create_framework(
            provider,
            reference=spec["reference"],
            name=spec["name"],
            starts_on=spec["starts_on"],
            ends_on=spec["ends_on"],
            value=Decimal(spec["value"]),
            by=None,
        )
        for reference, name in spec["lots"]:
            lots[(framework.reference, reference)] = create_lot(
                framework, reference=reference, name=name, by=None
            )
    for spec in contracts:
        lot = lots[(spec.framework, spec.lot)]
        appoint_supplier(lot, parties[spec.supplier], by=None, via=VIA)
        member = parties[spec.member]
        create_contract(
            lot,
            reference=spec.reference,
            title=spec.title,
            member=member,
            supplier=parties[spec.supplier],
            value=spec.value,
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            location=member.local_authority_name,
            by=None,
            via=VIA,
        )


def _figure_rows(data: dict, contracts: list[DemoContract]) -> list[dict[str, str]]:
    rows = []
    for figure in data["figure"]:
        for label, total in figure["totals"].items():
            parts = figure.get("split", {}).get(label, [{"quantity": total}])
            if sum(part["quantity"] for part in parts) != total:
                raise ValueError(
                    f"{figure['measure']} {label}: the split does not add up to {total}"
                )
            for part in parts:
                rows += _spread(
                    figure["measure"], FinancialYear.parse(label), part, data, contracts
                )
    for label, gifts in data["donations"].items():
        for reference, kind, description, amount in gifts:
            contract = _contract(contracts, reference)
            breakdowns = {"donation_type": kind}
            rows.append(_row(contract, "donations", label, amount, breakdowns, description))
    for reference, measure, quantity, status in data["in_progress"]["rows"]:
        rows.append(
            _row(_contract(contracts, reference), measure, "2024-25", quantity, status=status)
        )
    return rows


def _spread(measure: str, year: FinancialYear, part: dict, data: dict, contracts) -> list[dict]:
    """One split of a published total, spread over its pool of contracts by contract value."""
    breakdowns = {name: value for name, value in part.items() if name != "quantity"}
    rules = [
        data["pools"][f"{k}={v}"] for k, v in breakdowns.items() if f"{k}={v}" in data["pools"]
    ]
    rule = rules[-1] if rules else {}  # the most specific breakdown's rule
    pool = [c for c in contracts if c.live_in(year) and c.meets(rule)]
    quantities = split(part["quantity"], [c.value for c in pool])
    return [
        _row(contract, measure, year.label, quantity, breakdowns)
        for contract, quantity in zip(pool, quantities, strict=True)
        if quantity
    ]


def _contract(contracts: list[DemoContract], reference: str) -> DemoContract:
    return next(c for c in contracts if c.reference == reference)


def _row(contract, measure, year, quantity, breakdowns=None, description="", status="verified"):
    return {
        "framework": contract.framework,
        "contract": contract.reference,
        "supplier": contract.supplier,
        "member": contract.member,
        "measure": measure,
        "financial_year": year,
        "quantity": str(quantity),
        "description": description,
        "status": status,
        **(breakdowns or {}),
    }


def _opening_rows(data: dict) -> list[dict[str, str]]:
    return [{key: str(value) for key, value in row.items()} for row in data["opening_balance"]]


def _table(rows: list[dict[str, str]]) -> Table:
    """Rows built in memory, in the shape a CSV file would give the import."""
    columns = tuple(sorted({name for row in rows for name in row}))
    numbered = tuple((number, row) for number, row in enumerate(rows, start=2))
    return Table(columns, numbered, "utf-8")


def _commitments(provider: Organisation, data: dict) -> None:
    measures = {m.code: m for m in Measure.objects.available_to(provider)}
    contracts = {c.reference: c for c in Contract.objects.for_provider(provider)}
    year = provider.parse_year(data["commitments"]["year"]).start_year
    for reference, code, basis, quantity in data["commitments"]["rows"]:
        set_commitment(
            provider,
            measure=measures[code],
            financial_year=year,
            quantity=Decimal(quantity),
            contract=contracts[reference],
            basis=basis,
            by=None,
        )
    target = data["provider_target"]
    set_commitment(
        provider,
        measure=measures[target["measure"]],
        financial_year=provider.parse_year(target["year"]).start_year,
        quantity=Decimal(target["quantity"]),
        note=target["note"],
        by=None,
    )


def _value_set(provider: Organisation, data: dict) -> None:
    """Value the demo's figures with the shipped open set (never a proprietary one)."""
    spec = data["value_set"]
    value_set = ValueSet.objects.shipped().get(code=spec["code"], version=spec["version"])
    when = datetime.combine(spec["chosen_on"], time(12), tzinfo=UTC)
    choose_value_set(provider, value_set, by=None, reason=spec["reason"], via=VIA, when=when)


def _users(provider: Organisation, data: dict, parties: dict[str, Organisation]) -> None:
    users = get_user_model().objects
    organisations = {provider.reference: provider, **parties}
    for username, role, reference in data["users"]["rows"]:
        email = f"{username}@example.org"
        if username == "demo":
            # The demo's provider admin also runs the instance, to show the Django admin.
            user = users.create_superuser(username, email, DEMO_PASSWORD)
        else:
            user = users.create_user(username, email, DEMO_PASSWORD)
        add_membership(user, organisations[reference], role=role, by=None, via=VIA)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, organisation name) of every demo user."""
    data = read_demo()
    names = {data["provider"]["reference"]: data["provider"]["name"]}
    names |= {
        spec["reference"]: spec["name"] for kind in ("member", "supplier") for spec in data[kind]
    }
    logins = [
        (username, role, names[reference]) for username, role, reference in data["users"]["rows"]
    ]
    return [*logins, tuple(data["supply_chain"]["user"])]
