"""Charts of a report, drawn on the server as SVG with matplotlib, from figures already summed.

The same SVG goes into the web page, the PDF and screenshots. Charts are readable in greyscale
(hatching tells series apart, every bar carries its figure as a direct label, statuses are
written as words) and each has a <title> and <desc>; the page puts a data table beside it.

Inline SVG must obey the site's Content-Security-Policy (`style-src 'self'`): matplotlib writes
`style="..."` attributes and a <style> element, so `_inline_svg` rewrites the styles as SVG
presentation attributes (which CSP does not govern) and drops the rest. See
docs/decisions/0010-charts-with-matplotlib.md.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from html import escape

import matplotlib
from django.utils.safestring import mark_safe

matplotlib.use("svg")  # no GUI toolkit: charts are only ever written as SVG

from matplotlib.figure import Figure

from socialledger.lib.numbers import format_quantity

CURRENT = "#1f5f8b"
PREVIOUS = "#c9d1da"
INK = "#1c2430"
RAG_FILL = {"green": "#2e7d32", "amber": "#e0a100", "red": "#b3261e", "not-due": "#c9d1da"}
RAG_HATCH = {"green": "", "amber": "..", "red": "xx", "not-due": "//"}
RAG_WORD = {"green": "Green", "amber": "Amber", "red": "Red", "not-due": "Not due"}
STATUS_HATCH = ("", "//", "..", "xx", "\\\\", "++")

matplotlib.rcParams.update(
    {
        # Text stays text, so readers, search and the tagged PDF see it (DejaVu Sans is on every
        # machine that draws the PDF; a browser without it uses its own sans-serif).
        "svg.fonttype": "none",
        "svg.hashsalt": "socialledger",  # stable element ids, so the same data gives the same SVG
        "font.family": "DejaVu Sans",  # shipped with matplotlib itself
        "font.size": 9,
        "hatch.linewidth": 0.8,
        "axes.edgecolor": "#5b6675",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)


@dataclass(frozen=True)
class Chart:
    """An SVG chart ready to place inline, with the words that describe it."""

    svg: str
    title: str
    description: str

    def __html__(self) -> str:
        return self.svg

    def __str__(self) -> str:
        # Templates call str() before escaping: the SVG is our own markup, built from escaped text.
        return mark_safe(self.svg)  # noqa: S308


def _number(value: Decimal | float, money: bool = False) -> str:
    return format_quantity(Decimal(str(value)), money=money)


# --- Chart kinds ------------------------------------------------------------------------------


def trends_chart(series: tuple[tuple[str, tuple[tuple[str, Decimal], ...], bool], ...]) -> Chart:
    """Small multiples: each measure's figure for every year on record, one panel each."""
    title = "Trends across every year on record"
    description = "; ".join(
        f"{name}: " + ", ".join(f"{year} {_number(v, money)}" for year, v in points)
        for name, points, money in series
    )
    return Chart(_trends_svg(series, title, description), title, description)


