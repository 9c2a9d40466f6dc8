"""Small helpers for import tests: CSV text in, problems or a summary out."""

from __future__ import annotations

from socialledger.imports.actions import import_entries
from socialledger.imports.reading import ImportRefused, parse_csv_text

HEADER = "framework,contract,supplier,member,measure,financial_year,quantity"


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def import_text(provider, text: str, **options):
    return import_entries(provider, parse_csv_text(text), by=None, **options)


def problems_of(provider, text: str, **options) -> list:
    try:
        import_text(provider, text, **options)
    except ImportRefused as refused:
        return refused.problems
    raise AssertionError("the import was accepted")
