"""Renderers: the one annual report object as plain text, Markdown, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

from socialledger.lib.csvsafe import safe_cell
from socialledger.lib.numbers import format_quantity, round_half_up
from socialledger.reports import carbon, spend, supply_chain
from socialledger.reports.comparisons import per_million_shown
from socialledger.reports.narrative import amount, narrative
from socialledger.reports.report import (
    AnnualReport,
    Cumulative,
    Figure,
    MeasureLine,
    YearFigures,
)
from socialledger.reports.working import band_data, money_data, money_lines
from socialledger.reports.years import coverage_words, status_words

FORMATS = ("text", "markdown", "json", "csv")
BASIS_WORDS = {
    "verified": "Verified figures: only returns a provider officer has verified are counted.",
    "reported": "Reported figures: every submitted return is counted, verified or not.",
}


def render(report: AnnualReport, fmt: str) -> str:
    """The report in one of FORMATS."""
    renderer = {
        "text": render_text,
        "markdown": render_markdown,
        "json": render_json,
        "csv": render_csv,
    }
    return renderer[fmt](report)


_MARKUP_CHARACTERS = re.compile(r"[<>]|&(?=#?\w+;)")
_ESCAPED = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def without_markup(text: str) -> str:
    """Text typed by suppliers and officers with any HTML in it made harmless: a Markdown viewer
    (or a browser shown the text) prints it instead of running it. The report's own words use
    none of these characters."""
    return _MARKUP_CHARACTERS.sub(lambda found: _ESCAPED[found.group()], text)


def title(report: AnnualReport) -> str:
    scope = "" if report.scope_kind == "provider" else f" ({report.scope_kind})"
    return f"Social value report {report.year.label}: {report.scope_label}{scope}"


# --- JSON -------------------------------------------------------------------------------------


def report_data(report: AnnualReport) -> dict:
    """The report as plain data: Decimals as exact strings, years as labels."""
    return {
        "title": title(report),
        "provider": report.provider,
        "scope": {"kind": report.scope_kind, "label": report.scope_label},
        "year": report.year.label,
        "previous_year": report.previous_year.label,
        "basis": report.basis,
        "year_status": _status_data(report),
        "like_for_like_contracts": report.like_for_like_contracts,
        "measures": [_measure_data(line) for line in report.measures],
        "groups": [
            {
                "by": table.by,
                "title": table.title,
                "rows": [
                    {
                        "reference": row.reference,
                        "name": row.name,
                        "contract_value": str(row.contract_value),
                        "spent": str(row.spent),
                        "figures": {
                            cell.code: {
                                "current": str(cell.current),
                                "previous": str(cell.previous),
                                "per_million_of_contract_value": _optional(
                                    per_million_shown(cell.per_million)
                                ),
                                "per_million_spent": _optional(
                                    per_million_shown(cell.per_million_spent)
                                ),
                            }
                            for cell in row.cells
                        },
                    }
                    for row in table.rows
                ],
            }
            for table in report.groups
        ],
        "donations": {
            "listed": [
                {
                    "contract": d.contract,
                    "supplier": d.supplier,
                    "member": d.member,
                    "description": d.description,
                    "kind": d.kind,
                    "amount": str(d.amount),
                    "verified": d.verified,
                }
                for d in report.donations.shown
            ],
            "not_listed": report.donations.omitted,
            "not_listed_total": str(report.donations.omitted_total),
        },
        "supply_chain": supply_chain.supply_chain_data(report),
        "spend": spend.spend_data(report.spend),
        "carbon": carbon.carbon_data(report.carbon),
        "social_impact_opening": _social_impact_data(report),
        "coverage": {
            "contracts_live": report.coverage.contracts_live,
            "contracts_reporting": report.coverage.contracts_reporting,
            "returns_by_status": dict(report.coverage.returns_by_status),
        },
        "restatements": list(report.restatements),
        "money": money_data(report),
        "narrative": narrative(report),
        "evidence_strength": strength_data(report),
        "data_quality": {
            "open": report.quality.open,
            "checked": report.quality.checked,
            "words": report.quality.words,
            "warnings": list(report.quality.lines),
        },
        "claims": [_claim_data(claim) for claim in report.claims],
    }


def _claim_data(claim) -> dict:
    """A figure claimed elsewhere beside the ledger's: exact strings, the difference flagged."""
    return {
        "measure": claim.code,
        "name": claim.name,
        "claimed": str(claim.claimed),
        "ledger": _optional(claim.ledger),
        "difference": _optional(claim.difference),
        "differs": claim.differs,
        "source": claim.source,
        "claimed_by": claim.claimed_by,
        "words": claim.words,
    }