@lru_cache(maxsize=64)
def _trends_svg(series, title: str, description: str) -> str:
    columns = 3
    rows = max(1, -(-len(series) // columns))
    fig = Figure(figsize=(9.6, 2.0 * rows), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).flatten()
    for ax, (name, points, money) in zip(axes, series, strict=False):
        labels = [year for year, _ in points]
        values = [float(v) for _, v in points]
        colours = [PREVIOUS] * (len(values) - 1) + [CURRENT]
        hatches = ["//"] * (len(values) - 1) + [""]
        bars = ax.bar(labels, values, color=colours, edgecolor=INK, linewidth=0.6)
        for bar, hatch in zip(bars, hatches, strict=True):
            bar.set_hatch(hatch)
        ax.bar_label(bars, labels=[_number(v, money) for _, v in points], fontsize=7, padding=1)
        ax.set_title(_wrap(name, 40), fontsize=8.5, loc="left")
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="x", labelsize=7)
        ax.margins(y=0.25)
    for ax in axes[len(series) :]:
        ax.set_visible(False)
    return _inline_svg(fig, title, description)


def comparison_chart(
    title: str,
    labels: tuple[str, ...],
    current: tuple[Decimal, ...],
    previous: tuple[Decimal, ...],
    years: tuple[str, str],
    money: bool = False,
) -> Chart:
    """Horizontal bars for this year beside the year compared with, one pair per label."""
    description = "; ".join(
        f"{label}: {years[0]} {_number(c, money)}, {years[1]} {_number(p, money)}"
        for label, c, p in zip(labels, current, previous, strict=True)
    )
    svg = _comparison_svg(title, labels, current, previous, years, money, description)
    return Chart(svg, title, description)


@lru_cache(maxsize=256)
def _comparison_svg(title, labels, current, previous, years, money, description) -> str:
    height = 0.9 + 0.42 * len(labels)
    fig = Figure(figsize=(7.2, height), layout="constrained")
    ax = fig.subplots()
    positions = list(range(len(labels)))
    now = [float(v) for v in current]
    before = [float(v) for v in previous]
    bars_now = ax.barh(
        [p - 0.2 for p in positions],
        now,
        height=0.38,
        color=CURRENT,
        edgecolor=INK,
        linewidth=0.6,
        label=years[0],
    )
    bars_before = ax.barh(
        [p + 0.2 for p in positions],
        before,
        height=0.38,
        color=PREVIOUS,
        edgecolor=INK,
        linewidth=0.6,
        hatch="//",
        label=years[1],
    )
    ax.bar_label(bars_now, labels=[_number(v, money) for v in current], fontsize=7, padding=2)
    ax.bar_label(bars_before, labels=[_number(v, money) for v in previous], fontsize=7, padding=2)
    ax.set_yticks(positions, [_wrap(label, 34) for label in labels], fontsize=7.5)
    ax.invert_yaxis()
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    ax.margins(x=0.18)
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    return _inline_svg(fig, title, description)


def ranked_chart(
    title: str, labels: tuple[str, ...], values: tuple[Decimal, ...], unit: str
) -> Chart:
    """One horizontal bar per label, in the order given (a league table), labelled directly."""
    description = "; ".join(
        f"{label}: {_rate(v)} {unit}" for label, v in zip(labels, values, strict=True)
    )
    return Chart(_ranked_svg(title, labels, values, description), title, description)


@lru_cache(maxsize=256)
def _ranked_svg(title, labels, values, description) -> str:
    fig = Figure(figsize=(7.2, 0.8 + 0.3 * len(labels)), layout="constrained")
    ax = fig.subplots()
    bars = ax.barh(range(len(labels)), [float(v) for v in values], color=CURRENT, height=0.6)
    ax.bar_label(bars, labels=[_rate(v) for v in values], fontsize=7, padding=2)
    ax.set_yticks(range(len(labels)), [_wrap(label, 34) for label in labels], fontsize=7.5)
    ax.invert_yaxis()
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    ax.margins(x=0.15)
    return _inline_svg(fig, title, description)


def _rate(value: Decimal) -> str:
    from socialledger.lib.numbers import round_half_up

    return f"{round_half_up(value, 1):,}"


def targets_chart(
    title: str, rows: tuple[tuple[str, Decimal, Decimal, Decimal, str], ...]
) -> Chart:
    """Delivery against each target: the bar is delivery as a share of the target, a tick marks
    the pro-rata expectation, and the status is written beside the bar."""
    description = "; ".join(
        f"{label}: delivered {_number(d)} of a target of {_number(t)} "
        f"(expected by now {_number(e)}), {RAG_WORD[s]}"
        for label, t, d, e, s in rows
    )
    return Chart(_targets_svg(title, rows, description), title, description)


@lru_cache(maxsize=128)
def _targets_svg(title, rows, description) -> str:
    fig = Figure(figsize=(7.2, 0.9 + 0.38 * len(rows)), layout="constrained")
    ax = fig.subplots()
    for i, (_label, target, delivered, expected, status) in enumerate(rows):
        share = float(delivered / target) * 100 if target else 0.0
        expected_share = float(expected / target) * 100 if target else 0.0
        ax.barh(i, 100, height=0.6, color="white", edgecolor="#5b6675", linewidth=0.6)
        ax.barh(
            i,
            min(share, 150),
            height=0.6,
            color=RAG_FILL[status],
            edgecolor=INK,
            linewidth=0.6,
            hatch=RAG_HATCH[status],
        )
        ax.plot([expected_share] * 2, [i - 0.38, i + 0.38], color=INK, linewidth=1.6)
        ax.text(
            min(share, 150) + 2, i, f"{share:.0f}% · {RAG_WORD[status]}", va="center", fontsize=7
        )
    ax.set_yticks(range(len(rows)), [_wrap(row[0], 34) for row in rows], fontsize=7.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 185)
    ax.set_xticks([0, 50, 100], ["0%", "50%", "100% of target"], fontsize=7)
    return _inline_svg(fig, title, description)


def progress_chart(title: str, parts: tuple[tuple[str, int], ...]) -> Chart:
    """One stacked bar: how many returns are at each status."""
    description = "; ".join(f"{label}: {n}" for label, n in parts) or "No returns"
    return Chart(_progress_svg(title, parts, description), title, description)


@lru_cache(maxsize=64)
def _progress_svg(title, parts, description) -> str:
    fig = Figure(figsize=(7.2, 1.1), layout="constrained")
    ax = fig.subplots()
    left = 0
    shades = ("#1f5f8b", "#6f9bbd", "#c9d1da", "#e9edf2", "#9aa5b1", "#ffffff")
    for i, (label, n) in enumerate(parts):
        ax.barh(
            0,
            n,
            left=left,
            color=shades[i % len(shades)],
            edgecolor=INK,
            linewidth=0.6,
            hatch=STATUS_HATCH[i % len(STATUS_HATCH)],
        )
        ax.text(left + n / 2, 0.45, f"{label}: {n}", ha="center", va="bottom", fontsize=7)
        left += n
    ax.set_xlim(0, max(left, 1))
    ax.set_ylim(-0.5, 0.9)
    ax.axis("off")
    return _inline_svg(fig, title, description)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


# --- SVG that obeys the Content-Security-Policy -----------------------------------------------

_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_ID = re.compile(r'\sid="([^"]+)"')


def _inline_svg(fig: Figure, title: str, description: str) -> str:
    """The figure as inline SVG: no style attributes or elements, no scripts, ids made unique,
    and a title and description for assistive technology."""
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None}, transparent=False)
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.DOTALL)
    svg = _STYLE_ATTRIBUTE.sub(lambda m: _presentation_attributes(m.group(1)), svg)
    prefix = "c" + hashlib.sha1(svg.encode(), usedforsecurity=False).hexdigest()[:8]
    svg = _prefix_ids(svg, prefix)
    svg = re.sub(r'\swidth="[^"]+"\sheight="[^"]+"', "", svg, count=1)
    head = (
        f'<svg class="chart" role="img" aria-labelledby="{prefix}-t {prefix}-d" '
        'stroke-linejoin="round" stroke-linecap="butt" '
        'preserveAspectRatio="xMinYMin meet"'
    )
    svg = svg.replace("<svg", head, 1)
    first_close = svg.index(">") + 1
    words = (
        f'<title id="{prefix}-t">{escape(title)}</title>'
        f'<desc id="{prefix}-d">{escape(description)}</desc>'
    )
    return svg[:first_close] + words + svg[first_close:]


