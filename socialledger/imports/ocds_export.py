"""Contracts as an OCDS 1.1 release package, with commitments and delivery as metrics.

One release per framework (its lots, and an award per appointed supplier naming its lots) and one
per call-off contract (buyer, supplier, value, term, and the framework it is let under). With the
Metrics extension, a contract's commitments are `contracts[].agreedMetrics` and what it delivered
is `contracts[].implementation.metrics`: for each year, a verified and a reported observation,
labelled by the dimension `basis`, never added together. Figures come from the report read
models (reports.queries.contract_delivery). `socialledger import` reads the package back.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from socialledger.contracts.models import Commitment, Contract, Framework
from socialledger.imports.ocds import CURRENCY, LEDGER_SCHEME
from socialledger.lib.numbers import normalise, round_half_up
from socialledger.lib.periods import FinancialYear
from socialledger.measures.models import Measure
from socialledger.organisations.models import REGISTER_FIELDS, Organisation
from socialledger.reports.queries import Scope, contract_delivery, report_measures
from socialledger.returns.models import State

SCHEMAS = Path(__file__).resolve().parent / "schemas" / "ocds"
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/master/extension.json",
]
BASIS_NOTES = {
    State.VERIFIED: "Verified: checked and accepted by the provider's officers.",
    State.REPORTED: (
        "Reported: everything the supplier submitted, verified or not. It includes the verified "
        "figure; never add the two."
    ),
}


def ocds_release_package(
    scope: Scope, year: FinancialYear | None = None, *, published: datetime | None = None
) -> dict:
    """The scope's contracts (those live in `year`, when given) and their frameworks as an OCDS
    release package; metrics cover `year`, or every year on record."""
    published = published or timezone.now()
    contracts = list(_contracts(scope, year))
    frameworks = sorted({c.framework for c in contracts}, key=lambda f: f.reference)
    years = [year.start_year] if year else None
    metrics = _Metrics(scope.provider, contracts, years)
    when = _datetime(published)
    releases = [_framework_release(f, when) for f in frameworks]
    releases += [_contract_release(c, metrics, when) for c in contracts]
    return {
        "version": "1.1",
        "extensions": EXTENSIONS,
        "publishedDate": when,
        "publisher": {"name": scope.provider.name},
        "releases": releases,
    }


def package_json(package: dict) -> str:
    """The package as JSON text. Decimals become JSON numbers here, at the edge: every figure
    has at most four decimal places, which a float's shortest text keeps exactly."""
    return json.dumps(package, indent=2, ensure_ascii=False, default=_number) + "\n"


def release_schemas() -> tuple[dict, dict]:
    """The release package schema, and the release schema with the Metrics extension merged in
    (as OCDS applies extensions: a JSON Merge Patch)."""
    package = json.loads((SCHEMAS / "release-package-schema.json").read_text(encoding="utf-8"))
    release = json.loads((SCHEMAS / "release-schema.json").read_text(encoding="utf-8"))
    metrics = json.loads(
        (SCHEMAS / "metrics-extension-release-schema.json").read_text(encoding="utf-8")
    )
    return package, _merge_patch(release, metrics)


def _merge_patch(target, patch):
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _merge_patch(merged.get(key), value)
    return merged


def _contracts(scope: Scope, year: FinancialYear | None):
    contracts = scope.contracts().select_related("framework__provider", "lot", "member", "supplier")
    if year is not None:
        contracts = contracts.live_during(year.start, year.end)
    return contracts.order_by("framework__reference", "reference")


# --- Releases --------------------------------------------------------------------------------


def framework_ocid(framework: Framework) -> str:
    """The framework's own ocid, or one made from the provider's prefix and its references."""
    return framework.ocid or (
        f"{settings.OCID_PREFIX}-{framework.provider.reference}-{framework.reference}"
    )


def contract_ocid(contract: Contract) -> str:
    return contract.ocid or f"{framework_ocid(contract.framework)}-{contract.reference}"