def strength_data(report: AnnualReport) -> list[dict]:
    """Each measure's figure split by evidence strength, with its history's reference and
    address (reports/strength.py)."""
    return [
        {
            "measure": line.code,
            "total": _figure_data(line.total),
            "parts": [
                {
                    "strength": part.slug,
                    "label": part.label,
                    **_figure_data(part.figure),
                    "counts_towards_headline": part.counted,
                }
                for part in line.parts
            ],
            "minimum_for_headline": line.minimum_label,
            "counted_towards_headline": str(line.counted_value),
            "summary": line.summary,
            "reference": line.reference,
            "history_url": line.history_url,
        }
        for line in report.strengths
    ]


def render_json(report: AnnualReport) -> str:
    return json.dumps(report_data(report), indent=2, ensure_ascii=False) + "\n"


def _status_data(report: AnnualReport) -> dict | None:
    status = report.status
    if status is None:
        return None
    share = status.share_covered
    return {
        "closed": status.closed,
        "provisional": status.provisional,
        "why_open": list(status.why_open),
        "returns_verified": status.returns_verified,
        "returns_submitted": status.returns_submitted,
        "returns_expected": status.returns_expected,
        "contract_value_in_scope": str(status.value_in_scope),
        "contract_value_covered": str(status.value_covered),
        "share_covered": None if share is None else str(share),
        "words": status_lines(report),
    }


def _change_data(change) -> dict | None:
    if change is None:
        return None
    return {
        "absolute": str(change.absolute),
        "percent": None if change.percent is None else str(change.percent),
        "label": change.percent_label,
        "direction": change.direction,
    }


def _figure_data(figure: Figure) -> dict:
    return {"value": str(figure.value), "entries": figure.entries}


def _year_data(figures: YearFigures) -> dict:
    return {
        "year": figures.year.label,
        "verified": _figure_data(figures.verified),
        "reported": _figure_data(figures.reported),
    }


def _measure_data(line: MeasureLine) -> dict:
    change = line.change
    commitments = line.commitments
    return {
        "code": line.code,
        "name": line.name,
        "unit": line.unit,
        "derived": line.is_derived,
        "components": [{"code": c.code, "sign": c.sign} for c in line.components],
        "definition_version": line.definition_version,
        "current": _year_data(line.current),
        "previous": _year_data(line.previous),
        "change": _change_data(change),
        "provisional": line.provisional,
        "comparable": line.comparable,
        "change_words": line.change_words,
        "missing_parts": list(line.missing_parts),
        "like_for_like": None
        if line.like_for_like is None
        else {
            "previous": str(line.like_for_like.previous),
            "current": str(line.like_for_like.current),
            "change": _change_data(line.like_for_like.change),
            "leads": line.lead_with_like_for_like,
        },
        "commitments": None
        if not commitments.any
        else {
            "on_contracts": _optional(commitments.on_contracts),
            "contracts_committed": commitments.contracts_committed,
            "delivered_on_those": str(commitments.delivered_on_those),
            "set_for_scope": _optional(commitments.set_for_scope),
            "on_contracts_status": _target_data(commitments.on_contracts_status),
            "scope_status": _target_data(commitments.scope_status),
        },
        "cumulative": _cumulative_data(line.cumulative),
        "history": [_year_data(figures) for figures in line.history],
        "breakdowns": [
            {
                "dimension": b.dimension,
                "name": b.name,
                "rows": [
                    {"label": r.label, "current": str(r.current), "previous": str(r.previous)}
                    for r in b.rows
                ],
            }
            for b in line.breakdowns
        ],
    }