def _presentation_attributes(style: str) -> str:
    attributes = []
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() and value.strip():
            attributes.append(f' {name.strip()}="{escape(value.strip())}"')
    return "".join(attributes)


def _prefix_ids(svg: str, prefix: str) -> str:
    ids = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f' id="{prefix}-{m.group(1)}"', svg)

    def reference(match: re.Match) -> str:
        name = match.group(2)
        return f"{match.group(1)}{prefix}-{name}" if name in ids else match.group(0)

    return re.sub(r"(url\(#|href=\"#)([^)\"]+)", reference, svg)


# --- The charts of one report -----------------------------------------------------------------


@dataclass(frozen=True)
class BreakdownChart:
    code: str
    dimension: str
    chart: Chart


@dataclass(frozen=True)
class ReportCharts:
    """Every chart of a report, drawn from the report object alone."""

    trends: Chart | None
    targets: Chart | None
    progress: Chart
    breakdowns: tuple[BreakdownChart, ...]
    leagues: tuple[tuple[str, Chart], ...]  # (grouping, chart) for the league measure


def report_charts(report, league_code: str | None = None, suppression=None) -> ReportCharts:
    """The charts for a report page or PDF; `league_code` picks the league tables' measure.
    With a `suppression` (published reports), no bar shows a hidden figure."""
    hides = suppression.hides if suppression else (lambda *key: False)
    return ReportCharts(
        trends=_trends(report, hides),
        targets=_targets(report),
        progress=progress_chart(
            f"Returns for {report.year.label} by status", report.coverage.returns_by_status
        ),
        breakdowns=tuple(_breakdowns(report, hides)),
        leagues=tuple(_leagues(report, league_code or default_league_code(report), hides)),
    )


