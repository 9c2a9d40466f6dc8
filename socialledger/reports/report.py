"""The report objects: frozen dataclasses shared by every renderer (text, Markdown, JSON, CSV).

They hold exact Decimals and the counts of entries behind each figure, so any number shown can be
traced back to what it was made of.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from socialledger.lib.numbers import ZERO, Change, format_quantity, round_half_up
from socialledger.lib.periods import FinancialYear
from socialledger.lib.valuation import Band, Working
from socialledger.reports.carbon import Carbon
from socialledger.reports.spend import SpendSection


@dataclass(frozen=True)
class Figure:
    """A sum of entries, and how many entries it is the sum of."""

    value: Decimal = ZERO
    entries: int = 0

    @property
    def recorded(self) -> bool:
        return self.entries > 0

    def __add__(self, other: Figure) -> Figure:
        return Figure(self.value + other.value, self.entries + other.entries)

    def __sub__(self, other: Figure) -> Figure:
        return Figure(self.value - other.value, self.entries - other.entries)

    def scaled(self, sign: int) -> Figure:
        return Figure(self.value * sign, self.entries)


@dataclass(frozen=True)
class YearFigures:
    """One measure in one year, counted both ways: verified, and reported (verified or not)."""

    year: FinancialYear
    verified: Figure
    reported: Figure

    def on(self, basis: str) -> Figure:
        return self.verified if basis == "verified" else self.reported


@dataclass(frozen=True)
class Component:
    code: str
    name: str
    sign: int


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    current: Decimal
    previous: Decimal
    stated: bool = True
    key: str = ""  # the value as stored on entries ("plumbing"); empty for "Not stated"

    @property
    def change(self) -> Change:
        return Change(self.previous, self.current)


@dataclass(frozen=True)
class Breakdown:
    """A measure's total split by one dimension; rows (with "Not stated") add up to the total."""

    dimension: str
    name: str
    rows: tuple[BreakdownRow, ...]

    @property
    def has_stated_figures(self) -> bool:
        """Whether anything was reported with this breakdown at all (not only "Not stated")."""
        return any(row.stated and (row.current or row.previous) for row in self.rows)


@dataclass(frozen=True)
class TargetStatus:
    """A target against delivery, with the pro-rata expectation and a red/amber/green status.

    `expected` is the target × `share_of_year` (the share of the year's days that had passed on
    the report's date, 1 once the year is over); the status compares delivery with `expected`
    (see reports/targets.py for the thresholds).
    """

    target: Decimal
    delivered: Decimal
    expected: Decimal
    share_of_year: Decimal
    status: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def shortfall(self) -> Decimal:
        """How far delivery is below the pro-rata expectation (zero when on track)."""
        return max(self.expected - self.delivered, ZERO)


STATUS_LABELS = {
    "green": "Green: on track",
    "amber": "Amber: slightly behind",
    "red": "Red: behind",
    "not-due": "Not yet due",
}


@dataclass(frozen=True)
class ContractTarget:
    """One contract's commitment for a measure and year, against its delivery."""

    contract_id: int
    reference: str
    title: str
    framework: str
    status: TargetStatus


@dataclass(frozen=True)
class Commitments:
    """Targets beside delivery. Contract commitments and a target set for the whole scope are
    shown separately and never added together."""

    on_contracts: Decimal | None = None
    contracts_committed: int = 0
    delivered_on_those: Decimal = ZERO
    set_for_scope: Decimal | None = None
    on_contracts_status: TargetStatus | None = None
    scope_status: TargetStatus | None = None
    contracts: tuple[ContractTarget, ...] = ()

    @property
    def any(self) -> bool:
        return self.on_contracts is not None or self.set_for_scope is not None


@dataclass(frozen=True)
class Cumulative:
    """The total since the first year on record, including any labelled opening balance."""

    total: Decimal | None
    first_year: FinancialYear | None
    opening_balance: Decimal | None = None
    opening_covers_until: FinancialYear | None = None
    opening_source: str = ""

    @property
    def available(self) -> bool:
        return self.total is not None


@dataclass(frozen=True)
class LikeForLike:
    """A measure on only the contracts with figures in both years (see AnnualReport)."""

    previous: Decimal
    current: Decimal

    @property
    def change(self) -> Change:
        return Change(self.previous, self.current)