def _target_data(status) -> dict | None:
    """A target's delivery: % of the target delivered and its red/amber/green status."""
    if status is None:
        return None
    return {
        "target": str(status.target),
        "expected": str(status.expected),
        "delivered": str(status.delivered),
        "percent_delivered": None
        if not status.target
        else str(status.delivered * 100 / status.target),
        "status": status.status,
        "status_label": status.label,
    }


def _cumulative_data(cumulative: Cumulative | None) -> dict | None:
    if cumulative is None:
        return None
    return {
        "total": _optional(cumulative.total),
        "first_year_on_record": cumulative.first_year.label if cumulative.first_year else None,
        "opening_balance": _optional(cumulative.opening_balance),
        "opening_covers_until": cumulative.opening_covers_until.label
        if cumulative.opening_covers_until
        else None,
        "opening_source": cumulative.opening_source,
    }


def _social_impact_data(report: AnnualReport) -> dict | None:
    opening = report.social_impact_opening
    if opening is None:
        return None
    return {
        "amount": str(opening.amount),
        "covers_until": opening.covers_until.label,
        "source": opening.source,
    }


def _optional(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --- CSV --------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "section",
    "measure",
    "measure_name",
    "unit",
    "year",
    "state",
    "split_by",
    "group",
    "value",
    "entries",
]


def render_csv(report: AnnualReport) -> str:
    """Every figure of the report as one long table, one figure per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(report):
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def csv_rows(report: AnnualReport):
    """Rows of CSV_COLUMNS: the year's state, totals by year and state, changes, breakdowns,
    targets delivered, groups, cumulative totals."""
    yield from _status_rows(report)
    yield from _quality_rows(report)
    yield from _claim_rows(report)
    for line in report.measures:
        head = [line.code, line.name, line.unit]
        for figures in line.history or (line.previous, line.current):
            for state in ("verified", "reported"):
                figure = figures.on(state)
                yield [
                    "total",
                    *head,
                    figures.year.label,
                    state,
                    "",
                    "",
                    figure.value,
                    figure.entries,
                ]
        for breakdown in line.breakdowns:
            for row in breakdown.rows:
                for year, value in (
                    (line.current.year, row.current),
                    (line.previous.year, row.previous),
                ):
                    yield [
                        "breakdown",
                        *head,
                        year.label,
                        report.basis,
                        breakdown.dimension,
                        row.label,
                        value,
                        "",
                    ]
        if line.cumulative and line.cumulative.available:
            yield [
                "cumulative",
                *head,
                report.year.label,
                report.basis,
                "",
                "",
                line.cumulative.total,
                "",
            ]
        yield from _comparison_rows(report, line, head)
        if line.commitments.on_contracts is not None:
            yield [
                "committed",
                *head,
                report.year.label,
                "",
                "contracts",
                "",
                line.commitments.on_contracts,
                "",
            ]
    units = {line.code: line.unit for line in report.measures}
    yield from supply_chain.supply_chain_rows(report, units.get)
    yield from spend.csv_rows(report.spend, report.year.label, report.basis)
    yield from carbon.csv_rows(report.carbon, report.year.label)
    yield from _money_rows(report)
    yield from strength_rows(report)
    codes = {line.code: line for line in report.measures}
    for table in report.groups:
        for group in table.rows:
            for cell in group.cells:
                line = codes[cell.code]
                head = [line.code, line.name, line.unit]
                where = [report.year.label, report.basis, table.by, group.name]
                yield ["group", *head, *where, cell.current, ""]
                for section, rate in (
                    ("group-per-million-value", cell.per_million),
                    ("group-per-million-spent", cell.per_million_spent),
                ):
                    yield [section, *head, *where, _optional(per_million_shown(rate)) or "", ""]
            where = [report.year.label, "", table.by, group.name]
            yield ["group-contract-value", "", "", "£", *where, group.contract_value, ""]
            yield ["group-spent", "", "", "£", *where, group.spent, ""]


def _status_rows(report: AnnualReport):
    """The year's state and coverage: closed (1) or in progress (0), returns and £ covered."""
    status = report.status
    if status is None:
        return
    for what, value in (
        ("closed", int(status.closed)),
        ("returns_verified", status.returns_verified),
        ("returns_submitted", status.returns_submitted),
        ("returns_expected", status.returns_expected),
        ("contract_value_in_scope", status.value_in_scope),
        ("contract_value_covered", status.value_covered),
    ):
        yield ["year-status", "", "", "", report.year.label, report.basis, what, "", value, ""]


