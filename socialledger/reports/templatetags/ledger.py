"""Template helpers that show report figures the same way every renderer does."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from socialledger.lib.numbers import format_quantity, round_half_up
from socialledger.reports.comparisons import per_million_shown
from socialledger.reports.report import MeasureLine

register = template.Library()


@register.simple_tag
def amount(line: MeasureLine, value: Decimal | None) -> str:
    """A figure in the measure's unit: "1,318", "£803,741"; a dash when there is none."""
    if value is None:
        return "–"
    return format_quantity(value, money=line.is_money)


@register.filter
def money(value: Decimal) -> str:
    return format_quantity(value, money=True)


@register.filter
def cell(row, index: int):
    return row.cells[index]


@register.filter
def band(value) -> str:
    """A £ range in words: "£2.41m to £4.39m (central £3.33m)"."""
    from socialledger.reports.working import band_words

    return band_words(value)


@register.filter
def pence(value) -> str:
    from socialledger.reports.working import pence_words

    return pence_words(value)


@register.filter
def on_basis(line, basis: str):
    return line.on(basis)


# --- Report figures: suppression, drill-down links --------------------------------------------


@register.simple_tag(takes_context=True)
def fig(context, line, value, *key, recorded=True, breakdown="", group="", link=True):
    """A report figure as shown on a page: hidden where the published report suppresses it,
    otherwise formatted and, on signed-in pages, linked to the entries behind it."""
    suppression = context.get("suppression")
    if suppression and key and suppression.hides(*key):
        return format_html('<span class="suppressed">{}</span>', suppression.words(*key))
    text = format_quantity(value, money=line.is_money) if recorded and value is not None else "–"
    if not (link and context.get("links")):
        return text
    return format_html(
        '<a class="drill" href="{}">{}</a>', drill_url(context, line, breakdown, group), text
    )


def drill_url(context, line, breakdown: str = "", group: str = "") -> str:
    report = context["report"]
    params = {"year": report.year.label, "basis": report.basis, "measure": line.code}
    if context.get("scope_param"):
        params["scope"] = context["scope_param"]
    if breakdown:
        params["breakdown"] = breakdown
    if group:
        params["group"] = group
    return f"{reverse('report-entries')}?{urlencode(params)}"


@register.simple_tag(takes_context=True)
def change(context, change_value, *key):
    """A change's label, unless either year's figure is hidden in a published report."""
    suppression = context.get("suppression")
    if suppression and key and any(suppression.hides(*key, y) for y in ("current", "previous")):
        return format_html('<span class="suppressed">{}</span>', "suppressed")
    return change_value.percent_label


@register.simple_tag(takes_context=True)
def hidden(context, *key) -> bool:
    suppression = context.get("suppression")
    return bool(suppression and suppression.hides(*key))


@register.filter
def rate(value) -> str:
    """A rate per £1m, to one decimal place (half-up); a dash without contract value or spend."""
    shown = per_million_shown(value)
    return "–" if shown is None else f"{shown:,}"


@register.filter
def percent_of(value, whole) -> str:
    """value as a whole percent of whole (half-up), for target shares."""
    if not whole:
        return "–"
    return f"{round_half_up(value * 100 / whole, 0):,}%"


@register.filter
def league(table, code: str):
    return table.league(code)


@register.filter
def cell_for(row, code: str):
    return row.cell(code)


@register.simple_tag(takes_context=True)
def group_hidden(context, by: str, reference: str) -> bool:
    """Whether a group's £ per £1 must be withheld because one of its counts is hidden."""
    suppression = context.get("suppression")
    return bool(suppression and suppression.hides_group(by, reference))


@register.filter
def in_year(line, year):
    """A measure's figures for one year of its history, or None."""
    return next((f for f in line.history if f.year == year), None)


@register.simple_tag(takes_context=True)
def breakdown_words(context, breakdowns: dict) -> str:
    """An entry's breakdowns in words ("Role: Site manager · Sector: Construction"); the
    dimensions' labels are read once per page."""
    from socialledger.measures.models import breakdown_words as words
    from socialledger.measures.models import dimension_labels

    if not breakdowns:
        return "–"
    if "dimension_labels" not in context.render_context:
        context.render_context["dimension_labels"] = dimension_labels()
    return words(breakdowns, context.render_context["dimension_labels"])


@register.filter
def in_unit(quantity: Decimal, measure) -> str:
    """A stored quantity as people read it in its measure's unit: "£750", "12.5", "1,318"."""
    return format_quantity(quantity, money=measure.is_money)


@register.filter
def unit_after(measure) -> str:
    """The unit written after a figure ("people"); nothing for £, which comes before it."""
    return "" if measure.is_money else measure.get_unit_display()


@register.filter
def strength_label(value) -> str:
    """An evidence strength (verification/strength.py) in words."""
    from socialledger.verification.strength import Strength

    return Strength(value).label


@register.filter
def strength_line(report, code: str):
    """A measure's figure split by evidence strength (reports/strength.py)."""
    return report.strength(code)


@register.simple_tag(takes_context=True)
def strength_cells(context, line):
    """The parts of a figure by strength, as this page may show them (small numbers hidden on
    published pages)."""
    from socialledger.reports.strength import shown_parts

    return shown_parts(line, context.get("suppression"))