def _framework_release(framework: Framework, when: str) -> dict:
    ocid = framework_ocid(framework)
    lots = list(framework.lots.prefetch_related("suppliers").order_by("reference"))
    suppliers: dict[Organisation, list[str]] = defaultdict(list)
    for lot in lots:
        for supplier in lot.suppliers.order_by("reference"):
            suppliers[supplier].append(lot.reference)
    provider = framework.provider
    tender = {
        "id": framework.reference,
        "title": framework.name,
        "status": "complete",
        "contractPeriod": _period(framework.starts_on, framework.ends_on),
        "techniques": {"hasFrameworkAgreement": True},
        "lots": [_lot(lot) for lot in lots],
    }
    if framework.description:
        tender["description"] = framework.description
    if framework.value is not None:
        tender["value"] = _money(framework.value)
    return {
        **_release_head(ocid, when, ["award"]),
        "parties": [_party(provider, ["buyer", "procuringEntity"])]
        + [_party(s, ["supplier"]) for s in suppliers],
        "buyer": _reference(provider),
        "tender": tender,
        "awards": [
            {
                "id": f"appointment-{supplier.reference}",
                "status": "active",
                "suppliers": [_reference(supplier)],
                "relatedLots": lot_references,
            }
            for supplier, lot_references in suppliers.items()
        ],
    }


def _lot(lot) -> dict:
    found = {"id": lot.reference, "title": lot.name}
    if lot.value is not None:
        found["value"] = _money(lot.value)
    return found


def _contract_release(contract: Contract, metrics: _Metrics, when: str) -> dict:
    ocid = contract_ocid(contract)
    award_id = f"{contract.reference}-award"
    body = {
        "id": contract.reference,
        "awardID": award_id,
        "title": contract.title,
        "status": "active",
        "value": _money(contract.value),
        "period": _period(contract.starts_on, contract.ends_on),
    }
    agreed, delivered = metrics.agreed(contract), metrics.delivered(contract)
    if agreed:
        body["agreedMetrics"] = agreed
    if delivered:
        body["implementation"] = {"metrics": delivered}
    provider = contract.framework.provider
    return {
        **_release_head(ocid, when, ["contract", "implementation"] if delivered else ["contract"]),
        "parties": [
            _party(provider, ["procuringEntity"]),
            _party(contract.member, ["buyer"]),
            _party(contract.supplier, ["supplier"]),
        ],
        "buyer": _reference(contract.member),
        "tender": {
            "id": contract.reference,
            "title": contract.title,
            "procuringEntity": _reference(provider),
            "lots": [{"id": contract.lot.reference, "title": contract.lot.name}],
        },
        "relatedProcesses": [
            {
                "id": "framework",
                "relationship": ["framework"],
                "title": contract.framework.name,
                "scheme": "ocid",
                "identifier": framework_ocid(contract.framework),
            }
        ],
        "awards": [
            {
                "id": award_id,
                "status": "active",
                "suppliers": [_reference(contract.supplier)],
                "relatedLots": [contract.lot.reference],
                "value": _money(contract.value),
            }
        ],
        "contracts": [body],
    }


def _release_head(ocid: str, when: str, tags: list[str]) -> dict:
    return {
        "ocid": ocid,
        "id": f"{ocid}-{when[:10]}",
        "date": when,
        "tag": tags,
        "initiationType": "tender",
    }


def _party(organisation: Organisation, roles: list[str]) -> dict:
    scheme, value = _identifiers(organisation)[0]
    party = {
        "id": _party_id(organisation),
        "name": organisation.name,
        "identifier": {"scheme": scheme, "id": value, "legalName": organisation.name},
        "roles": roles,
    }
    others = _identifiers(organisation)[1:]
    if others:
        party["additionalIdentifiers"] = [{"scheme": s, "id": v} for s, v in others]
    return party


def _identifiers(organisation: Organisation) -> list[tuple[str, str]]:
    """Public identifiers first (company number, then the rest); our own reference last, so the
    package names every organisation even when it has no public identifier."""
    found = [
        (scheme, getattr(organisation, field))
        for scheme, field in REGISTER_FIELDS.items()
        if getattr(organisation, field)
    ]
    found += [
        (i.scheme, i.value) for i in organisation.identifiers.all() if i.scheme != LEDGER_SCHEME
    ]
    found.append(
        (LEDGER_SCHEME, f"{organisation.home_provider.reference}/{organisation.reference}")
    )
    return list(dict.fromkeys(found))