def _quality_rows(report: AnnualReport):
    """The data-quality warnings: how many open and how many checked."""
    for what, value in (("open", report.quality.open), ("checked", report.quality.checked)):
        yield ["data-quality", "", "", "", report.year.label, report.basis, what, "", value, ""]


def _claim_rows(report: AnnualReport):
    """Each claimed figure: the claim, the ledger's figure and the difference (empty while the
    ledger has none), grouped by who claims it."""
    for claim in report.claims:
        head = ["claim", claim.code, claim.name, "", report.year.label, report.basis]
        for what, value in (
            ("claimed", claim.claimed),
            ("ledger", claim.ledger),
            ("difference", claim.difference),
        ):
            yield [*head, what, claim.claimed_by, "" if value is None else value, ""]


def _comparison_rows(report: AnnualReport, line: MeasureLine, head: list):
    """Like-for-like figures, the change (provisional or final, or why there is none) and each
    target's share delivered with its red/amber/green status."""
    final = "provisional" if line.provisional else "final"
    if line.like_for_like is not None:
        for year, value in (
            (line.previous.year, line.like_for_like.previous),
            (line.current.year, line.like_for_like.current),
        ):
            yield ["like-for-like", *head, year.label, report.basis, "", "", value, ""]
    where = [report.year.label, report.basis]
    if not line.comparable:
        yield ["change", *head, *where, "none", line.change_words, "", ""]
    else:
        # The exact change in percent (a label such as "+20%" would be neutralised as a formula).
        yield ["change", *head, *where, "whole", final, line.change.percent or "", ""]
        if line.like_for_like is not None:
            percent = line.like_for_like.change.percent
            yield ["change", *head, *where, "like-for-like", final, percent or "", ""]
    for split, status in (
        ("contracts", line.commitments.on_contracts_status),
        ("scope", line.commitments.scope_status),
    ):
        if status is not None:
            share = status.delivered * 100 / status.target if status.target else ""
            where = [report.year.label, report.basis, split, status.label]
            yield ["delivered", *head, *where, share, ""]


def strength_rows(report: AnnualReport):
    """A row for each part of each measure's figure by evidence strength."""
    units = {line.code: line.unit for line in report.measures}
    for line in report.strengths:
        for part in line.parts:
            yield [
                "strength",
                line.code,
                line.name,
                units[line.code],
                report.year.label,
                line.basis,
                "strength",
                part.slug,
                part.figure.value,
                part.figure.entries,
            ]


def _money_rows(report: AnnualReport):
    """£ rows: each valued measure's and the total's low, central and high, gross and net,
    nominal and real; a row for each measure counted but not monetised."""
    money = report.money
    if money is None:
        return
    real = f"real {money.price_year.label} prices"
    for line in money.lines:
        head = [line.code, line.name, "gbp", report.year.label]
        if not line.valued:
            yield ["not-monetised", *head, "", "", "", "", ""]
            continue
        for state in ("verified", "reported"):
            w = line.on(state)
            for split, band in (
                ("gross nominal", w.nominal_gross),
                ("net nominal", w.nominal),
                (f"gross {real}", w.real_gross),
                (f"net {real}", w.real),
            ):
                for bound, value in (band_data(band) or {}).items():
                    yield ["money", *head, state, split, bound, value, ""]
    for state in ("verified", "reported"):
        totals = money.total(state)
        for split, band in (
            ("gross nominal", totals.gross),
            ("net nominal", totals.net),
            (f"gross {real}", totals.real_gross),
            (f"net {real}", totals.real_net),
        ):
            for bound, value in (band_data(band) or {}).items():
                yield [
                    "money",
                    "total",
                    "Social value (£)",
                    "gbp",
                    report.year.label,
                    state,
                    split,
                    bound,
                    value,
                    "",
                ]


# --- Text -------------------------------------------------------------------------------------


