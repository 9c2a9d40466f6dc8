"""The supply chain section of a report in words, data and rows: one source for the page, the
PDF, the workbook, the CSV, the JSON, Markdown and plain text, so that each says the same."""

from __future__ import annotations

from socialledger.lib.numbers import format_quantity
from socialledger.reports.report import AnnualReport, SupplyChainLine

HEADING = "Delivered through the supply chain"
TIER_WORDS = "Tier 1 is the supplier holding the contract; tier 2 its subcontractors, and so on."


def quantity(line: SupplyChainLine, value) -> str:
    return format_quantity(value, money=line.is_money)


def share_words(line: SupplyChainLine) -> str:
    return "no figure yet" if line.share is None else f"{line.share}%"


def sentence(line: SupplyChainLine) -> str:
    """ "Apprenticeships: 12 of 30 (40.0%) delivered through the supply chain." """
    return (
        f"{line.name}: {quantity(line, line.through_supply_chain)} of "
        f"{quantity(line, line.total)} {line.unit_label.lower()} ({share_words(line)}) delivered "
        "through the supply chain"
    )


def firm_words(line: SupplyChainLine) -> list[str]:
    return [
        f"{firm.organisation} (tier {firm.tier}): {quantity(line, firm.quantity)}"
        for firm in line.by
    ]


def supply_chain_data(report: AnnualReport) -> list[dict]:
    """The section as plain data (Decimals as exact strings)."""
    return [
        {
            "measure": line.code,
            "name": line.name,
            "total": str(line.total),
            "by_suppliers": str(line.by_suppliers),
            "through_supply_chain": str(line.through_supply_chain),
            "share_percent": None if line.share is None else str(line.share),
            "by": [
                {"organisation": f.organisation, "tier": f.tier, "quantity": str(f.quantity)}
                for f in line.by
            ],
        }
        for line in report.supply_chain.lines
    ]


def supply_chain_rows(report: AnnualReport, unit_of):
    """CSV rows (as the report's long table): the supply chain's part of each figure, then each
    subcontractor's, its tier in the split-by column."""
    for line in report.supply_chain.lines:
        head = [line.code, line.name, unit_of(line.code)]
        year = report.year.label
        yield ["supply-chain", *head, year, report.basis, "", "", line.through_supply_chain, ""]
        for firm in line.by:
            yield [
                "supply-chain",
                *head,
                year,
                report.basis,
                f"tier {firm.tier}",
                firm.organisation,
                firm.quantity,
                "",
            ]


def text_lines(report: AnnualReport) -> list[str]:
    """The section as indented plain-text lines, with its heading; none if nothing was
    delivered through the supply chain."""
    if not report.supply_chain.lines:
        return []
    parts = ["", f"{HEADING}:"]
    for line in report.supply_chain.lines:
        parts.append(f"  {sentence(line)}.")
        parts += [f"    {words}" for words in firm_words(line)]
    parts.append(f"  {TIER_WORDS}")
    return parts


def markdown_lines(report: AnnualReport) -> list[str]:
    if not report.supply_chain.lines:
        return []
    parts = ["", f"## {HEADING}", ""]
    for line in report.supply_chain.lines:
        parts.append(f"- {sentence(line)}.")
        parts += [f"  - {words}" for words in firm_words(line)]
    return [*parts, "", TIER_WORDS]
