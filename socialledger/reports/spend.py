"""Where the money went: spend with local firms, small and medium-sized firms and VCSEs as
ratios of all spend in the returns, classed from the register, additional spend apart from
business as usual. One source for every format.

Each class's ratio adds pounds across contracts and only then divides, so a small contract's
high share cannot weigh as much as a large contract's low one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from socialledger.lib.numbers import ZERO, format_quantity
from socialledger.lib.ratios import Ratio
from socialledger.organisations.classification import CLASSES, NAMES, RULES, classify

HEADING = "Where the money was spent"
BUSINESS_AS_USUAL_WORDS = (
    "Business as usual is spend the supplier says it would have made anyway; it is shown beside "
    "the headline share, never in it."
)


@dataclass(frozen=True)
class SpendClassLine:
    """Spend with one class of firm: the additional part as a share of all spend, business as
    usual apart, and what the register could not class."""

    kind: str
    name: str
    rule: str
    additional: Ratio
    business_as_usual: Ratio
    unclassified: Decimal


@dataclass(frozen=True)
class SpendSection:
    """The year's spend lines in the scope; empty when no return has any."""

    total: Decimal = ZERO
    lines: tuple[SpendClassLine, ...] = ()


def spend_section(scope, start_year: int, basis: str) -> SpendSection:
    """Each class's spend this year, from the spend lines of returns counted on the basis."""
    from socialledger.returns.models import SpendLine

    spend = (
        SpendLine.objects.filter(contract__in=scope.contracts())
        .in_year(start_year)
        .counted_as(basis)
        .select_related("paid", "contract__member")
    )
    spend = list(spend)
    if not spend:
        return SpendSection()
    total = sum((line.amount for line in spend), ZERO)
    lines = tuple(_class_line(kind, spend, total) for kind in CLASSES)
    return SpendSection(total=total, lines=lines)


def _class_line(kind: str, spend: list, total: Decimal) -> SpendClassLine:
    additional = business_as_usual = unclassified = ZERO
    for line in spend:
        found = classify(line.paid, line.contract.member)
        if not found.knows(kind):
            unclassified += line.amount
        elif found.is_(kind) and line.is_additional:
            additional += line.amount
        elif found.is_(kind):
            business_as_usual += line.amount
    return SpendClassLine(
        kind=kind,
        name=NAMES[kind],
        rule=RULES[kind],
        additional=Ratio(additional, total),
        business_as_usual=Ratio(business_as_usual, total),
        unclassified=unclassified,
    )


def _pounds(value: Decimal) -> str:
    return format_quantity(value, money=True)


def _share(ratio: Ratio) -> str:
    return "no spend yet" if ratio.percent is None else f"{ratio.percent}%"


def sentence(line: SpendClassLine) -> str:
    """ "Spend with local firms: £40,000 of £100,000 (40.0%) additional; £5,000 (5.0%) business as
    usual." """
    words = (
        f"{line.name}: {_pounds(line.additional.numerator)} of "
        f"{_pounds(line.additional.denominator)} ({_share(line.additional)}) additional; "
        f"{_pounds(line.business_as_usual.numerator)} ({_share(line.business_as_usual)}) "
        "business as usual"
    )
    if line.unclassified:
        words += f"; {_pounds(line.unclassified)} with firms the register cannot yet class"
    return words


def spend_data(section: SpendSection) -> dict:
    """The section as plain data (Decimals as exact strings)."""
    return {
        "total": str(section.total),
        "classes": [
            {
                "class": line.kind,
                "name": line.name,
                "rule": line.rule,
                "additional": str(line.additional.numerator),
                "business_as_usual": str(line.business_as_usual.numerator),
                "all_spend": str(line.additional.denominator),
                "additional_percent": _percent_text(line.additional),
                "business_as_usual_percent": _percent_text(line.business_as_usual),
                "unclassified": str(line.unclassified),
            }
            for line in section.lines
        ],
    }


def _percent_text(ratio: Ratio) -> str | None:
    return None if ratio.percent is None else str(ratio.percent)


def text_lines(section: SpendSection) -> list[str]:
    """Indented plain-text lines with the heading; none without spend lines."""
    if not section.lines:
        return []
    parts = ["", f"{HEADING} (of {_pounds(section.total)} in the returns' spend lines):"]
    for line in section.lines:
        parts += [f"  {sentence(line)}.", f"    {line.rule}"]
    return [*parts, f"  {BUSINESS_AS_USUAL_WORDS}"]


def markdown_lines(section: SpendSection) -> list[str]:
    if not section.lines:
        return []
    parts = ["", f"## {HEADING}", "", f"Of {_pounds(section.total)} in the returns' spend lines:"]
    parts.append("")
    for line in section.lines:
        parts += [f"- {sentence(line)}.", f"  - {line.rule}"]
    return [*parts, "", BUSINESS_AS_USUAL_WORDS]


def csv_rows(section: SpendSection, year: str, basis: str):
    """CSV rows (as the report's long table): each class's additional, business-as-usual and
    unclassed pounds, and all the spend they are shares of."""
    for line in section.lines:
        head = ["spend", line.kind, line.name, "gbp", year, basis]
        yield [*head, "", "all spend", line.additional.denominator, ""]
        yield [*head, "additionality", "additional", line.additional.numerator, ""]
        yield [*head, "additionality", "business as usual", line.business_as_usual.numerator, ""]
        yield [*head, "register", "not yet classed", line.unclassified, ""]