def render_text(report: AnnualReport) -> str:
    """A terminal-friendly report: one table of every measure, then notes."""
    heading = title(report)
    parts = [heading, "=" * len(heading), *status_lines(report), BASIS_WORDS[report.basis]]
    parts += [verification_note(report), ""]
    parts += _table(_headline_rows(report))
    parts += ["", *_derived_notes(report), *_cumulative_notes(report), *_commitment_notes(report)]
    parts += _donation_notes(report)
    parts += supply_chain.text_lines(report)
    parts += spend.text_lines(report.spend)
    parts += carbon.text_lines(report.carbon)
    parts += ["", "Social value in £ (beside the counts, never instead of them):"]
    parts += [f"  {line}" for line in money_lines(report)]
    parts += _coverage_notes(report)
    for table in report.groups:
        if table.rows:
            heading = f"{table.title} ({report.year.label}), {RATES_HEADING.lower()}:"
            parts += ["", heading, *_table(rate_rows(report, table))]
    if report.restatements:
        parts += ["", "Restatements:", *[f"  {note}" for note in report.restatements]]
    parts += ["", f"{STRENGTH_HEADING}:", *[f"  {line}" for line in strength_summaries(report)]]
    parts += ["", f"{QUALITY_HEADING}:", *[f"  {line}" for line in quality_lines(report)]]
    if report.claims:
        parts += ["", f"{CLAIMS_HEADING}:", *[f"  {claim.words}" for claim in report.claims]]
    return without_markup("\n".join(parts).rstrip() + "\n")


STRENGTH_HEADING = "How sure each figure is"
QUALITY_HEADING = "Data quality"
CLAIMS_HEADING = "Figures claimed elsewhere, beside the ledger's"


def quality_lines(report: AnnualReport) -> list[str]:
    """The data-quality section: open and checked warnings, then each warning."""
    return [report.quality.words, *report.quality.lines]


def strength_summaries(report: AnnualReport) -> list[str]:
    """One sentence per measure with a figure: its parts by evidence strength, and its
    history's reference."""
    return [
        f"{line.summary} (Ref. {line.reference})"
        for line in report.strengths
        if line.total.recorded
    ]


def _headline_rows(report: AnnualReport) -> list[list[str]]:
    """Measure, this year, last year, change; plus what is reported but not yet verified, when
    any is."""
    unverified = report.basis == "verified" and any(line.unverified for line in report.measures)
    rows = [["Measure", report.year.label, report.previous_year.label, "Change"]]
    if unverified:
        rows[0].append("Not yet verified")
    for line in report.measures:
        row = [
            f"{line.name} ({line.unit_label})",
            _shown(line, line.headline),
            _shown(line, line.previous_headline),
            _change_cell(line),
        ]
        if unverified:
            row.append(amount(line, line.unverified) if line.unverified else "")
        rows.append(row)
    return rows


def _change_cell(line: MeasureLine) -> str:
    """The whole scope's change, marked provisional in a year in progress; a like-for-like
    lead, a missing figure or a missing part in words."""
    if not line.comparable:
        previous_only = line.headline.recorded and not line.missing_parts
        return "n/a" if previous_only else line.change_words
    label = line.change.percent_label
    if line.lead_with_like_for_like:
        label += f" (like-for-like {line.headline_change.percent_label})"
    return label + (" provisional" if line.provisional else "")


def status_lines(report: AnnualReport) -> list[str]:
    """Whether the year is closed or in progress, and its coverage: the top of every format."""
    if report.status is None:
        return []
    return [status_words(report.status, report.year), "Coverage: " + coverage_words(report.status)]


def verification_note(report: AnnualReport) -> str:
    """Say plainly whether every reported figure is verified."""
    if report.basis != "verified":
        return ""
    if any(line.unverified for line in report.measures):
        return f"Some {report.year.label} figures are reported but not yet verified (last column)."
    if any(line.current.reported.recorded for line in report.measures):
        return f"Every figure reported for {report.year.label} has been verified."
    return f"No figures have been reported for {report.year.label}."


def _shown(line: MeasureLine, figure: Figure) -> str:
    return amount(line, figure.value) if figure.recorded else "–"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)
        ]
        out.append("  ".join(cells).rstrip())
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def _derived_notes(report: AnnualReport) -> list[str]:
    notes = []
    for line in report.measures:
        if line.components:
            formula = " ".join(("+ " if c.sign > 0 else "- ") + c.name for c in line.components)
            notes.append(f"{line.name} = {formula.removeprefix('+ ')}")
    return notes


