"""Template helpers that show report figures the same way every renderer does."""

from __future__ import annotations

from decimal import Decimal

from django import template

from socialledger.lib.numbers import format_quantity
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
