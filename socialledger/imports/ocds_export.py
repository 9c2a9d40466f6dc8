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
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from socialledger.contracts.models import Commitment, Contract, Framework
from socialledger.imports.ocds import CURRENCY, LEDGER_SCHEME
from socialledger.imports.ocds_schemas import extension_urls
from socialledger.lib.numbers import normalise, round_half_up
from socialledger.lib.periods import FinancialYear
from socialledger.measures.models import Measure
from socialledger.organisations.models import Organisation
from socialledger.reports.queries import Scope, contract_delivery, report_measures
from socialledger.returns.models import State

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
    return package_head(scope.provider, export_uri(scope, year), when) | {"releases": releases}


def package_head(provider: Organisation, uri: str, when: str) -> dict:
    """What every package says about itself: its URI, version, extensions, publisher, licence
    and publication policy (the last two as the instance's settings give them)."""
    head = {
        "uri": uri,
        "version": "1.1",
        "extensions": extension_urls(),
        "publishedDate": when,
        "publisher": publisher(provider),
    }
    if settings.OCDS_LICENSE:
        head["license"] = settings.OCDS_LICENSE
    if settings.OCDS_PUBLICATION_POLICY:
        head["publicationPolicy"] = settings.OCDS_PUBLICATION_POLICY
    return head


def publisher(provider: Organisation) -> dict:
    """The provider as publisher: the scheme and uid set for the instance, or else its own first
    public identifier; none at all rather than one made up."""
    found = {"name": provider.name}
    scheme, uid = settings.OCDS_PUBLISHER_SCHEME, settings.OCDS_PUBLISHER_UID
    if not (scheme and uid) and provider.public_identifiers():
        scheme, uid = provider.public_identifiers()[0]
    if scheme and uid:
        found |= {"scheme": scheme, "uid": uid}
    return found


def export_uri(scope: Scope, year: FinancialYear | None, path: str = "exports/ocds") -> str:
    """Where the package is served (the API), with the scope and year that make it this one."""
    query = {"provider": scope.provider.reference}
    if scope.kind != "provider":
        target = scope.target
        reference = (
            f"{target.framework.reference}/{target.reference}"
            if scope.kind == "contract"
            else target.reference
        )
        query["scope"] = f"{scope.kind}:{reference}"
    if year is not None:
        query["year"] = year.label
    return f"{settings.BASE_URL}/api/v1/{path}?{urlencode(query)}"


def package_json(package: dict) -> str:
    """The package as JSON text. Decimals become JSON numbers here, at the edge: every figure
    has at most four decimal places, which a float's shortest text keeps exactly."""
    return json.dumps(package, indent=2, ensure_ascii=False, default=_number) + "\n"


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


def call_off_parties(contract: Contract) -> dict:
    """A call-off's parties: the provider procures, the member buys, the supplier delivers."""
    return {
        "parties": [
            _party(contract.framework.provider, ["procuringEntity"]),
            _party(contract.member, ["buyer"]),
            _party(contract.supplier, ["supplier"]),
        ],
        "buyer": _reference(contract.member),
    }


def framework_link(contract: Contract) -> dict:
    """The related process that names the framework a call-off was made under, by its ocid."""
    return {
        "id": "framework",
        "relationship": ["framework"],
        "title": contract.framework.name,
        "scheme": "ocid",
        "identifier": framework_ocid(contract.framework),
    }


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
        **call_off_parties(contract),
        "tender": {
            "id": contract.reference,
            "title": contract.title,
            "procuringEntity": _reference(provider),
            "lots": [{"id": contract.lot.reference, "title": contract.lot.name}],
        },
        "relatedProcesses": [framework_link(contract)],
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
    """A party with its public identifiers; one with none has only its id, name and roles."""
    party = {"id": _party_id(organisation), "name": organisation.name}
    identifiers = organisation.public_identifiers()
    if identifiers:
        scheme, value = identifiers[0]
        party["identifier"] = {"scheme": scheme, "id": value, "legalName": organisation.name}
    if identifiers[1:]:
        party["additionalIdentifiers"] = [{"scheme": s, "id": v} for s, v in identifiers[1:]]
    return party | {"roles": roles}


def _party_id(organisation: Organisation) -> str:
    """The party's id in a release: scheme and identifier, or (with no public identifier) our
    own references, which only our import reads."""
    identifiers = organisation.public_identifiers()
    if identifiers:
        return "-".join(identifiers[0])
    return f"{LEDGER_SCHEME}-{organisation.home_provider.reference}/{organisation.reference}"


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
    return {"measure": exact, "unit": unit(measure)}


# Units of measure from UN/ECE Recommendation No. 20, "Codes for Units of Measure Used in
# International Trade" (the UNCEFACT scheme the Metrics extension recommends): C62 is "one", the
# unit of a count; IE "person"; HUR "hour"; DAY "day"; WEE "week".
UNCEFACT = {
    Measure.Unit.PEOPLE: "IE",
    Measure.Unit.FTE: "C62",
    Measure.Unit.WEEKS: "WEE",
    Measure.Unit.HOURS: "HUR",
    Measure.Unit.DAYS: "DAY",
    Measure.Unit.EVENTS: "C62",
}


def unit(measure: Measure) -> dict:
    """A measure's unit by name, with its UN/CEFACT scheme and code."""
    return {
        "scheme": "UNCEFACT",
        "id": UNCEFACT.get(measure.unit, "C62"),
        "name": measure.get_unit_display(),
    }


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
