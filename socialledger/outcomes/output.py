"""The report by outcome as text, Markdown, JSON and CSV, all from one ByOutcomeReport."""

from __future__ import annotations

import json

from socialledger.lib.csvsafe import safe_csv_lines
from socialledger.lib.numbers import format_quantity
from socialledger.outcomes.reading import ByOutcomeReport, MappedMeasure, UnitTotal

FORMATS = ("text", "markdown", "json", "csv")


def render(report: ByOutcomeReport, fmt: str) -> str:
    """The report in one of FORMATS."""
    return {
        "text": render_text,
        "markdown": render_markdown,
        "json": render_json,
        "csv": render_csv,
    }[fmt](report)


def _figure(measure: MappedMeasure | UnitTotal) -> str:
    if not measure.entries:
        return "no figure yet"
    amount = format_quantity(measure.value, money=measure.is_money)
    return amount if measure.is_money else f"{amount} {measure.unit_label}"


def _totals_text(totals) -> str:
    """The totals with a figure; "no figure yet" when none has one."""
    if not totals:
        return "no mapped measure"
    return "; ".join(_figure(t) for t in totals if t.entries) or "no figure yet"


def _heading(report: ByOutcomeReport) -> list[str]:
    status = " (provisional)" if report.provisional else ""
    return [
        f"{report.provider}: {report.scope_label}, {report.year.label}{status}, "
        f"{report.basis} figures",
        f"Under {report.model_title} ({report.model_label}), {report.publisher}",
        f"Source: {report.source_title}, {report.source_date}"
        + (f", {report.source_url}" if report.source_url else ""),
        f"Licence: {report.licence}",
    ]


def render_text(report: ByOutcomeReport) -> str:
    lines = _heading(report)
    for theme in report.themes:
        lines += ["", f"{theme.code} {theme.title}: {_totals_text(theme.totals)}"]
        for outcome in theme.outcomes:
            lines.append(f"  {outcome.code} {outcome.title}: {_totals_text(outcome.totals)}")
            for measure in outcome.measures:
                derived = " (derived, not added into totals)" if measure.is_derived else ""
                said = f"{_figure(measure)}, " if measure.entries else ""
                lines.append(
                    f"    {measure.name}: {said}{measure.change_words}{derived}"
                    + (f" – {measure.note}" if measure.note else "")
                )
    lines += ["", f"All outcomes, each measure counted once: {_totals_text(report.totals)}"]
    if report.unmapped:
        lines.append("Measures with figures under no outcome: " + ", ".join(report.unmapped))
    return "\n".join(lines) + "\n"


def render_markdown(report: ByOutcomeReport) -> str:
    head = _heading(report)
    lines = [f"# {head[0]}", "", *(f"{line}  " for line in head[1:])]
    for theme in report.themes:
        lines += [
            "",
            f"## {theme.code} {theme.title}",
            "",
            f"Total: {_totals_text(theme.totals)}",
            "",
        ]
        lines += ["| Outcome | Measure | Figure | Change | How it fits |", "|---|---|---|---|---|"]
        for outcome in theme.outcomes:
            if not outcome.measures:
                lines.append(f"| {outcome.code} {outcome.title} | no mapped measure | | | |")
            for measure in outcome.measures:
                lines.append(
                    f"| {outcome.code} {outcome.title} | {measure.name} | {_figure(measure)} | "
                    f"{measure.change_words} | {measure.note} |"
                )
    lines += ["", f"All outcomes, each measure counted once: {_totals_text(report.totals)}"]
    if report.unmapped:
        lines += ["", "Measures with figures under no outcome: " + ", ".join(report.unmapped)]
    return "\n".join(lines) + "\n"


def _total_json(total: UnitTotal) -> dict:
    return {
        "unit": total.unit_label,
        "value": str(total.value),
        "entries": total.entries,
        "measures": list(total.measures),
    }


def render_json(report: ByOutcomeReport) -> str:
    return json.dumps(by_outcome_data(report), indent=2, ensure_ascii=False) + "\n"


def by_outcome_data(report: ByOutcomeReport) -> dict:
    """The report as plain data (Decimals as exact strings), for JSON and the API."""
    return {
        "model": {
            "id": report.model_label,
            "title": report.model_title,
            "publisher": report.publisher,
            "source": {
                "title": report.source_title,
                "date": report.source_date,
                "url": report.source_url,
            },
            "licence": report.licence,
            "note": report.note,
        },
        "provider": report.provider,
        "scope": report.scope_label,
        "year": report.year.label,
        "basis": report.basis,
        "provisional": report.provisional,
        "themes": [
            {
                "code": theme.code,
                "title": theme.title,
                "totals": [_total_json(t) for t in theme.totals],
                "outcomes": [
                    {
                        "code": outcome.code,
                        "title": outcome.title,
                        "metrics": list(outcome.metrics),
                        "totals": [_total_json(t) for t in outcome.totals],
                        "measures": [
                            {
                                "code": m.code,
                                "name": m.name,
                                "unit": m.unit_label,
                                "value": str(m.value) if m.entries else None,
                                "entries": m.entries,
                                "change": m.change_words,
                                "derived": m.is_derived,
                                "note": m.note,
                            }
                            for m in outcome.measures
                        ],
                    }
                    for outcome in theme.outcomes
                ],
            }
            for theme in report.themes
        ],
        "totals": [_total_json(t) for t in report.totals],
        "unmapped": list(report.unmapped),
    }


def render_csv(report: ByOutcomeReport) -> str:
    rows = [
        ["theme", "outcome", "measure", "unit", "value", "entries", "change", "derived", "note"]
    ]
    for theme in report.themes:
        for outcome in theme.outcomes:
            for m in outcome.measures:
                rows.append(
                    [
                        f"{theme.code} {theme.title}",
                        f"{outcome.code} {outcome.title}",
                        m.name,
                        m.unit_label,
                        str(m.value) if m.entries else "",
                        m.entries,
                        m.change_words,
                        "yes" if m.is_derived else "no",
                        m.note,
                    ]
                )
    return "".join(safe_csv_lines(rows))