@dataclass(frozen=True)
class MeasureLine:
    code: str
    name: str
    unit: str
    unit_label: str
    is_money: bool
    is_derived: bool
    definition: str
    definition_version: int
    components: tuple[Component, ...]
    current: YearFigures
    previous: YearFigures
    basis: str
    commitments: Commitments
    cumulative: Cumulative | None
    history: tuple[YearFigures, ...]
    breakdowns: tuple[Breakdown, ...]
    narrative_one: str
    narrative_many: str
    like_for_like: LikeForLike | None = None
    provisional: bool = False
    lead_with_like_for_like: bool = False
    missing_parts: tuple[str, ...] = ()

    @property
    def comparable(self) -> bool:
        """Whether a change can be stated: both years have a figure and no part is missing."""
        return self.headline.recorded and self.previous_headline.recorded and not self.missing_parts

    @property
    def headline_change(self) -> Change | None:
        """The change the report leads with: like-for-like (the same contracts both years) in a
        year in progress, the whole scope's once the year is closed; None when not comparable."""
        if not self.comparable:
            return None
        if self.lead_with_like_for_like and self.like_for_like is not None:
            return self.like_for_like.change
        return self.change

    @property
    def change_words(self) -> str:
        """The headline change in words every format shares, never "down 100%" for a year
        with no figure yet."""
        if self.missing_parts:
            missing = "no figure yet for " if self.provisional else "no figure on record for "
            return "incomplete: " + missing + " or ".join(self.missing_parts)
        if not self.headline.recorded:
            return "no figure yet" if self.provisional else "no figure on record"
        if not self.previous_headline.recorded:
            return f"no {self.previous.year.label} figure"
        change = self.headline_change
        words = {
            "up": f"up {change.percent_label[1:]}",
            "down": f"down {change.percent_label[1:]}",
            "new": "up from none",
            "same": "no change",
        }[change.direction]
        if self.lead_with_like_for_like:
            words += " like-for-like"
        return words + (" (provisional)" if self.provisional else "")

    @property
    def headline(self) -> Figure:
        return self.current.on(self.basis)

    @property
    def previous_headline(self) -> Figure:
        return self.previous.on(self.basis)

    @property
    def change(self) -> Change:
        return Change(self.previous_headline.value, self.headline.value)

    @property
    def unverified(self) -> Decimal:
        """Reported this year but not (yet) verified."""
        return self.current.reported.value - self.current.verified.value


@dataclass(frozen=True)
class GroupCell:
    """One measure for one framework, member or supplier; `per_million` is this year's figure
    per £1m of the value of the group's contracts live in the year, `per_million_spent` per £1m
    of the spend recorded on its contracts for periods ending in the year (None without such
    value, or spend)."""

    code: str
    current: Decimal
    previous: Decimal
    per_million: Decimal | None = None
    per_million_spent: Decimal | None = None


@dataclass(frozen=True)
class GroupRow:
    reference: str
    name: str
    cells: tuple[GroupCell, ...]
    contract_value: Decimal = ZERO
    spent: Decimal = ZERO

    def cell(self, code: str) -> GroupCell:
        return next(c for c in self.cells if c.code == code)


@dataclass(frozen=True)
class GroupTable:
    """The headline measures split by framework, member or supplier."""

    by: str
    title: str
    codes: tuple[str, ...]
    rows: tuple[GroupRow, ...]

    def league(self, code: str) -> tuple[GroupRow, ...]:
        """Rows ranked by the measure per £1m of contract value, highest first; rows without
        contract value last. Ties keep the table's (alphabetical) order."""
        ranked = [row for row in self.rows if row.cell(code).per_million is not None]
        unranked = [row for row in self.rows if row.cell(code).per_million is None]
        return (*sorted(ranked, key=lambda row: -row.cell(code).per_million), *unranked)


@dataclass(frozen=True)
class Donation:
    contract: str
    supplier: str
    member: str
    description: str
    kind: str
    amount: Decimal
    verified: bool


@dataclass(frozen=True)
class Donations:
    shown: tuple[Donation, ...]
    omitted: int
    omitted_total: Decimal


@dataclass(frozen=True)
class DeliveredBy:
    """What one subcontractor delivered of a measure this year, across every contract it is
    named on (each figure counted once, on the contract it was delivered on)."""

    organisation: str
    tier: int
    quantity: Decimal


