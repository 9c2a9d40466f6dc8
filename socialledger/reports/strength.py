"""How sure each figure is: a report's totals split by evidence strength, with a sentence each.

The split is a `tally` of the same entries as the figure, grouped further by the strength
`verification.strength.with_strength` derives, so its parts add up to the figure. Every format
reads it from `AnnualReport.strengths`; none works it out again.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from socialledger.lib.numbers import ZERO, format_quantity
from socialledger.lib.periods import FinancialYear
from socialledger.reports.report import Figure, MeasureLine
from socialledger.reports.scopes import Scope, scope_text
from socialledger.reports.tally import tally_split, with_derived
from socialledger.verification.strength import SLUGS, STRONGEST_FIRST, Strength, with_strength

# What a part is called in a sentence ("198 on the supplier's statement").
PHRASES = {
    Strength.CONFIRMED: "confirmed by a third party",
    Strength.CHECKED: "checked in a sample",
    Strength.DOCUMENT: "backed by a document",
    Strength.STATEMENT: "on the supplier's statement",
    Strength.NONE: "not borne out by a check",
}


@dataclass(frozen=True)
class StrengthPart:
    """The part of a figure backed at one strength; `counted` if it counts towards the headline
    under the provider's minimum."""

    strength: int
    figure: Figure
    counted: bool

    @property
    def slug(self) -> str:
        return SLUGS[Strength(self.strength)]

    @property
    def label(self) -> str:
        return Strength(self.strength).label

    @property
    def phrase(self) -> str:
        return PHRASES[Strength(self.strength)]


@dataclass(frozen=True)
class StrengthLine:
    """One measure's figure this year, split by strength (strongest first; parts add up to it)."""

    code: str
    name: str
    unit_label: str
    is_money: bool
    total: Figure
    parts: tuple[StrengthPart, ...]
    minimum: int
    year_label: str = ""
    basis: str = "verified"
    scope_text: str = ""  # as in a report address ("framework:DEC"); empty for the provider

    @property
    def reference(self) -> str:
        """The short reference printed beside the figure: year, measure and basis."""
        return f"{self.year_label}/{self.code}/{self.basis}"

    @property
    def history_path(self) -> str:
        """The address of the figure's history page (for those who may see it)."""
        path = reverse("figure-history", args=[self.year_label, self.code, self.basis])
        return f"{path}?{urlencode({'scope': self.scope_text})}" if self.scope_text else path

    @property
    def history_url(self) -> str:
        return f"{settings.BASE_URL}{self.history_path}"

    @property
    def minimum_label(self) -> str:
        return Strength(self.minimum).label

    def part(self, slug: str) -> StrengthPart:
        return next(p for p in self.parts if p.slug == slug)

    @property
    def summary(self) -> str:
        """One sentence: the figure and each non-empty part, and what falls below the minimum."""
        if not self.total.recorded:
            return f"{self.name}: no figure yet."
        said = ", ".join(
            f"{self._amount(p.figure.value)} {p.phrase}"
            for p in self.parts
            if p.figure.entries or p.figure.value
        )
        # Money reads "£803,741", not "£803,741 £"; counts carry their unit ("356 people").
        unit = "" if self.is_money else f" {self.unit_label}"
        text = f"{self.name}, {self._amount(self.total.value)}{unit}: {said}."
        below = self.total.value - self.counted_value
        if below:
            text += (
                f" {self._amount(below)} fall below the minimum strength counted towards a"
                f" published headline ({self.minimum_label.lower()}): shown, not counted."
            )
        return text

    @property
    def counted_value(self):
        """What counts towards a published headline: the parts at or above the minimum."""
        return sum((p.figure.value for p in self.parts if p.counted), ZERO)

    def _amount(self, value) -> str:
        return format_quantity(value, money=self.is_money)


def strength_lines(
    scope: Scope,
    year: FinancialYear,
    basis: str,
    measures: list,
    lines: tuple[MeasureLine, ...],
    *,
    visible=None,
) -> tuple[StrengthLine, ...]:
    """Every measure's figure for the year on `basis`, split by evidence strength."""
    entries = scope.entries().in_years(year.start_year)
    if visible is not None:
        entries = entries & visible
    sums = with_derived(
        tally_split(with_strength(entries), ["measure_id"], "strength", measures), measures
    )
    minimum = scope.provider.headline_minimum_strength
    by_code = {measure.code: measure for measure in measures}
    where = (year.label, basis, scope_text(scope))
    return tuple(_line(line, by_code[line.code].pk, sums, minimum, where) for line in lines)


def _line(line: MeasureLine, measure_id: int, sums, minimum: int, where) -> StrengthLine:
    basis = where[1]
    parts = tuple(
        StrengthPart(
            int(strength),
            sums.get((measure_id, int(strength), basis), Figure()),
            strength >= minimum,
        )
        for strength in STRONGEST_FIRST
    )
    return StrengthLine(
        line.code,
        line.name,
        line.unit_label,
        line.is_money,
        line.current.on(basis),
        parts,
        minimum,
        *where,
    )


def shown_parts(line: StrengthLine, suppression=None) -> list[tuple[StrengthPart, str]]:
    """Each part with its amount as a published page may show it: the report's small-number
    rule (reports/suppression.py) applied to the parts of one figure, so no hidden part can be
    worked out from the figure and the others."""
    texts = {p.strength: format_quantity(p.figure.value, money=line.is_money) for p in line.parts}
    if suppression is None:
        return [(p, texts[p.strength]) for p in line.parts]
    threshold = suppression.threshold
    if suppression.hides("headline", line.code, "current"):
        return [(p, "suppressed" if p.figure.value else texts[p.strength]) for p in line.parts]
    small = {
        p.strength for p in line.parts if not line.is_money and ZERO < p.figure.value < threshold
    }
    hidden = dict.fromkeys(small, f"fewer than {threshold}")
    if len(small) == 1:
        others = [(p.figure.value, p.strength) for p in line.parts if p.strength not in small]
        others = [pair for pair in others if pair[0]]
        if others:
            hidden[min(others)[1]] = "suppressed"
    return [(p, hidden.get(p.strength, texts[p.strength])) for p in line.parts]
