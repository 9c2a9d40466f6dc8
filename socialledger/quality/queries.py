"""Reading data-quality warnings: for a return's entries, for figures an import touches, and for
a report's scope and year. Every door asks here, so every page says the same."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import ExpressionWrapper, F, Sum

from socialledger.contracts.models import Commitment, Contract
from socialledger.measures.models import Measure
from socialledger.quality.models import Check, ClaimedFigure, Thresholds
from socialledger.quality.rules import ONE_MILLION, RULES, Figure, Surroundings
from socialledger.reports.models import ContractFigure
from socialledger.reports.report import ClaimLine, DataQuality
from socialledger.reports.tally import QUANTITY
from socialledger.returns.models import Entry, State, Status

Key = tuple[int, int, int]  # (contract id, measure id, financial year)
# A contract's own figure in a summary row: each person counted once within the contract.
OWN = ExpressionWrapper(F("total") - F("contract_repeat_total"), output_field=QUANTITY)


@dataclass(frozen=True)
class QualityWarning:
    """One rule's flag on one figure, open or checked with a reason."""

    rule: str
    title: str
    message: str
    contract_id: int
    measure_id: int
    financial_year: int
    quantity: Decimal
    check: Check | None = None

    @property
    def key(self) -> Key:
        return self.contract_id, self.measure_id, self.financial_year

    @property
    def checked(self) -> bool:
        return self.check is not None

    @property
    def words(self) -> str:
        """The warning in one line for text formats, with the reason when checked."""
        state = f" Checked: {self.check.reason}" if self.check else ""
        return f"{self.title}: {self.message}{state}"


def thresholds_for(provider) -> Thresholds:
    """The provider's thresholds, or the defaults while it has set none."""
    return Thresholds.objects.filter(provider=provider).first() or Thresholds(provider=provider)


def warnings_for_entries(provider, entries) -> dict[Key, list[QualityWarning]]:
    """Warnings on the figures these entries make (their contract, measure and year), by key."""
    sums = (
        entries.order_by()
        .values_list("contract_id", "measure_id", "financial_year")
        .annotate(total=Sum("quantity"))
    )
    return _by_key(warnings_for(provider, {(c, m, y): total for c, m, y, total in sums}))


def warnings_for_return(ret) -> dict[tuple[int, int], list[QualityWarning]]:
    """Warnings on each figure a return makes, by (contract id, measure id): what its supplier
    sees beside the figure to fix it first, and its officer on the review."""
    grouped: dict[tuple[int, int], list[QualityWarning]] = defaultdict(list)
    for (contract, measure, _year), found in warnings_for_entries(
        ret.provider, ret.entries.all()
    ).items():
        grouped[(contract, measure)].extend(found)
    return dict(grouped)


def warnings_for_keys(provider, keys) -> list[QualityWarning]:
    """Warnings on the whole figures at these keys: every entry on the contract, measure and
    year that is not in a rejected return (imports ask this of what they have just written)."""
    keys = set(keys)
    if not keys:
        return []
    entries = Entry.objects.filter(
        contract_id__in={k[0] for k in keys},
        measure_id__in={k[1] for k in keys},
        financial_year__in={k[2] for k in keys},
    ).exclude(submission__status=Status.REJECTED)
    sums = (
        entries.order_by()
        .values_list("contract_id", "measure_id", "financial_year")
        .annotate(total=Sum("quantity"))
    )
    return warnings_for(provider, {(c, m, y): t for c, m, y, t in sums if (c, m, y) in keys})


def warnings_in_scope(scope, year) -> list[QualityWarning]:
    """Warnings on the reported figures of a report's scope and year, from the summaries."""
    rows = (
        scope.contract_figures()
        .filter(financial_year=year.start_year, state=State.REPORTED)
        .values_list("contract_id", "measure_id", "financial_year")
        .annotate(total=Sum(OWN, output_field=QUANTITY))
    )
    return warnings_for(scope.provider, {(c, m, y): t for c, m, y, t in rows})


def warnings_for(provider, quantities: dict[Key, Decimal]) -> list[QualityWarning]:
    """Run every rule over these figures: (contract, measure, year) -> quantity."""
    if not quantities:
        return []
    figures = _figures(quantities)
    around = _surroundings(provider, figures)
    thresholds = thresholds_for(provider)
    checks = _checks(quantities)
    found = []
    for figure in figures:
        for code, (title, rule) in RULES.items():
            message = rule(figure, around, thresholds)
            if message is None:
                continue
            check = checks.get((*figure.key, code))
            standing = check if check is not None and check.quantity == figure.quantity else None
            found.append(
                QualityWarning(code, title, message, *figure.key, figure.quantity, standing)
            )
    return found


def _by_key(warnings: list[QualityWarning]) -> dict[Key, list[QualityWarning]]:
    grouped: dict[Key, list[QualityWarning]] = defaultdict(list)
    for warning in warnings:
        grouped[warning.key].append(warning)
    return dict(grouped)