def _party_id(organisation: Organisation) -> str:
    scheme, value = _identifiers(organisation)[0]
    return f"{scheme}-{value}"


def _reference(organisation: Organisation) -> dict:
    return {"id": _party_id(organisation), "name": organisation.name}


# --- Metrics ---------------------------------------------------------------------------------


class _Metrics:
    """Commitments and delivery for all the exported contracts, fetched once."""

    def __init__(self, provider: Organisation, contracts: list[Contract], years) -> None:
        self.provider = provider
        ids = [c.pk for c in contracts]
        self.measures = {m.pk: m for m in report_measures(provider)}
        self.delivery = contract_delivery(provider, ids, years=years, by_year=True)
        commitments = Commitment.objects.filter(contract_id__in=ids).select_related("contract")
        if years is not None:
            commitments = commitments.filter(financial_year__in=years)
        self.commitments = defaultdict(list)
        for commitment in commitments.order_by("financial_year"):
            self.commitments[commitment.contract_id].append(commitment)

    def agreed(self, contract: Contract) -> list[dict]:
        by_measure = defaultdict(list)
        for commitment in self.commitments[contract.pk]:
            by_measure[commitment.measure_id].append(_target(commitment, self._year(commitment)))
        return self._metrics(by_measure)

    def delivered(self, contract: Contract) -> list[dict]:
        by_measure = defaultdict(list)
        for (measure_id, contract_id, start_year, state), figure in sorted(self.delivery.items()):
            if contract_id != contract.pk or state != State.REPORTED or not figure.recorded:
                continue
            year = self.provider.financial_year(start_year)
            measure = self.measures[measure_id]
            verified = self.delivery.get((measure_id, contract_id, start_year, State.VERIFIED))
            by_measure[measure_id] += [
                _observation(measure, year, State.VERIFIED, verified.value if verified else 0),
                _observation(measure, year, State.REPORTED, figure.value),
            ]
        return self._metrics(by_measure)

    def _metrics(self, by_measure: dict[int, list[dict]]) -> list[dict]:
        ordered = sorted(
            by_measure, key=lambda pk: (self.measures[pk].position, self.measures[pk].code)
        )
        return [_metric(self.measures[pk], by_measure[pk]) for pk in ordered]

    def _year(self, commitment: Commitment) -> FinancialYear:
        return self.provider.financial_year(commitment.financial_year)


def _metric(measure: Measure, observations: list[dict]) -> dict:
    metric = {"id": measure.code, "title": measure.name, "observations": observations}
    if measure.definition:
        metric["description"] = measure.definition
    return metric


def _target(commitment: Commitment, year: FinancialYear) -> dict:
    measure = commitment.measure
    observation = {
        "id": f"{measure.code}-{year.label}-target",
        "period": _period(year.start, year.end),
        **_quantity(measure, commitment.target_quantity),
    }
    if commitment.basis == Commitment.Basis.PER_MILLION:
        observation["notes"] = (
            f"{normalise(commitment.quantity)} per £1m of contract value "
            f"(£{normalise(commitment.contract.value):,})"
        )
    return observation


def _observation(measure: Measure, year: FinancialYear, basis: str, quantity) -> dict:
    return {
        "id": f"{measure.code}-{year.label}-{basis}",
        "period": _period(year.start, year.end),
        **_quantity(measure, Decimal(quantity)),
        "dimensions": {"basis": basis},
        "notes": BASIS_NOTES[basis],
    }


def _quantity(measure: Measure, quantity: Decimal) -> dict:
    """Money as an OCDS value in pounds; anything else as a measure with its unit."""
    exact = normalise(round_half_up(quantity, 4))
    if measure.is_money:
        return {"value": {"amount": exact, "currency": CURRENCY}}
    return {"measure": exact, "unit": {"name": measure.get_unit_display()}}


# --- Small shapes ----------------------------------------------------------------------------


def _money(amount: Decimal) -> dict:
    return {"amount": normalise(amount), "currency": CURRENCY}


def _period(start: date, end: date | None) -> dict:
    period = {"startDate": f"{start.isoformat()}T00:00:00Z"}
    if end is not None:
        period["endDate"] = f"{end.isoformat()}T23:59:59Z"
    return period


def _datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")
