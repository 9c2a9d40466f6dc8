"""The data-quality rules: each a function of one figure and what the ledger knows around it,
answering with the words of a warning or None.

A *figure* here is one contract's total for a measure in a financial year, counted from its
entries whatever their return's state (so a supplier sees a warning on a draft before it is
sent). What it is held against is the ledger's reported figures (submitted, queried, resubmitted
or verified): the contract's own year before, the framework's other contracts per £1m of their
value, and the contract's commitment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from socialledger.lib.numbers import ZERO, format_quantity, round_half_up

ONE_MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class Figure:
    """One contract's figure for a measure in a year, and the contract facts the rules need."""

    contract_id: int
    measure_id: int
    financial_year: int
    quantity: Decimal
    money: bool = False
    contract_value: Decimal = ZERO
    framework_id: int = 0
    supplier_id: int = 0

    @property
    def key(self) -> tuple[int, int, int]:
        return self.contract_id, self.measure_id, self.financial_year


@dataclass
class Surroundings:
    """What the rules hold a batch of figures against, read once for the whole batch."""

    earlier: dict[tuple[int, int, int], Decimal] = field(default_factory=dict)
    peer_rates: dict[tuple[int, int, int], list[tuple[int, Decimal]]] = field(default_factory=dict)
    commitments: dict[tuple[int, int, int], Decimal] = field(default_factory=dict)
    # The supplier's figure (all its contracts) and the provider's, by (supplier or 0, measure,
    # year), for a contract with no figure of its own the year before.
    wider_earlier: dict[tuple[int, int, int], Decimal] = field(default_factory=dict)


def _amount(figure: Figure, value: Decimal) -> str:
    return format_quantity(value, money=figure.money)


def _times(ratio: Decimal) -> str:
    return f"{round_half_up(ratio, 1).normalize():f}"


def earlier_years(figure: Figure, around: Surroundings, thresholds) -> str | None:
    """An order-of-magnitude jump or fall against the contract's own figure the year before."""
    before = around.earlier.get((figure.contract_id, figure.measure_id, figure.financial_year - 1))
    if not before or before <= ZERO or figure.quantity <= ZERO:
        return None
    ratio = figure.quantity / before
    factor = thresholds.jump_factor
    if ratio >= factor:
        return (
            f"{_amount(figure, figure.quantity)} is {_times(ratio)} times this contract's figure "
            f"the year before ({_amount(figure, before)})."
        )
    if ratio <= 1 / factor:
        return (
            f"{_amount(figure, figure.quantity)} is under a {_times(factor)}th of this "
            f"contract's figure the year before ({_amount(figure, before)})."
        )
    return None


def wider_years(figure: Figure, around: Surroundings, thresholds) -> str | None:
    """For a contract with no figure the year before: an order-of-magnitude jump against the
    supplier's figure on all its contracts the year before, or, failing that, the provider's."""
    year_before = figure.financial_year - 1
    if around.earlier.get((figure.contract_id, figure.measure_id, year_before)):
        return None  # the contract's own year before is the comparison (earlier_years)
    supplier = around.wider_earlier.get((figure.supplier_id, figure.measure_id, year_before))
    whose, before = (
        ("the supplier's figure on all its contracts", supplier)
        if supplier
        else (
            "the whole provider's figure",
            around.wider_earlier.get((0, figure.measure_id, year_before)),
        )
    )
    if not before or before <= ZERO or figure.quantity <= ZERO:
        return None
    ratio = figure.quantity / before
    if ratio < thresholds.jump_factor:
        return None
    return (
        f"{_amount(figure, figure.quantity)} on one contract is {_times(ratio)} times {whose} "
        f"the year before ({_amount(figure, before)})."
    )


def contract_value(figure: Figure, around: Surroundings, thresholds) -> str | None:
    """Per £1m of the contract's value, far outside the rate of the framework's other
    contracts (this year and the year before)."""
    if not figure.contract_value or figure.quantity <= ZERO:
        return None
    peers = [
        rate
        for year in (figure.financial_year, figure.financial_year - 1)
        for contract_id, rate in around.peer_rates.get(
            (figure.framework_id, figure.measure_id, year), []
        )
        if contract_id != figure.contract_id
    ]
    if len(peers) < thresholds.minimum_peers:
        return None
    typical = Decimal(median(peers))
    if typical <= ZERO:
        return None
    rate = figure.quantity * ONE_MILLION / figure.contract_value
    ratio, factor = rate / typical, thresholds.spread_factor
    if ratio >= factor or ratio <= 1 / factor:
        return (
            f"{_amount(figure, round_half_up(rate, 2))} per £1m of contract value, against a "
            f"typical {_amount(figure, round_half_up(typical, 2))} per £1m on the framework's "
            f"other contracts ({_times(ratio)} times)."
        )
    return None


def commitment(figure: Figure, around: Surroundings, thresholds) -> str | None:
    """Far beyond what the contract committed to for the year."""
    target = around.commitments.get(figure.key)
    if not target or target <= ZERO:
        return None
    ratio = figure.quantity / target
    if ratio >= thresholds.commitment_factor:
        return (
            f"{_amount(figure, figure.quantity)} is {_times(ratio)} times the contract's "
            f"commitment for the year ({_amount(figure, target)})."
        )
    return None


# Each rule's code (stored on a check) and its function, in the order warnings are listed.
RULES: dict[str, tuple[str, Callable]] = {
    "earlier-years": ("Out of line with earlier years", earlier_years),
    "wider-years": ("Out of line with the supplier's or provider's earlier years", wider_years),
    "contract-value": ("Out of line with the contract's value", contract_value),
    "commitment": ("Out of line with the commitment", commitment),
}