@dataclass(frozen=True)
class SupplyChainLine:
    """A measure's figure this year, and how much of it was delivered through the supply chain
    (by subcontractors rather than the suppliers holding the contracts), and by whom."""

    code: str
    name: str
    unit_label: str
    is_money: bool
    total: Decimal
    through_supply_chain: Decimal
    by: tuple[DeliveredBy, ...]

    @property
    def by_suppliers(self) -> Decimal:
        return self.total - self.through_supply_chain

    @property
    def share(self) -> Decimal | None:
        """The supply chain's share of the figure, as a percentage to one place (half up)."""
        if not self.total:
            return None
        return round_half_up(self.through_supply_chain * 100 / self.total, 1)


@dataclass(frozen=True)
class SupplyChain:
    """The report's figures delivered through the supply chain; empty when none were."""

    lines: tuple[SupplyChainLine, ...] = ()


@dataclass(frozen=True)
class OpeningFigure:
    """A £ social impact figure published before this platform's records, by another method."""

    amount: Decimal
    covers_until: FinancialYear
    source: str


@dataclass(frozen=True)
class Coverage:
    """How much of the scope the figures come from."""

    contracts_live: int
    contracts_reporting: int
    returns_by_status: tuple[tuple[str, int], ...]

    @property
    def returns(self) -> int:
        return sum(n for _status, n in self.returns_by_status)


@dataclass(frozen=True)
class MoneyLine:
    """A counted measure's £ beside its count, on both bases; an unvalued measure says why."""

    code: str
    name: str
    unit_label: str
    valued: bool
    reason: str = ""
    verified: Working | None = None
    reported: Working | None = None
    previous: Working | None = None

    def on(self, basis: str) -> Working | None:
        return self.verified if basis == "verified" else self.reported


@dataclass(frozen=True)
class MoneyTotal:
    """The sum of the measures' £: gross and net, nominal and real, each a range."""

    gross: Band
    net: Band
    real_gross: Band | None
    real_net: Band | None


@dataclass(frozen=True)
class MoneyCommitment:
    """£ committed on contracts against £ delivered on those same contracts (nominal, net)."""

    code: str
    name: str
    committed: Band
    delivered: Band


@dataclass(frozen=True)
class PerPoundRow:
    reference: str
    name: str
    social_value: Band
    contract_value: Decimal

    @property
    def per_pound(self) -> Band | None:
        """£ social value (net, nominal) per £1 of contract value; None without contract value."""
        if not self.contract_value:
            return None
        return self.social_value.rebased(Decimal(1), self.contract_value)


@dataclass(frozen=True)
class PerPoundTable:
    by: str
    title: str
    rows: tuple[PerPoundRow, ...]


@dataclass(frozen=True)
class MoneyRestatement:
    """A year valued under an earlier value set, restated under the one now in force."""

    year: FinancialYear
    before_label: str
    after_label: str
    before: Band
    after: Band
    reason: str
    changed_on: str


@dataclass(frozen=True)
class MoneyCumulative:
    """£ (real, net) since the first year on record, and any opening balance published before."""

    total: Band | None
    first_year: FinancialYear | None
    opening: OpeningFigure | None


@dataclass(frozen=True)
class Money:
    """The report's £ social value, beside its counts, with everything needed to reproduce it."""

    value_set: str
    value_set_code: str
    value_set_version: int
    value_set_description: str
    chosen_on: str
    chosen_reason: str
    price_year: FinancialYear
    deflator_source: str
    basis: str
    lines: tuple[MoneyLine, ...]
    verified: MoneyTotal
    reported: MoneyTotal
    previous_real: Band | None
    commitments: tuple[MoneyCommitment, ...]
    per_pound: tuple[PerPoundTable, ...]
    cumulative: MoneyCumulative
    restatements: tuple[MoneyRestatement, ...]
    problems: tuple[str, ...]

    def total(self, basis: str | None = None) -> MoneyTotal:
        return self.verified if (basis or self.basis) == "verified" else self.reported

    @property
    def valued(self) -> tuple[MoneyLine, ...]:
        return tuple(line for line in self.lines if line.valued)

    @property
    def unvalued(self) -> tuple[MoneyLine, ...]:
        return tuple(line for line in self.lines if not line.valued)

    def line(self, code: str) -> MoneyLine:
        for line in self.lines:
            if line.code == code:
                return line
        raise KeyError(code)


