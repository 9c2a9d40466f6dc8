"""Small helpers for import tests: CSV text in, problems or a summary out."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction

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


def ledger_counts() -> dict[str, int]:
    """How many rows each of the ledger's tables holds: equal before and after a refusal (the
    records of the background jobs that read the files are left out)."""
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__module__.startswith("socialledger.") and model._meta.app_label != "jobs"
    }


@contextmanager
def rolled_back():
    """Whatever the block writes is undone at its end, so each generated example starts afresh."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def whole_or_refused_cleanly(act) -> list:
    """Run an import: it either goes through, or is refused with problems that each say what was
    expected and leaves every table as it was. The problems, or [] if it went through."""
    before = ledger_counts()
    try:
        act()
    except ImportRefused as refused:
        problems = refused.problems
    else:
        return []
    assert problems
    assert all(problem.expected.strip() for problem in problems)
    assert ledger_counts() == before, "a refused import wrote something"
    return problems