def default_league_code(report) -> str:
    """The first counted measure with a figure this year (the league tables' default)."""
    for line in report.measures:
        if line.headline.recorded and not line.is_money:
            return line.code
    return report.measures[0].code if report.measures else ""


def _trends(report, hides) -> Chart | None:
    series = tuple(
        (
            line.name,
            tuple((f.year.label, f.on(report.basis).value) for f in line.history),
            line.is_money,
        )
        for line in report.measures
        if len(line.history) > 0
        and any(f.on(report.basis).recorded for f in line.history)
        and not any(hides("trend", line.code, f.year.label) for f in line.history)
    )
    return trends_chart(series) if series else None


def _targets(report) -> Chart | None:
    rows = []
    for line in report.measures:
        c = line.commitments
        for status, label in (
            (c.on_contracts_status, f"{line.name} (on {c.contracts_committed} contracts)"),
            (c.scope_status, f"{line.name} (target for {report.scope_label})"),
        ):
            if status is not None and status.target:
                rows.append(
                    (label, status.target, status.delivered, status.expected, status.status)
                )
    if not rows:
        return None
    return targets_chart(f"Commitments against delivery, {report.year.label}", tuple(rows))


def _breakdowns(report, hides):
    for line in report.measures:
        for breakdown in line.breakdowns:
            if not breakdown.has_stated_figures:
                continue
            rows = [
                r
                for r in breakdown.rows
                if (r.current or r.previous)
                and not any(
                    hides("breakdown", line.code, breakdown.dimension, r.label, y)
                    for y in ("current", "previous")
                )
            ]
            if not rows:
                continue
            yield BreakdownChart(
                line.code,
                breakdown.dimension,
                comparison_chart(
                    f"{line.name} by {breakdown.name.lower()}",
                    tuple(r.label for r in rows),
                    tuple(r.current for r in rows),
                    tuple(r.previous for r in rows),
                    (report.year.label, report.previous_year.label),
                    line.is_money,
                ),
            )


def _leagues(report, code: str, hides):
    if not code:
        return
    line = report.measure(code)
    for table in report.groups:
        ranked = [
            row
            for row in table.league(code)
            if row.cell(code).per_million is not None
            and not hides("group", table.by, row.reference, code, "current")
        ]
        if not ranked:
            continue
        yield (
            table.by,
            ranked_chart(
                f"{line.name} per £1m of contract value, {table.title.lower()}",
                tuple(row.name for row in ranked),
                tuple(row.cell(code).per_million for row in ranked),
                f"{line.unit_label} per £1m",
            ),
        )