def _cumulative_notes(report: AnnualReport) -> list[str]:
    notes = []
    for line in report.measures:
        cumulative = line.cumulative
        if cumulative is None or (
            cumulative.first_year is None and cumulative.opening_balance is None
        ):
            continue
        notes.append(f"{line.name}: {_cumulative_words(line, cumulative)}")
    if report.social_impact_opening:
        opening = report.social_impact_opening
        notes.append(
            f"Social impact up to {opening.covers_until.label}, as previously reported: "
            f"{format_quantity(opening.amount, money=True)} (opening balance; {opening.source})"
        )
    heading = f"Cumulative totals to {report.year.label}:"
    return ["", heading, *[f"  {note}" for note in notes]] if notes else []


def _cumulative_words(line: MeasureLine, cumulative: Cumulative) -> str:
    if not cumulative.available:
        return f"not available before {cumulative.opening_covers_until.label} (opening balance)"
    words = amount(line, cumulative.total)
    if cumulative.opening_balance is not None:
        words += (
            f", including an opening balance of {amount(line, cumulative.opening_balance)} "
            f"up to {cumulative.opening_covers_until.label} ({cumulative.opening_source})"
        )
    elif cumulative.first_year:
        words += f" since {cumulative.first_year.label}, the first year on record"
    return words


def _commitment_notes(report: AnnualReport) -> list[str]:
    notes = []
    for line in report.measures:
        c = line.commitments
        if c.on_contracts is not None:
            contracts = "contract" if c.contracts_committed == 1 else "contracts"
            notes.append(
                f"{line.name}: {amount(line, c.on_contracts)} committed on "
                f"{c.contracts_committed} {contracts}; {amount(line, c.delivered_on_those)} "
                f"delivered on those {contracts}" + target_words(line, c.on_contracts_status)
            )
        if c.set_for_scope is not None:
            notes.append(
                f"{line.name}: a target of {amount(line, c.set_for_scope)} for "
                f"{report.scope_label} as a whole; {amount(line, line.headline.value)} delivered"
                + target_words(line, c.scope_status)
            )
    return (
        ["", "Commitments for " + report.year.label + ":", *[f"  {n}" for n in notes]]
        if notes
        else []
    )


def target_words(line: MeasureLine, status) -> str:
    """ " (43% of the target; 60 expected by now; Amber: slightly behind)", or nothing."""
    if status is None:
        return ""
    share = (
        f"{round_half_up(status.delivered * 100 / status.target):,}% of the target"
        if status.target
        else "no target quantity"
    )
    return f" ({share}; {amount(line, status.expected)} expected by now; {status.label})"


def _donation_notes(report: AnnualReport) -> list[str]:
    donations = report.donations
    if not donations.shown:
        return []
    notes = ["", "Donations:"]
    for d in donations.shown:
        state = "" if d.verified else " [not yet verified]"
        kind = f"{d.kind}: " if d.kind else ""
        given = format_quantity(d.amount, money=True)
        notes.append(f"  {given}  {kind}{d.description} ({d.supplier}, {d.contract}){state}")
    if donations.omitted:
        notes.append(
            f"  and {donations.omitted} more totalling "
            f"{format_quantity(donations.omitted_total, money=True)}"
        )
    return notes


def _coverage_notes(report: AnnualReport) -> list[str]:
    coverage = report.coverage
    statuses = (
        ", ".join(f"{n} {status.lower()}" for status, n in coverage.returns_by_status) or "none"
    )
    return [
        "",
        f"Coverage: {coverage.contracts_reporting} of {coverage.contracts_live} live contracts "
        f"reported figures for {report.year.label}; returns: {statuses}.",
    ]


# --- Markdown ---------------------------------------------------------------------------------


