"""What an officer reviewing a return sees beside each figure: last year's figure on the same
contract, the commitment and how much of it was delivered, what changed since the previous
submission, the evidence with its grade, and any data-quality warning on it.

One line per contract and measure with figures (or with figures in the previous submission), so
that a figure removed since then is seen too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from socialledger.audit.models import AuditEvent
from socialledger.contracts.models import Commitment, Contract
from socialledger.lib.numbers import HUNDRED, normalise, round_half_up
from socialledger.measures.models import Measure
from socialledger.quality.queries import warnings_for_return
from socialledger.reports.queries import contract_figures

SUBMISSIONS = ("return.submitted", "return.resubmitted")


@dataclass(frozen=True)
class ReviewLine:
    """One contract × measure of the return under review."""

    contract: Contract
    measure: Measure
    total: Decimal | None
    last_year: Decimal | None = None
    committed: Decimal | None = None
    before: Decimal | None = None
    compared: bool = False
    evidence: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # data-quality warnings on the figure

    @property
    def delivered_percent(self) -> Decimal | None:
        """The share of the commitment delivered, in whole percent (half-up); none without a
        commitment above zero."""
        if not self.committed or self.total is None:
            return None
        return round_half_up(self.total * HUNDRED / self.committed)

    @property
    def change(self) -> str:
        """Since the previous submission: "new", "removed", "unchanged" or "was N"; empty when
        there is no previous submission to compare with."""
        if not self.compared:
            return ""
        if self.before is None:
            return "new"
        if self.total is None:
            return "removed"
        if self.before == self.total:
            return "unchanged"
        return f"was {normalise(self.before):,}"


def submissions_sent(ret) -> list[dict[str, str]]:
    """The figures each submission sent (oldest first), where the record holds them."""
    events = AuditEvent.objects.about(ret).filter(action__in=SUBMISSIONS).order_by("sequence")
    return [event.after["figures"] for event in events if "figures" in (event.after or {})]


def review_lines(ret) -> list[ReviewLine]:
    """Every figure of the return with what an officer weighs it against."""
    totals = {
        (c, m): total
        for c, m, total in ret.entries.values_list("contract_id", "measure_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    }
    previous = _previous(ret, submissions_sent(ret))
    contracts = {c.pk: c for c in Contract.objects.for_supplier(ret.supplier)}
    measures = {m.pk: m for m in Measure.objects.available_to(ret.provider)}
    keys = set(totals) | _keys_of(previous or {}, contracts, measures)
    ids = sorted({c for c, _m in keys})
    last_year = contract_figures(ret.provider, ids, ret.year.previous)
    committed = {
        (c.contract_id, c.measure_id): c.target_quantity
        for c in Commitment.objects.filter(
            contract_id__in=ids, financial_year=ret.financial_year
        ).select_related("contract")
    }
    warnings = warnings_for_return(ret)
    evidence: dict[tuple, list] = {}
    for item in ret.evidence.filter(entry__isnull=False).select_related("entry"):
        evidence.setdefault((item.entry.contract_id, item.entry.measure_id), []).append(item)
    lines = [
        ReviewLine(
            contract=contracts[c],
            measure=measures[m],
            total=totals.get((c, m)),
            last_year=last_year.get((m, c)),
            committed=committed.get((c, m)),
            before=_before(previous, contracts[c], measures[m]),
            compared=previous is not None,
            evidence=evidence.get((c, m), []),
            warnings=warnings.get((c, m), []),
        )
        for c, m in keys
    ]
    return sorted(lines, key=lambda line: (line.contract.reference, line.measure.position))


def _previous(ret, sent: list[dict]) -> dict | None:
    """What the figures are compared with: while a submission is under review (or decided), the
    one sent before it; while the supplier is correcting it, the last one sent."""
    if ret.status in ("submitted", "resubmitted", "verified", "rejected"):
        return sent[-2] if len(sent) >= 2 else None
    return sent[-1] if sent else None


def _keys_of(sent: dict, contracts: dict, measures: dict) -> set[tuple]:
    """(contract id, measure id) of each figure a submission sent."""
    by_reference = {c.reference: pk for pk, c in contracts.items()}
    by_code = {m.code: pk for pk, m in measures.items()}
    keys = set()
    for key in sent:
        reference, code = key.split("|", 1)
        if reference in by_reference and code in by_code:
            keys.add((by_reference[reference], by_code[code]))
    return keys


def _before(previous: dict | None, contract: Contract, measure: Measure) -> Decimal | None:
    if previous is None:
        return None
    found = previous.get(f"{contract.reference}|{measure.code}")
    return Decimal(found) if found is not None else None