@dataclass(frozen=True)
class DataQuality:
    """The data-quality warnings on the report's figures: how many are open, how many an
    officer has checked, and each in words (naming its contract, measure and year)."""

    open: int = 0
    checked: int = 0
    lines: tuple[str, ...] = ()

    @property
    def words(self) -> str:
        if not self.open and not self.checked:
            return (
                "No figure is out of line with earlier years, the contract's value or its "
                "commitment."
            )
        return (
            f"{self.open} data-quality warning{'s' if self.open != 1 else ''} open, "
            f"{self.checked} checked by an officer."
        )


@dataclass(frozen=True)
class ClaimLine:
    """A figure published elsewhere beside the ledger's own for the same scope, year and
    measure; any difference, however small, is flagged."""

    code: str
    name: str
    claimed: Decimal
    ledger: Decimal | None
    source: str
    claimed_by: str
    is_money: bool = False

    @property
    def difference(self) -> Decimal | None:
        """The ledger's figure less the claimed one; None while the ledger has no figure."""
        return None if self.ledger is None else self.ledger - self.claimed

    @property
    def differs(self) -> bool:
        return self.difference != 0

    def amount(self, value: Decimal | None) -> str:
        return "–" if value is None else format_quantity(value, money=self.is_money)

    @property
    def claimed_words(self) -> str:
        return self.amount(self.claimed)

    @property
    def ledger_words(self) -> str:
        return "no figure yet" if self.ledger is None else self.amount(self.ledger)

    @property
    def difference_words(self) -> str:
        """The gap as the ledger's figure against the claim: "2 more", "0.5 less", "none"."""
        if self.difference is None:
            return "–"
        if not self.difference:
            return "none"
        more = "more" if self.difference > 0 else "less"
        return f"{self.amount(abs(self.difference))} {more} in the ledger"

    @property
    def words(self) -> str:
        amount = self.amount

        claimed = f"{self.name}: {self.claimed_by} claims {amount(self.claimed)} ({self.source})"
        if self.ledger is None:
            return f"{claimed}; the ledger has no figure yet. Differs."
        if not self.differs:
            return f"{claimed}; the ledger agrees ({amount(self.ledger)})."
        more = "more" if self.difference > 0 else "less"
        return (
            f"{claimed}; the ledger says {amount(self.ledger)}, "
            f"{amount(abs(self.difference))} {more}. Differs."
        )


@dataclass(frozen=True)
class AnnualReport:
    provider: str
    scope_kind: str
    scope_label: str
    year: FinancialYear
    previous_year: FinancialYear
    basis: str
    measures: tuple[MeasureLine, ...]
    groups: tuple[GroupTable, ...]
    donations: Donations
    social_impact_opening: OpeningFigure | None
    coverage: Coverage
    restatements: tuple[str, ...]
    money: Money | None = None
    as_of: date | None = None
    like_for_like_contracts: int = 0
    status: YearStatus | None = None
    quality: DataQuality = DataQuality()
    claims: tuple[ClaimLine, ...] = ()
    supply_chain: SupplyChain = SupplyChain()
    spend: SpendSection = field(default_factory=SpendSection)
    carbon: Carbon = field(default_factory=Carbon)

    @property
    def provisional(self) -> bool:
        return self.status is not None and self.status.provisional

    # Each measure's figure split by evidence strength (reports/strength.py StrengthLine).
    strengths: tuple = ()

    def strength(self, code: str):
        """A measure's figure split by evidence strength (reports/strength.py)."""
        return next(line for line in self.strengths if line.code == code)

    def measure(self, code: str) -> MeasureLine:
        for line in self.measures:
            if line.code == code:
                return line
        raise KeyError(code)


@dataclass(frozen=True)
class YearStatus:
    """Whether a report's year is closed (every round closed, every expected return decided)
    or still in progress, with the coverage its figures have so far.

    Until a year is closed every figure and change for it is provisional.
    """

    closed: bool
    returns_verified: int = 0
    returns_submitted: int = 0
    returns_expected: int = 0
    value_in_scope: Decimal = ZERO
    value_covered: Decimal = ZERO
    why_open: tuple[str, ...] = ()

    @property
    def provisional(self) -> bool:
        return not self.closed

    @property
    def label(self) -> str:
        return "closed" if self.closed else "in progress (provisional)"

    @property
    def share_covered(self) -> Decimal | None:
        """The share of in-scope contract value the counted figures come from (0 to 1)."""
        if not self.value_in_scope:
            return None
        return self.value_covered / self.value_in_scope