def render_markdown(report: AnnualReport) -> str:
    """The narrative summary a provider publishes, with the tables behind it."""
    parts = [f"# {title(report)}", "", *status_lines(report), ""]
    parts += [BASIS_WORDS[report.basis], verification_note(report)]
    parts += ["", "## Summary", ""]
    parts += [f"- {sentence}" for sentence in narrative(report)]
    parts += ["", "## Figures", ""]
    parts += _markdown_table(_headline_rows(report))
    for section, lines in (
        ("How the totals are made", _derived_notes(report)),
        ("Cumulative totals", [n.strip() for n in _cumulative_notes(report)[2:]]),
        ("Commitments", [n.strip() for n in _commitment_notes(report)[2:]]),
        ("Restatements", list(report.restatements)),
    ):
        if lines:
            parts += ["", f"## {section}", "", *[f"- {line}" for line in lines]]
    parts += _markdown_breakdowns(report)
    parts += _markdown_groups(report)
    parts += _markdown_donations(report)
    parts += supply_chain.markdown_lines(report)
    parts += spend.markdown_lines(report.spend)
    parts += carbon.markdown_lines(report.carbon)
    parts += ["", "## Social value in £", "", *[f"- {line}" for line in money_lines(report)]]
    parts += [
        "",
        "## Coverage",
        "",
        _coverage_notes(report)[1].removeprefix("Coverage: ").capitalize(),
    ]
    parts += ["", f"## {STRENGTH_HEADING}", ""]
    parts += [f"- {line}" for line in strength_summaries(report)]
    parts += ["", f"## {QUALITY_HEADING}", "", report.quality.words]
    if report.quality.lines:
        parts += ["", *[f"- {line}" for line in report.quality.lines]]
    if report.claims:
        parts += ["", f"## {CLAIMS_HEADING}", "", *[f"- {c.words}" for c in report.claims]]
    return without_markup("\n".join(parts).rstrip() + "\n")


def _markdown_table(rows: list[list[str]]) -> list[str]:
    escaped = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    header, *body = escaped
    align = ["---"] + ["---:"] * (len(header) - 1)
    return ["| " + " | ".join(row) + " |" for row in [header, align, *body]]


def _markdown_breakdowns(report: AnnualReport) -> list[str]:
    parts = []
    for line in report.measures:
        for breakdown in line.breakdowns:
            if not breakdown.has_stated_figures:
                continue
            rows = [[breakdown.name, report.year.label, report.previous_year.label]]
            rows += [
                [r.label, amount(line, r.current), amount(line, r.previous)] for r in breakdown.rows
            ]
            parts += [
                "",
                f"### {line.name} by {breakdown.name.lower()}",
                "",
                *_markdown_table(rows),
            ]
    return ["", "## Breakdowns", *parts] if parts else []


def _markdown_groups(report: AnnualReport) -> list[str]:
    lines = {line.code: line for line in report.measures}
    parts = []
    for table in report.groups:
        if not table.rows:
            continue
        rows = [[table.by.capitalize(), *[lines[code].name for code in table.codes]]]
        rows += [
            [row.name, *[amount(lines[cell.code], cell.current) for cell in row.cells]]
            for row in table.rows
        ]
        parts += ["", f"## {table.title} ({report.year.label})", "", *_markdown_table(rows)]
        parts += ["", f"{RATES_HEADING}:", "", *_markdown_table(rate_rows(report, table))]
    return parts


RATES_HEADING = "Per £1m of contract value live in the year / per £1m spent in the year"


def rate_rows(report: AnnualReport, table) -> list[list[str]]:
    """A group table's figures per £1m of contract value and per £1m of spend, with the value
    and the spend they are divided by: a header row, then one row per group."""
    lines = {line.code: line for line in report.measures}
    header = [table.by.capitalize(), "Contract value", "Spent"]
    header += [lines[code].name for code in table.codes]
    rows = [header]
    for row in table.rows:
        rates = [
            f"{_rate_words(cell.per_million)} / {_rate_words(cell.per_million_spent)}"
            for cell in row.cells
        ]
        rows.append([row.name, _pounds(row.contract_value), _pounds(row.spent), *rates])
    return rows


def _rate_words(rate: Decimal | None) -> str:
    shown = per_million_shown(rate)
    return "–" if shown is None else f"{shown:,}"


def _pounds(value: Decimal) -> str:
    return format_quantity(value, money=True)


def _markdown_donations(report: AnnualReport) -> list[str]:
    notes = _donation_notes(report)
    if not notes:
        return []
    return ["", "## Donations", "", *[f"- {note.strip()}" for note in notes[2:]]]
