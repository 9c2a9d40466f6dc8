"""HTML typed into the ledger (a donation's description, an organisation's name) is printed, not
run, by the Markdown and text downloads: a viewer that renders Markdown shows the tags."""

import pytest

from socialledger.lib.periods import FinancialYear
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render
from socialledger.returns.tests.factories import make_return

TYPED = '<img src=x onerror="alert(1)"> &amp; <script>steal()</script>'


@pytest.fixture
def donation_with_html(supplier, contract):
    supplier.name = "Calder <b>Retrofit</b> & Sons"
    supplier.save(update_fields=["name"])
    make_return(supplier, [(contract, "donations", 250, {"donation_type": "money"})])
    ret = supplier.returns.get()
    ret.entries.filter(measure__code="donations").update(description=TYPED)
    return annual_report(Scope(supplier.home_provider), FinancialYear(2023))


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_html_in_typed_text_is_escaped(donation_with_html, fmt):
    written = render(donation_with_html, fmt)
    assert "<script>" not in written
    assert "<img" not in written
    assert "&lt;script&gt;steal()&lt;/script&gt;" in written
    assert "&amp;amp;" in written  # an entity typed in is shown as typed, not decoded
    assert "Calder &lt;b&gt;Retrofit&lt;/b&gt; & Sons" in written  # a plain & stays as it is
