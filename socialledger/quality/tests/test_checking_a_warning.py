"""An officer marks a warning checked with a reason (audited); the check stands while the figure
is unchanged, and an import's dry run shows the warnings before anything is written."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from socialledger.audit.models import AuditEvent
from socialledger.imports.tests.helpers import HEADER, csv_text, import_text
from socialledger.lib.periods import FinancialYear
from socialledger.quality.actions import mark_warning_checked
from socialledger.quality.queries import warnings_for_entries
from socialledger.returns.actions import save_entries
from socialledger.returns.models import Entry, Status
from socialledger.returns.tests.factories import fact, make_return

LAST, NOW = FinancialYear(2023), FinancialYear(2024)


@pytest.fixture
def flagged(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 5)], year=LAST)
    ret = make_return(supplier, [(contract, "jobs-created", 50)], year=NOW, status=Status.DRAFT)
    [[warning]] = warnings_for_entries(provider, ret.entries.all()).values()
    return ret, warning


def test_a_checked_warning_keeps_its_reason_and_is_audited(provider, olivia_officer, flagged):
    ret, warning = flagged
    mark_warning_checked(provider, warning, reason="New site opened in May", by=olivia_officer)
    [[again]] = warnings_for_entries(provider, ret.entries.all()).values()
    assert again.checked
    assert again.check.reason == "New site opened in May"
    event = AuditEvent.objects.filter(action="warning.checked").get()
    assert event.after["reason"] == "New site opened in May"


def test_a_check_needs_a_reason(provider, olivia_officer, flagged):
    with pytest.raises(ValidationError, match="Say why"):
        mark_warning_checked(provider, flagged[1], reason="  ", by=olivia_officer)


def test_a_changed_figure_is_open_again(provider, olivia_officer, contract, flagged):
    ret, warning = flagged
    mark_warning_checked(provider, warning, reason="Confirmed with payroll", by=olivia_officer)
    save_entries(ret, [fact(contract, "jobs-created", 60, NOW)], by=None)
    [[again]] = warnings_for_entries(provider, ret.entries.all()).values()
    assert not again.checked


def test_an_imports_dry_run_shows_a_figure_ten_times_the_contracts_year_before(
    provider, supplier, contract
):
    make_return(supplier, [(contract, "donations", 1000)], year=LAST)
    summary = import_text(
        provider,
        csv_text(
            "DEC,DEC-001,CRS,LFH,donations,2024-25,10000,Minibus", header=HEADER + ",description"
        ),
        dry_run=True,
    )
    assert Entry.objects.filter(financial_year=2024).count() == 0
    [line] = summary.warnings
    assert line.startswith("DEC-001, Donations of money and materials, 2024-25: Out of line")
    assert "10 times this contract's figure the year before (£1,000)" in line
    assert "1 data-quality warning:" in str(summary)


def test_an_import_in_line_has_no_warnings(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 10)], year=LAST)
    summary = import_text(provider, csv_text("DEC,DEC-001,CRS,LFH,jobs-created,2024-25,12"))
    assert summary.warnings == ()
    assert D(12) == Entry.objects.get(financial_year=2024).quantity