def _figures(quantities: dict[Key, Decimal]) -> list[Figure]:
    contracts = {
        pk: (value, framework, supplier)
        for pk, value, framework, supplier in Contract.objects.filter(
            pk__in={k[0] for k in quantities}
        ).values_list("pk", "value", "framework_id", "supplier_id")
    }
    money = set(
        Measure.objects.filter(
            pk__in={k[1] for k in quantities}, unit=Measure.Unit.GBP
        ).values_list("pk", flat=True)
    )
    return [
        Figure(c, m, y, Decimal(q), m in money, *contracts[c])
        for (c, m, y), q in sorted(quantities.items())
        if c in contracts
    ]


def _surroundings(provider, figures: list[Figure]) -> Surroundings:
    contracts = {f.contract_id for f in figures}
    measures = {f.measure_id for f in figures}
    years = {f.financial_year for f in figures} | {f.financial_year - 1 for f in figures}
    reported = ContractFigure.objects.filter(
        state=State.REPORTED, measure_id__in=measures, financial_year__in=years
    ).annotate(own=OWN)
    earlier = {
        (c, m, y): own
        for c, m, y, own in reported.filter(contract_id__in=contracts).values_list(
            "contract_id", "measure_id", "financial_year", "own"
        )
    }
    return Surroundings(
        earlier,
        _peer_rates(figures, reported),
        _commitments(contracts, years),
        _wider_earlier(figures, reported.filter(provider=provider)),
    )


def _wider_earlier(figures: list[Figure], reported) -> dict[Key, Decimal]:
    """The reported figure the year before of each figure's supplier (all its contracts) and
    of the whole provider (as supplier 0), by measure."""
    before = {f.financial_year - 1 for f in figures}
    rows = reported.filter(financial_year__in=before)
    found: dict[Key, Decimal] = defaultdict(Decimal)
    suppliers = {f.supplier_id for f in figures}
    for supplier, measure, year, own in rows.values_list(
        "supplier_id", "measure_id", "financial_year", "own"
    ):
        found[(0, measure, year)] += own
        if supplier in suppliers:
            found[(supplier, measure, year)] += own
    return found


def _peer_rates(figures: list[Figure], reported) -> dict:
    """Each framework contract's reported figure per £1m of its value, by framework, measure
    and year."""
    frameworks = {f.framework_id for f in figures}
    rows = list(
        reported.filter(framework_id__in=frameworks).values_list(
            "framework_id", "measure_id", "financial_year", "contract_id", "own"
        )
    )
    values = dict(Contract.objects.filter(pk__in={r[3] for r in rows}).values_list("pk", "value"))
    rates: dict[tuple, list] = defaultdict(list)
    for framework, measure, year, contract, own in rows:
        if values.get(contract):
            rates[(framework, measure, year)].append(
                (contract, own * ONE_MILLION / values[contract])
            )
    return rates


def _commitments(contracts: set[int], years: set[int]) -> dict[Key, Decimal]:
    found: dict[Key, Decimal] = defaultdict(Decimal)
    for c in Commitment.objects.filter(
        contract_id__in=contracts, financial_year__in=years
    ).select_related("contract"):
        found[(c.contract_id, c.measure_id, c.financial_year)] += c.target_quantity
    return found


def _checks(quantities: dict[Key, Decimal]) -> dict[tuple, Check]:
    checks = Check.objects.filter(
        contract_id__in={k[0] for k in quantities},
        financial_year__in={k[2] for k in quantities},
    ).select_related("checked_by")
    return {(c.contract_id, c.measure_id, c.financial_year, c.rule): c for c in checks}


def warning_lines(provider, warnings: list[QualityWarning]) -> list[str]:
    """Each warning in one line naming its contract, measure and year, for imports and text."""
    contracts = dict(
        Contract.objects.filter(pk__in={w.contract_id for w in warnings}).values_list(
            "pk", "reference"
        )
    )
    measures = dict(
        Measure.objects.filter(pk__in={w.measure_id for w in warnings}).values_list("pk", "name")
    )
    return [
        f"{contracts[w.contract_id]}, {measures[w.measure_id]}, "
        f"{provider.financial_year(w.financial_year).label}: {w.words}"
        for w in warnings
    ]


def data_quality(scope, year) -> DataQuality:
    """The data-quality section of a report: its warnings, open and checked, in words."""
    warnings = warnings_in_scope(scope, year)
    return DataQuality(
        open=sum(1 for w in warnings if not w.checked),
        checked=sum(1 for w in warnings if w.checked),
        lines=tuple(warning_lines(scope.provider, warnings)),
    )


def claims_beside(scope, year, lines) -> tuple[ClaimLine, ...]:
    """Each figure claimed elsewhere for the report's scope and year, beside the ledger's
    headline figure for its measure (on the report's basis)."""
    by_code = {line.code: line for line in lines}
    claims = ClaimedFigure.objects.for_scope(scope, year.start_year).select_related(
        "measure", "claimed_by"
    )
    found = []
    for claim in claims:
        line = by_code.get(claim.measure.code)
        if line is None:
            continue
        recorded = line.headline.recorded and not line.missing_parts
        found.append(
            ClaimLine(
                code=line.code,
                name=line.name,
                claimed=claim.quantity,
                ledger=line.headline.value if recorded else None,
                source=claim.source,
                claimed_by=str(claim.claimed_by),
                is_money=line.is_money,
            )
        )
    return tuple(found)
